import { describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { exportDocument, EXPORT_FORMATS } from '../../server/formats/index.js';
import { makeDoc } from './fixtures.js';

function bigDoc(n: number) {
  return makeDoc(Array.from({ length: n }, (_, i) => ({ src: [`Sentence number ${i} & <more>.`], tgt: [`第${i}句。`], newParagraph: i % 10 === 0 })));
}

/** A slow sink with a tiny buffer: write() returns false almost always, so the exporter must wait. */
function slowSink(): { sink: Writable; chunks: number[]; drains: () => number; text: () => string } {
  const chunks: number[] = [];
  const parts: Buffer[] = [];
  let drains = 0;
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.length);
      parts.push(chunk);
      setImmediate(cb);
    },
  });
  sink.on('drain', () => drains++);
  return { sink, chunks, drains: () => drains, text: () => Buffer.concat(parts).toString('utf8') };
}

describe('streaming exports', () => {
  it.each(EXPORT_FORMATS)('%s waits for drain and writes bounded chunks', async (format) => {
    const doc = bigDoc(3000);
    const { sink, chunks, drains, text } = slowSink();
    await exportDocument(doc, format, {}, sink);
    await new Promise<void>((r) => sink.end(r));
    expect(drains()).toBeGreaterThan(0);
    expect(chunks.length).toBeGreaterThan(1);
    // chunks are about 64 KiB of text (at most 3 bytes per UTF-16 unit), never the whole document
    expect(Math.max(...chunks)).toBeLessThan(64 * 1024 * 3 + 8192);
    expect(text()).toContain(format === 'bitext' ? 'Sentence number 2999 & <more>.' : '2999');
  }, 20_000);

  it('rejects when the stream fails', async () => {
    const sink = new Writable({
      highWaterMark: 16,
      write(_c, _e, cb) {
        cb(new Error('disk full'));
      },
    });
    sink.on('error', () => undefined);
    await expect(exportDocument(bigDoc(3000), 'tmx', {}, sink)).rejects.toThrow('disk full');
  });
});

describe('an output that goes away', () => {
  it('stops the export instead of waiting forever (client disconnected)', async () => {
    let writes = 0;
    const sink = new Writable({
      highWaterMark: 16,
      write(_c, _e, cb) {
        writes++;
        if (writes === 2) sink.destroy();
        setImmediate(cb);
      },
    });
    sink.on('error', () => undefined);
    await expect(exportDocument(bigDoc(3000), 'tmx', {}, sink)).rejects.toThrow();
    expect(writes).toBeLessThan(5);
  });
});

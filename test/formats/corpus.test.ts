/** Every export format on the demo corpus: aligned by the aligner (length model), and paired line by line. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ReviewDocument } from '../../server/domain.js';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { EXPORT_FORMATS, importJson, importTmx } from '../../server/formats/index.js';
import { alignmentSchema, validateJson } from '../../server/formats/json-schema.js';
import { childElements, parseXml } from '../../server/formats/xml.js';
import { exportToString, makeDoc, maskTimestamps, repoRoot, xmllint } from './fixtures.js';

const dir = path.join(repoRoot, 'corpus', 'brics-fm-2020-09-04');
const zh = readFileSync(path.join(dir, 'zh.txt'), 'utf8');
const en = readFileSync(path.join(dir, 'en.txt'), 'utf8');

function lineDoc(): ReviewDocument {
  const z = zh.split('\n').filter((l) => l.trim());
  const e = en.split('\n').filter((l) => l.trim());
  const n = Math.max(z.length, e.length);
  return makeDoc(Array.from({ length: n }, (_, i) => ({ src: e[i] ? [e[i]!] : [], tgt: z[i] ? [z[i]!] : [] })), { name: 'brics-fm-2020-09-04 (lines)' });
}

const docs: Record<string, ReviewDocument> = {};

beforeAll(async () => {
  // The length model: the formats do not care which model aligned, and it needs no dictionary load.
  const result = await alignTexts(zh, en, { model: 'length' });
  const aligned = reviewDocumentFromAlignment(result, { name: 'brics-fm-2020-09-04', sourceSide: result.a.lang === 'en' ? 'a' : 'b', at: '2026-01-01T00:00:00.000Z' });
  aligned.id = 'brics';
  docs.aligned = aligned;
  docs.lines = lineDoc();
}, 30_000);

describe.each(['aligned', 'lines'])('demo corpus (%s)', (kind) => {
  it('TMX validates with the DTD, has srclang in every tu and every bead', async () => {
    const doc = docs[kind]!;
    expect(doc.beads.length).toBeGreaterThan(30);
    const xml = await exportToString(doc, 'tmx');
    expect(xmllint(xml, 'tmx')).toBe('');
    const tus = childElements(childElements(parseXml(xml), 'body')[0]!, 'tu');
    expect(tus).toHaveLength(doc.beads.length);
    for (const tu of tus) expect(childElements(tu, 'tuv').map((t) => t.attrs['xml:lang'])).toEqual(['en', 'zh-CN']);
    const again = importTmx(xml);
    const second = await exportToString(again.document, 'tmx', { history: again.history, extras: again.extras });
    expect(maskTimestamps(second)).toBe(maskTimestamps(xml));
  });

  it('XLIFF validates with the XLIFF 2.0 core schema', async () => {
    const xml = await exportToString(docs[kind]!, 'xliff');
    expect(xmllint(xml, 'xliff')).toBe('');
  });

  it('JSON validates with the schema and round-trips', async () => {
    const doc = docs[kind]!;
    const text = await exportToString(doc, 'json');
    expect(validateJson(alignmentSchema(), JSON.parse(text))).toEqual([]);
    const [back] = importJson(text);
    expect(back!.document).toEqual(doc);
    expect(maskTimestamps(await exportToString(back!.document, 'json', { history: back!.history }))).toBe(maskTimestamps(text));
  });

  it('JSONL, TSV, CSV and bitext have one record per bead', async () => {
    const doc = docs[kind]!;
    const n = doc.beads.length;
    for (const format of EXPORT_FORMATS.filter((f) => !['tmx', 'xliff', 'json'].includes(f))) {
      const out = await exportToString(doc, format);
      const lines = out.split(format === 'csv' ? '\r\n' : '\n');
      expect(lines.pop(), format).toBe('');
      expect(lines.length, format).toBe(format === 'tsv' || format === 'csv' ? n + 1 : n);
    }
  });
});

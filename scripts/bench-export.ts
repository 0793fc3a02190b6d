/**
 * Benchmark: N synthetic beads (default 100,000) exported to TMX in a file. Prints the export time
 * and the peak RSS of the process (document construction included, so the number is honest).
 * Targets: ≤ 5 s and ≤ 300 MB.
 */
import { createWriteStream } from 'node:fs';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import type { HistoryEntry, Paragraph, ReviewDocument, Sentence, TargetSentence } from '../server/domain.js';
import { exportDocument, isExportFormat, type ExportFormat } from '../server/formats/index.js';
import { CliError, parseCli, runCli, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  command: 'npm run bench:export --',
  description: 'Exports N synthetic beads to a file and prints the time and peak RSS (targets for TMX at 100,000 beads: ≤ 5 s, ≤ 300 MB).',
  options: {
    beads: { type: 'string', arg: 'N', default: '100000', help: 'number of beads' },
    format: { type: 'string', default: 'tmx', choices: ['tmx', 'xliff', 'json', 'jsonl', 'tsv', 'csv', 'bitext'], help: 'export format' },
    out: { type: 'string', arg: 'PATH', help: 'output file (default: a temporary file, deleted afterwards)' },
  },
};

/** A document of n beads (1-1, with some 2-1 and 0-1), 20 sentences per paragraph, a history. */
function syntheticDocument(n: number): { doc: ReviewDocument; history: HistoryEntry[] } {
  const src: Sentence[] = [];
  const tgt: TargetSentence[] = [];
  const srcParas: Paragraph[] = [];
  const tgtParas: Paragraph[] = [];
  const beads: ReviewDocument['beads'] = [];
  let sPos = 0;
  let tPos = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.floor(i / 20);
    if (i % 20 === 0) {
      srcParas.push({ index: p, kind: 'plain', number: String(p + 1), text: '', spans: [{ start: sPos, end: sPos }] });
      tgtParas.push({ index: p, kind: 'plain', number: String(p + 1), text: '', spans: [{ start: tPos, end: tPos }] });
    }
    const sIds: number[] = [];
    const tIds: number[] = [];
    const nSrc = i % 97 === 5 ? 0 : i % 13 === 0 ? 2 : 1;
    for (let k = 0; k < nSrc; k++) {
      const text = `Sentence ${i}.${k} of the synthetic <document> & its "quotes", with 2020 and 75th.`;
      sIds.push(src.length);
      src.push({ index: src.length, paragraph: p, text, start: sPos, end: sPos + text.length });
      sPos += text.length + 1;
    }
    const text = `第${i}句，合成的《文件》与“引号”，2020年和第75届。😀`;
    tIds.push(tgt.length);
    tgt.push({ index: tgt.length, paragraph: p, text, start: tPos, end: tPos + text.length, original: i % 10 === 0 ? `机器译文 ${i}` : text });
    tPos += text.length;
    beads.push({ id: `b${i + 1}`, source: sIds, target: tIds, confidence: (i % 100) / 100, status: i % 3 === 0 ? 'confirmed' : 'automatic', origin: 'lexical' });
  }
  const history: HistoryEntry[] = [{ seq: 1, documentId: 'bench', revision: 0, author: 'import', at: '2026-01-01T00:00:00.000Z', op: { kind: 'import' }, beadIds: [] }];
  for (let i = 0; i < n; i += 3) {
    history.push({ seq: history.length + 1, documentId: 'bench', revision: history.length, author: 'reviewer', at: new Date(Date.UTC(2026, 0, 2, 0, 0, i % 86400)).toISOString(), op: { kind: 'confirm', beadId: `b${i + 1}` }, beadIds: [`b${i + 1}`] });
  }
  const doc: ReviewDocument = {
    id: 'bench',
    name: 'Synthetic benchmark',
    // The side texts are not read by the TMX writer; kept short so the RSS measures the export.
    source: { lang: 'en', text: '', paragraphs: srcParas, sentences: src },
    target: { lang: 'zh', text: '', paragraphs: tgtParas, sentences: tgt },
    paragraphPairs: srcParas.map((p) => ({ a: [p.index], b: [p.index], method: 'number' as const })),
    beads,
    issues: beads
      .filter((_, i) => i % 50 === 0)
      .map((b, k) => ({ id: `i${k}`, beadId: b.id, category: 'Terminology' as const, severity: 'minor' as const, comment: 'term & <b>', targetSpan: null, origin: 'human' as const, check: null, status: 'open' as const, author: 'reviewer', createdAt: '2026-01-02T00:00:00.000Z' })),
    versions: [],
    model: 'lexical',
    revision: history.length,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
  };
  return { doc, history };
}

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const n = Number(cli.string('beads'));
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--beads must be a positive integer (got "${cli.string('beads')}")`);
  const format = cli.string('format') ?? 'tmx';
  if (!isExportFormat(format)) throw new CliError(`unknown format ${format}`);
  const tmp = cli.string('out') ? null : mkdtempSync(join(tmpdir(), 'bench-export-'));
  const out = cli.string('out') ?? join(tmp!, `bench.${format}`);

  const t0 = performance.now();
  const { doc, history } = syntheticDocument(n);
  const t1 = performance.now();
  const builtMb = process.resourceUsage().maxRSS / 1024;
  const stream = createWriteStream(out);
  await exportDocument(doc, format as ExportFormat, { history, side: 'source' }, stream);
  stream.end();
  await finished(stream);
  const t2 = performance.now();
  const bytes = statSync(out).size;
  const peakMb = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  const exportS = (t2 - t1) / 1000;
  process.stdout.write(
    `beads: ${n}\nformat: ${format}\nbuild document: ${((t1 - t0) / 1000).toFixed(2)} s\n` +
      `export time: ${exportS.toFixed(2)} s (target ≤ 5 s)\npeak RSS: ${peakMb.toFixed(0)} MB (target ≤ 300 MB; ${builtMb.toFixed(0)} MB before the export began)\n` +
      `file size: ${(bytes / 1024 / 1024).toFixed(1)} MB\n`,
  );
  if (format === 'tmx' && n === 100000 && (exportS > 5 || peakMb > 300)) process.exitCode = 1;
}

runCli(main);

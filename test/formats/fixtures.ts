/** Synthetic ReviewDocuments for the format tests, built directly (no aligner needed). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import type { HistoryEntry, Paragraph, ReviewDocument, ReviewIssue, Sentence, TargetSentence } from '../../server/domain.js';
import { exportDocument, exportDocuments, type ExportFormat, type ExportItem, type ExportOptions } from '../../server/formats/index.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The TMX DTD and XLIFF schema the exports are validated against (kept in the project: schemas/README.md). */
export const schemasDir = path.resolve(repoRoot, 'schemas');

export interface BeadSpec {
  src: string[];
  tgt: string[];
  /** Machine originals for the target sentences (default: same as tgt). */
  orig?: string[];
  status?: 'automatic' | 'confirmed' | 'flagged';
  confidence?: number;
  /** Start a new paragraph at this bead (default: every bead is its own paragraph when true for all). */
  newParagraph?: boolean;
}

function side<S extends Sentence>(groups: string[][][], joiner: string, make: (s: Sentence, bead: number, k: number) => S) {
  // groups: paragraph → bead → sentences
  let text = '';
  const paragraphs: Paragraph[] = [];
  const sentences: S[] = [];
  const byBead: number[][] = [];
  let bead = 0;
  groups.forEach((para, p) => {
    if (p > 0) text += '\n\n';
    const start = text.length;
    let first = true;
    for (const sents of para) {
      const ids: number[] = [];
      sents.forEach((t, k) => {
        if (!first) text += joiner;
        first = false;
        ids.push(sentences.length);
        sentences.push(make({ index: sentences.length, paragraph: p, text: t, start: text.length, end: text.length + t.length }, bead, k));
        text += t;
      });
      byBead.push(ids);
      bead++;
    }
    paragraphs.push({ index: p, kind: 'plain', number: String(p + 1), text: text.slice(start), spans: [{ start, end: text.length }] });
  });
  return { text, paragraphs, sentences, byBead };
}

export function makeDoc(specs: BeadSpec[], opts: { id?: string; name?: string } = {}): ReviewDocument {
  const paras: BeadSpec[][] = [];
  for (const [i, s] of specs.entries()) {
    if (i === 0 || s.newParagraph !== false) paras.push([s]);
    else paras[paras.length - 1]!.push(s);
  }
  const src = side(paras.map((p) => p.map((b) => b.src)), ' ', (s) => s);
  const tgt = side<TargetSentence>(paras.map((p) => p.map((b) => b.tgt)), '', (s, bead, k) => ({
    ...s,
    original: specs[bead]?.orig?.[k] ?? s.text,
  }));
  const id = opts.id ?? 'doc1';
  return {
    id,
    name: opts.name ?? 'Synthetic & <test> "doc"',
    source: { lang: 'en', text: src.text, paragraphs: src.paragraphs, sentences: src.sentences },
    target: { lang: 'zh', text: tgt.text, paragraphs: tgt.paragraphs, sentences: tgt.sentences },
    paragraphPairs: src.paragraphs.map((p) => ({ a: [p.index], b: [p.index], method: 'number' as const })),
    beads: specs.map((s, i) => ({
      id: `b${i + 1}`,
      source: src.byBead[i] ?? [],
      target: tgt.byBead[i] ?? [],
      confidence: s.confidence ?? 0.8,
      status: s.status ?? 'automatic',
      origin: 'lexical',
    })),
    issues: [],
    versions: [],
    model: 'lexical',
    revision: 3,
    createdAt: '2026-01-02T03:04:05.000Z',
    updatedAt: '2026-01-03T00:00:00.000Z',
  };
}

export function issue(beadId: string, n: number, over: Partial<ReviewIssue> = {}): ReviewIssue {
  return {
    id: `i${n}`,
    beadId,
    category: 'Accuracy/Mistranslation',
    severity: 'major',
    comment: `comment ${n} with <b>&amp;</b> "quotes"\nand a second line`,
    targetSpan: { start: 0, end: 2 },
    origin: 'human',
    check: null,
    status: 'open',
    author: 'alice',
    createdAt: '2026-01-02T10:00:00.000Z',
    ...over,
  };
}

/** The adversarial document: markup-like text, entities, quotes, emoji, CJK Ext. B, empty sides, controls. */
export function adversarialDoc(): { doc: ReviewDocument; history: HistoryEntry[] } {
  const doc = makeDoc([
    { src: ['Plain <b>&amp;</b> text with ]]> inside.'], tgt: ['带有 <b>&amp;</b> 和 ]]> 的文本。'], status: 'confirmed', confidence: 0.95 },
    { src: ['Ampersand & "double" and \'single\' quotes.'], tgt: ['和号 & “引号” 与 "直引号"。'], orig: ['机器 & 译文。'] },
    { src: ['Emoji 😀👍🏽 and family 👨‍👩‍👧.'], tgt: ['表情 😀 和 𠀀𠀁𪚥 扩展B。'], newParagraph: false, status: 'flagged' },
    { src: ['Orphan source sentence.'], tgt: [] },
    { src: [], tgt: ['孤立的译文句子。'], newParagraph: false },
    { src: ['Control\u0001chars\u0008 and tab\tinside', '  two  spaces  '], tgt: ['控制\u001F字符\u000B。', '第二句\u0000。'], confidence: 0.42 },
    { src: ['Lone surrogate \uD800 here.'], tgt: ['孤代理 \uDC00 这里。'], status: 'confirmed' },
  ]);
  doc.issues = [issue('b1', 1), issue('b2', 2, { origin: 'automatic', check: 'numbers', severity: 'minor', targetSpan: null, status: 'resolved' })];
  const history: HistoryEntry[] = [
    { seq: 1, documentId: doc.id, revision: 0, author: 'importer', at: '2026-01-02T03:04:05.000Z', op: { kind: 'import' }, beadIds: [] },
    { seq: 2, documentId: doc.id, revision: 1, author: 'alice', at: '2026-01-02T10:00:00.000Z', op: { kind: 'confirm', beadId: 'b1' }, beadIds: ['b1'] },
    { seq: 3, documentId: doc.id, revision: 2, author: 'bob "the <reviewer>"', at: '2026-01-02T11:30:00.000Z', op: { kind: 'editTarget', sentence: 1, text: '和号 & “引号” 与 "直引号"。' }, beadIds: ['b2'] },
    { seq: 4, documentId: doc.id, revision: 3, author: 'carol', at: '2026-01-02T12:00:00.000Z', op: { kind: 'flag', beadId: 'b3' }, beadIds: ['b3'] },
  ];
  return { doc, history };
}

/** What an exporter writes to a stream, as one string (the test side may buffer; the exporter must not). */
async function collect(write: (out: PassThrough) => Promise<void>): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await write(out);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

/** One document's export as a string. */
export function exportToString(
  doc: ReviewDocument,
  format: ExportFormat,
  opts: ExportOptions & { history?: HistoryEntry[]; extras?: ExportItem['extras']; findings?: ExportItem['findings']; scorecard?: ExportItem['scorecard'] } = {},
): Promise<string> {
  return collect((out) => exportDocument(doc, format, opts, out));
}

/** Several documents' export as a string. */
export function exportManyToString(items: ExportItem[], format: ExportFormat, opts: ExportOptions = {}): Promise<string> {
  return collect((out) => exportDocuments(items, format, opts, out));
}

let xmllintChecked = false;
function requireXmllint(): void {
  if (xmllintChecked) return;
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'pipe' });
  } catch {
    throw new Error('xmllint is missing: apt-get install -y libxml2-utils');
  }
  xmllintChecked = true;
}

const tmp = mkdtempSync(path.join(tmpdir(), 'formats-test-'));
let n = 0;

/** Runs xmllint on `xml`; returns '' when valid, else xmllint's complaints. */
export function xmllint(xml: string, kind: 'tmx' | 'xliff'): string {
  requireXmllint();
  const file = path.join(tmp, `t${n++}.${kind === 'tmx' ? 'tmx' : 'xlf'}`);
  writeFileSync(file, xml);
  const args =
    kind === 'tmx'
      ? ['--noout', '--nonet', '--dtdvalid', path.join(schemasDir, 'tmx14.dtd'), file]
      : ['--noout', '--nonet', '--schema', path.join(schemasDir, 'xliff_core_2.0.xsd'), file];
  try {
    execFileSync('xmllint', args, { stdio: 'pipe' });
    return '';
  } catch (e) {
    const err = e as { stderr?: Buffer; message: string };
    return err.stderr?.toString() || err.message;
  }
}

/** Masks what legitimately differs between two exports of the same data: creation timestamps. */
export function maskTimestamps(s: string): string {
  return s
    .replace(/(<header [^>]*creationdate=")\d{8}T\d{6}Z/g, '$1X')
    .replace(/("exportedAt": )"[^"]*"/g, '$1"X"');
}

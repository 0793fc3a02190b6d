/**
 * One pair of files through the aligner and into an output format: shared by `align` (one pair)
 * and the batch workers, so a batch writes exactly what one call per pair writes.
 */
import type { Writable } from 'node:stream';
import type { AlignmentResult, TextSide } from '../server/domain.js';
import { alignTexts, type NeuralChoice } from '../server/align/index.js';
import type { ProgressFn } from '../server/align/document.js';
import type { ExportItem } from '../server/formats/index.js';
import { detectLang, isBlankText, joinSentences, readTextFiles, sentenceSeparator } from '../server/text/index.js';
import { alignWords, wireWords } from '../server/words/index.js';
import { CliError, writeChunks } from './cli-util.js';
import { learnedLexicon, type LearnedFrom } from './learned.js';
import type { LearnedUse } from '../server/learn/lexicon.js';

/** Text formats (one file per pair) and corpus formats (one file for a whole batch). */
export const FORMATS = ['pairs', 'beads', 'json', 'tsv', 'jsonl', 'tmx'] as const;
export type AlignFormat = (typeof FORMATS)[number];
export const CORPUS_FORMATS: readonly AlignFormat[] = ['jsonl', 'tmx'];
/** File extension per format; beads as NAME.align, the MAC-Dev gold layout. */
export const FORMAT_EXT: Record<AlignFormat, string> = { pairs: 'txt', beads: 'align', json: 'json', tsv: 'tsv', jsonl: 'jsonl', tmx: 'tmx' };

export interface PairOptions {
  presplit: boolean;
  model: string;
  neural: NeuralChoice;
  srcLang?: string | undefined;
  tgtLang?: string | undefined;
  encoding?: string | undefined;
  /** The store whose learnt table the zh–en dictionary model uses (absent: none). */
  learned?: LearnedFrom | undefined;
}

export interface AlignedPair {
  result: AlignmentResult;
  aLang: string;
  bLang: string;
  /** Why the model was chosen (choose.ts), for the stderr line. */
  modelReason: string;
  ms: number;
  /** What the pair used of the learnt table (null when it was not read: no table, another pair of languages, another model). */
  learnedUse: LearnedUse | null;
}

/** Reads, checks and aligns two files; a user's mistake is a CliError (or the text module's error). */
export async function alignFiles(fileA: string, fileB: string, opts: PairOptions, onProgress?: ProgressFn): Promise<AlignedPair> {
  const enc = opts.encoding ? { encoding: opts.encoding } : {};
  const [textA = '', textB = ''] = await readTextFiles([fileA, fileB], enc);
  if (isBlankText(textA)) throw new CliError(`${fileA}: the file is empty (no text to align)`);
  if (isBlankText(textB)) throw new CliError(`${fileB}: the file is empty (no text to align)`);
  const aLang = opts.srcLang ?? detectLang(textA);
  const bLang = opts.tgtLang ?? detectLang(textB);
  for (const [f, l] of [[fileA, aLang], [fileB, bLang]] as const) {
    if (l === 'und') throw new CliError(`${f}: no letters found, cannot tell its language (is it a text file?); set --src-lang/--tgt-lang`);
  }
  if (aLang === bLang && !opts.srcLang && !opts.tgtLang) {
    throw new CliError(`${fileA} and ${fileB} both look like ${aLang} text; give texts in two languages (or set --src-lang and --tgt-lang)`);
  }
  const t0 = performance.now();
  let modelReason = '';
  const learned = opts.learned ? learnedLexicon(opts.learned) : undefined;
  if (learned) learned.last = null;
  const result = await alignTexts(textA, textB, {
    ...(learned ? { learned } : {}),
    aLang,
    bLang,
    model: opts.model,
    presplit: opts.presplit,
    neural: opts.neural,
    ...(onProgress ? { onProgress } : {}),
    onModel: (c) => {
      modelReason = c.reason;
    },
  });
  return { result, aLang, bLang, modelReason, ms: performance.now() - t0, learnedUse: learned?.last ?? null };
}

function oneLine(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

function joined(side: TextSide, ids: readonly number[]): string {
  return joinSentences(ids.map((i) => side.sentences[i]?.text ?? ''), side.lang);
}

/** The alignment in one of the text formats, as chunks (so 10 MB outputs are not one giant string). */
export function* formatText(r: AlignmentResult, format: Exclude<AlignFormat, 'jsonl' | 'tmx'>, files: { a: string; b: string }): Generator<string> {
  switch (format) {
    case 'beads':
      for (const b of r.beads) yield `[${b.a.join(',')}]:[${b.b.join(',')}]\n`;
      return;
    case 'tsv':
      yield 'a\tb\tconfidence\ta_text\tb_text\n';
      for (const b of r.beads) {
        yield `${b.a.join(',')}\t${b.b.join(',')}\t${b.confidence}\t${oneLine(joined(r.a, b.a))}\t${oneLine(joined(r.b, b.b))}\n`;
      }
      return;
    case 'pairs':
      for (const b of r.beads) yield `${oneLine(joined(r.a, b.a))}\n${oneLine(joined(r.b, b.b))}\n\n`;
      return;
    case 'json': {
      // The normalised text is included: every offset refers to it.
      const side = (s: TextSide, file: string): object => ({
        file,
        lang: s.lang,
        text: s.text,
        paragraphs: s.paragraphs,
        sentences: s.sentences,
      });
      yield `${JSON.stringify(
        {
          model: r.model,
          a: side(r.a, files.a),
          b: side(r.b, files.b),
          paragraphPairs: r.paragraphPairs,
          unpaired: r.unpaired,
          beads: beadsWithWords(r),
        },
        null,
        1,
      )}\n`;
      return;
    }
  }
}

/**
 * The beads with their word alignment (server/words): per bead, the words of each side (the bead's
 * n-th sentence, offsets in its text, kind) and the links between them, with a score.
 */
function beadsWithWords(r: AlignmentResult): object[] {
  const texts = (side: TextSide, ids: readonly number[]) => ids.map((i) => side.sentences[i]?.text ?? '');
  const beads = r.beads.map((b, i) => ({ id: `b${i + 1}`, source: joined(r.a, b.a), target: joined(r.b, b.b) }));
  const words = alignWords(beads, { source: r.a.lang, target: r.b.lang });
  return r.beads.map((b, i) => {
    const w = words.of(`b${i + 1}`);
    if (!w) return b;
    const wire = wireWords(w, { source: texts(r.a, b.a), target: texts(r.b, b.b) }, { source: sentenceSeparator(r.a.lang), target: sentenceSeparator(r.b.lang) });
    return { ...b, words: { a: wire.source, b: wire.target, links: wire.links, score: wire.score } };
  });
}

/** The pair as an export item (side a is the source, as in every align format); id and name NAME. */
export async function pairItem(r: AlignmentResult, name: string): Promise<ExportItem> {
  // Loaded on demand, like the writers below: the text formats do not need them.
  const { reviewDocumentFromAlignment } = await import('../server/review/from-alignment.js');
  const doc = reviewDocumentFromAlignment(r, { name, sourceSide: 'a' });
  doc.id = name;
  return { doc, history: [], findings: [] };
}

/** Default NAME of a pair: FILE_A's base name without its extension ("zh/001.txt" → "001"). */
export function pairName(fileA: string): string {
  const base = fileA.replace(/^.*[\\/]/, '');
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

/** Writes one pair in `format` to `out`. */
export async function writePair(out: Writable, r: AlignmentResult, format: AlignFormat, files: { a: string; b: string; name: string }): Promise<void> {
  if (format === 'jsonl' || format === 'tmx') {
    const { exportDocuments } = await import('../server/formats/index.js');
    await exportDocuments([await pairItem(r, files.name)], format, {}, out, false);
    return;
  }
  await writeChunks(out, formatText(r, format, files));
}

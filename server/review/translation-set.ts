/**
 * Several translations of one original, side by side: each translation is a document aligned to the
 * same original on its own, and their rows are put together on the original's text. A row of the set
 * is the finest stretch of the original that every translation's alignment keeps whole: it starts
 * where a row with original text starts in every translation (character offsets in the original, so a
 * sentence split or joined in one document still lines up). A row of a translation with no original
 * (an addition) goes with the row before it. This is what LF Aligner's multilingual TMX holds: one
 * unit per stretch of the original, one variant per language.
 */
import type { Lang, ReviewDocument } from '../domain.js';
import { joinSentences } from '../text/lang.js';
import { InvalidOperationError } from './errors.js';

/** One translation's part of a set row: its text, the rows (bead ids) it comes from, and whether all are confirmed. */
export interface SetCell {
  text: string;
  beadIds: string[];
  confirmed: boolean;
}

export interface SetRow {
  /** Where the stretch of the original starts and ends (offsets in the original text). */
  start: number;
  end: number;
  /** The original's sentences of the stretch, joined as its language joins them ('' for additions before the first sentence). */
  source: string;
  /** Per translation, in the order of `documents`. */
  targets: SetCell[];
}

export interface SetAlignment {
  sourceLang: Lang;
  targetLangs: Lang[];
  rows: SetRow[];
}

/** The set's rows; refuses documents that do not share one original (language and text). */
export function alignTranslationSet(docs: readonly ReviewDocument[]): SetAlignment {
  const first = docs[0];
  if (!first) throw new InvalidOperationError('a translation set needs at least one translation');
  for (const d of docs) {
    if (d.source.lang !== first.source.lang || d.source.text !== first.source.text) throw new InvalidOperationError(`“${d.name}” is not a translation of the same original`);
  }
  // Offsets where each document's rows with original text start; the set cuts where all of them cut.
  const cutsOf = (d: ReviewDocument) => new Set(d.beads.filter((b) => b.source.length > 0).map((b) => d.source.sentences[b.source[0]!]!.start));
  const all = docs.map(cutsOf);
  const cuts = [...all[0]!].filter((c) => all.every((s) => s.has(c))).sort((a, b) => a - b);
  const textEnd = first.source.text.length;
  const rowAt = (offset: number): number => {
    // The last cut at or before the offset (binary search); offsets before the first cut belong to row 0.
    let lo = 0;
    let hi = cuts.length - 1;
    let k = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cuts[mid]! <= offset) {
        k = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return k;
  };
  const rows: SetRow[] = cuts.map((start, k) => {
    const end = cuts[k + 1] ?? textEnd;
    const sentences = first.source.sentences.filter((s) => s.start >= start && s.start < end).map((s) => s.text);
    return { start, end, source: joinSentences(sentences, first.source.lang), targets: [] };
  });
  if (rows.length === 0) rows.push({ start: 0, end: textEnd, source: '', targets: [] });
  docs.forEach((d, di) => {
    const parts: { texts: string[]; beadIds: string[]; confirmed: boolean }[] = rows.map(() => ({ texts: [], beadIds: [], confirmed: true }));
    let current = 0;
    for (const b of d.beads) {
      if (b.source.length > 0) current = rowAt(d.source.sentences[b.source[0]!]!.start);
      const part = parts[current]!;
      part.beadIds.push(b.id);
      part.confirmed &&= b.status === 'confirmed';
      for (const t of b.target) part.texts.push(d.target.sentences[t]!.text);
    }
    for (const [k, p] of parts.entries()) {
      rows[k]!.targets[di] = { text: joinSentences(p.texts, d.target.lang), beadIds: p.beadIds, confirmed: p.beadIds.length > 0 && p.confirmed };
    }
  });
  return { sourceLang: first.source.lang, targetLangs: docs.map((d) => d.target.lang), rows };
}

/** A set's name: its first document's without the " (fr)" its import added. */
export function setName(docs: readonly Pick<ReviewDocument, 'name' | 'target'>[]): string {
  const first = docs[0];
  if (!first) return '';
  const suffix = ` (${first.target.lang})`;
  return first.name.endsWith(suffix) ? first.name.slice(0, -suffix.length) : first.name;
}

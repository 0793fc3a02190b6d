/**
 * Segmentation fixes: splitting a sentence of either side at a character, joining a sentence with the
 * next one. Pure, like every op: the sentences after the change take new indices, and so do the rows
 * that refer to them (every row below changes; the history records that as one change).
 *
 * A sentence keeps its place in the side's normalised text (`start`/`end`), so the original text can
 * still be rebuilt: the split point in the shown text is found in the text it was taken from (the
 * shown text has its whitespace collapsed). A target sentence keeps the machine output beside the
 * reviewed text: a sentence the reviewer has not edited splits both alike; an edited one splits its
 * machine output at the same share of its length (the diff against it stays readable).
 */
import type { ReviewBead, ReviewDocument, Sentence, Side, TargetSentence } from '../domain.js';
import { joinSentences } from '../text/lang.js';
import { InvalidOperationError, NotFoundError } from './errors.js';

function sentenceOf(doc: ReviewDocument, side: Side, index: number): Sentence | TargetSentence {
  const s = doc[side].sentences[index];
  if (!Number.isInteger(index) || !s) throw new NotFoundError(`${side} sentence ${index + 1} does not exist`);
  return s;
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/u.test(c);

/**
 * The offset in `raw` (the sentence's span of the normalised text) of character `at` of `shown` (the
 * same text with whitespace collapsed and fragments joined); null when the two do not correspond.
 */
export function mapOffset(shown: string, raw: string, at: number): number | null {
  let i = 0;
  let j = 0;
  while (i < at) {
    const a = shown[i];
    const b = raw[j];
    if (b === undefined) return null;
    if (a === b) {
      i++;
      j++;
    } else if (isSpace(b)) j++;
    else if (isSpace(a)) i++;
    else return null;
  }
  // The cut goes before the next character's own whitespace run, not inside it.
  while (isSpace(raw[j]) && !isSpace(shown[at])) j++;
  return j;
}

/** Sentence `index` of a side in two at character `at` of its text. */
export function splitSentence(doc: ReviewDocument, side: Side, index: number, at: number): ReviewDocument {
  const s = sentenceOf(doc, side, index);
  const text = s.text;
  if (!Number.isInteger(at) || at <= 0 || at >= text.length) {
    throw new InvalidOperationError(`a sentence is split between two of its characters: ${at} is outside 1…${Math.max(1, text.length - 1)}`);
  }
  const head = text.slice(0, at).trimEnd();
  const tail = text.slice(at).trimStart();
  if (!head || !tail) throw new InvalidOperationError('a split must leave text in both sentences');
  const target = side === 'target' ? (s as TargetSentence) : null;
  const edited = target !== null && target.original !== target.text;
  const basis = edited ? target.original : text;
  const basisAt = edited ? Math.round((at * target.original.length) / Math.max(1, text.length)) : at;
  const raw = doc[side].text.slice(s.start, s.end);
  const mapped = mapOffset(basis, raw, basisAt);
  const cut = s.start + (mapped ?? Math.round(((s.end - s.start) * basisAt) / Math.max(1, basis.length)));
  const first = { ...s, text: head, end: cut };
  const second = { ...s, index: index + 1, text: tail, start: cut };
  if (target) {
    const original = target.original;
    (first as TargetSentence).original = edited ? original.slice(0, basisAt).trimEnd() : head;
    (second as TargetSentence).original = edited ? original.slice(basisAt).trimStart() : tail;
  }
  const sentences = doc[side].sentences as (Sentence | TargetSentence)[];
  const next = [...sentences.slice(0, index), first, second, ...sentences.slice(index + 1).map((x) => ({ ...x, index: x.index + 1 }))];
  const beads = renumberRows(doc.beads, side, index, (k) => (k > index ? [k + 1] : k === index ? [k, k + 1] : [k]));
  return withSide(doc, side, next, beads);
}

/** Sentence `index` of a side joined with the next one (both in one row, one paragraph). */
export function joinSentence(doc: ReviewDocument, side: Side, index: number): ReviewDocument {
  const a = sentenceOf(doc, side, index);
  const b = doc[side].sentences[index + 1];
  if (!b) throw new InvalidOperationError(`${side} sentence ${index + 1} is the last one: there is no next sentence to join it with`);
  const row = doc.beads.find((x) => x[side].includes(index));
  if (!row?.[side].includes(index + 1)) {
    throw new InvalidOperationError(`${side} sentences ${index + 1} and ${index + 2} are in different rows: merge the rows first`);
  }
  if (a.paragraph !== b.paragraph) throw new InvalidOperationError(`${side} sentences ${index + 1} and ${index + 2} are in different paragraphs`);
  const lang = doc[side].lang;
  const joined = { ...a, text: joinSentences([a.text, b.text], lang), end: b.end };
  if (side === 'target') (joined as TargetSentence).original = joinSentences([(a as TargetSentence).original, (b as TargetSentence).original], lang);
  const sentences = doc[side].sentences as (Sentence | TargetSentence)[];
  const next = [...sentences.slice(0, index), joined, ...sentences.slice(index + 2).map((x) => ({ ...x, index: x.index - 1 }))];
  const beads = renumberRows(doc.beads, side, index, (k) => (k > index + 1 ? [k - 1] : k === index + 1 ? [] : [k]));
  return withSide(doc, side, next, beads);
}

/** Rows with the indices of one side mapped (rows wholly before `from` are kept as they are). */
function renumberRows(beads: readonly ReviewBead[], side: Side, from: number, map: (k: number) => number[]): ReviewBead[] {
  return beads.map((b) => {
    const ks = b[side];
    if (!ks.length || ks[ks.length - 1]! < from) return b;
    return { ...b, [side]: ks.flatMap(map) };
  });
}

function withSide(doc: ReviewDocument, side: Side, sentences: (Sentence | TargetSentence)[], beads: ReviewBead[]): ReviewDocument {
  if (side === 'target') return { ...doc, target: { ...doc.target, sentences: sentences as TargetSentence[] }, beads };
  return { ...doc, source: { ...doc.source, sentences: sentences as Sentence[] }, beads };
}

/**
 * Document-level alignment: one scorer for the whole document (so IDF and self-training see all of
 * it), the DP run within each paragraph pair, and over the whole document when paragraphs cannot be
 * paired. Sentences of unpaired paragraphs become 1-0 / 0-1 beads: nothing is dropped.
 */
import type { AlignmentResult, Bead, BeadScorer, ParagraphPair, SimilarityModel, TextSide } from '../domain.js';
import { pairParagraphs } from '../text/index.js';
import { alignLengths, confidencesOf, isRunScorer, sentenceLength, type DpWeights, type RunScorer } from './dp.js';
import { isTrainable } from './lexical/model.js';
import { scoreUnit, weightsFor } from './weights.js';

export type ProgressFn = (stage: string, done: number, total: number) => void;

export interface AlignDocumentOptions {
  onProgress?: ProgressFn;
  /** Ignore paragraphs and align all sentences as one sequence (e.g. presplit input). */
  whole?: boolean;
  /** Learn from the first pass and realign, when the model supports it (default true). */
  selfTrain?: boolean;
  weights?: Partial<DpWeights>;
}

/** A sentence range pair [a0, a1) × [b0, b1) aligned as one DP problem. */
interface Segment {
  a0: number;
  a1: number;
  b0: number;
  b1: number;
}

/** A scorer seen from a segment: indices relative to the segment's start. */
class OffsetScorer implements RunScorer {
  constructor(
    private readonly s: RunScorer,
    private readonly a0: number,
    private readonly b0: number,
  ) {}
  score(a0: number, a1: number, b0: number, b1: number): number {
    return this.s.score(a0 + this.a0, a1 + this.a0, b0 + this.b0, b1 + this.b0);
  }
  scoreRun(a0: number, kMax: number, b0: number, b1: number, out: Float64Array, deficits: Float64Array | null = null): void {
    this.s.scoreRun(a0 + this.a0, kMax, b0 + this.b0, b1 + this.b0, out, deficits);
  }
}

function offsetScorer(s: BeadScorer, seg: Segment): BeadScorer {
  if (seg.a0 === 0 && seg.b0 === 0) return s;
  if (isRunScorer(s)) return new OffsetScorer(s, seg.a0, seg.b0);
  return { score: (a0, a1, b0, b1) => s.score(a0 + seg.a0, a1 + seg.a0, b0 + seg.b0, b1 + seg.b0) };
}

function shift(beads: Bead[], seg: Segment): Bead[] {
  return beads.map((x) => ({ a: x.a.map((i) => i + seg.a0), b: x.b.map((j) => j + seg.b0), confidence: x.confidence }));
}

/** Runs the DP on each segment, then (if the scorer can learn) retrains on the result and runs again. */
async function alignSegments(
  lenA: readonly number[],
  lenB: readonly number[],
  segments: readonly Segment[],
  scorer: BeadScorer,
  weights: DpWeights,
  opts: AlignDocumentOptions,
): Promise<Bead[]> {
  const totalA = lenA.reduce((x, y) => x + y, 0);
  const totalB = lenB.reduce((x, y) => x + y, 0);
  const lengthRatio = totalA > 0 && totalB > 0 ? totalB / totalA : 1;
  const passes = opts.selfTrain !== false && isTrainable(scorer) ? 2 : 1;
  let current: BeadScorer = scorer;
  let beads: Bead[] = [];
  let previous: Bead[][] = [];
  for (let pass = 0; pass < passes; pass++) {
    beads = [];
    const perSegment: Bead[][] = [];
    let done = 0;
    for (const [s, seg] of segments.entries()) {
      const guide = previous[s];
      // Later passes search around the previous pass's path instead of from scratch.
      const sub = alignLengths(lenA.slice(seg.a0, seg.a1), lenB.slice(seg.b0, seg.b1), offsetScorer(current, seg), {
        weights,
        lengthRatio,
        ...(guide ? { guide } : {}),
      });
      perSegment.push(sub);
      for (const b of shift(sub, seg)) beads.push(b); // no spread: segments can hold 100k+ beads
      done++;
      opts.onProgress?.(pass === 0 ? 'align' : 'realign (self-trained)', done, segments.length);
    }
    previous = perSegment;
    if (pass + 1 < passes && isTrainable(current)) current = current.retrain(beads);
    // Yield between passes so a server stays responsive on long documents.
    await Promise.resolve();
  }
  return beads;
}

/** Aligns two flat sentence lists (presplit text, evaluation): one segment, self-training included. */
export async function alignSentenceLists(
  a: readonly string[],
  b: readonly string[],
  langs: { a: string; b: string },
  model: SimilarityModel,
  opts: AlignDocumentOptions = {},
): Promise<Bead[]> {
  const scorer = await model.prepare(a, b, langs);
  const weights = { ...weightsFor(model.name), ...opts.weights };
  return alignSegments(a.map(sentenceLength), b.map(sentenceLength), [{ a0: 0, a1: a.length, b0: 0, b1: b.length }], scorer, weights, opts);
}

/** A stretch of both lists, [a0, a1) × [b0, b1), aligned on its own (re-alignment between fixed rows). */
export type Stretch = Segment;

/**
 * Aligns stretches of two sentence lists on their own (the rows between them stay as they are): one
 * scorer prepared on every sentence (so IDF and self-training see the whole document), the DP within
 * each stretch. Returns the beads of each stretch, in absolute indices. Stretches with an empty side
 * get 1-0 / 0-1 beads of confidence 0 (nothing to pair them with).
 */
export async function alignStretches(
  a: readonly string[],
  b: readonly string[],
  langs: { a: string; b: string },
  model: SimilarityModel,
  stretches: readonly Stretch[],
  opts: AlignDocumentOptions = {},
): Promise<Bead[][]> {
  const paired = stretches.filter((s) => s.a1 > s.a0 && s.b1 > s.b0);
  let beads: Bead[] = [];
  if (paired.length) {
    const scorer = await model.prepare(a, b, langs);
    const weights = { ...weightsFor(model.name), ...opts.weights };
    beads = await alignSegments(a.map(sentenceLength), b.map(sentenceLength), paired, scorer, weights, opts);
  }
  let k = 0;
  return stretches.map((s) => {
    if (!(s.a1 > s.a0 && s.b1 > s.b0)) {
      const out: Bead[] = [];
      for (let i = s.a0; i < s.a1; i++) out.push({ a: [i], b: [], confidence: 0 });
      for (let j = s.b0; j < s.b1; j++) out.push({ a: [], b: [j], confidence: 0 });
      return out;
    }
    const out: Bead[] = [];
    let na = 0;
    let nb = 0;
    while (na < s.a1 - s.a0 || nb < s.b1 - s.b0) {
      const bead = beads[k++];
      if (!bead) break;
      out.push(bead);
      na += bead.a.length;
      nb += bead.b.length;
    }
    return out;
  });
}

/**
 * The model's confidence in given beads of two short sentence lists (a reviewer's rows and their
 * neighbours): the model prepared on just these sentences, the aligner's confidence of each bead
 * against the other readings (dp.ts `confidencesOf`). `lengthRatio`: the document's, when known.
 */
export async function scoreBeads(
  a: readonly string[],
  b: readonly string[],
  langs: { a: string; b: string },
  model: SimilarityModel,
  beads: readonly Bead[],
  opts: { lengthRatio?: number } = {},
): Promise<number[]> {
  if (!a.length || !b.length) return beads.map(() => 0);
  const scorer = await model.prepare(a, b, langs);
  return confidencesOf(a.map(sentenceLength), b.map(sentenceLength), scorer, beads, {
    weights: weightsFor(model.name),
    ...(opts.lengthRatio !== undefined ? { lengthRatio: opts.lengthRatio } : {}),
  });
}

/** Sentence index range [first, last + 1) of each paragraph of a side (null when it has none). */
function paragraphRanges(side: TextSide): Array<[number, number] | null> {
  const r: Array<[number, number] | null> = side.paragraphs.map(() => null);
  for (const s of side.sentences) {
    const cur = r[s.paragraph];
    if (cur) {
      cur[0] = Math.min(cur[0], s.index);
      cur[1] = Math.max(cur[1], s.index + 1);
    } else if (s.paragraph >= 0 && s.paragraph < r.length) r[s.paragraph] = [s.index, s.index + 1];
  }
  return r;
}

/** Sentence range covered by a set of paragraphs, or null if they hold no sentence. */
function sentenceRange(ranges: ReadonlyArray<[number, number] | null>, paras: readonly number[]): [number, number] | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const p of paras) {
    const r = ranges[p];
    if (!r) continue;
    lo = Math.min(lo, r[0]);
    hi = Math.max(hi, r[1]);
  }
  return lo === Infinity ? null : [lo, hi];
}

export async function alignDocument(
  a: TextSide,
  b: TextSide,
  model: SimilarityModel,
  opts: AlignDocumentOptions = {},
): Promise<AlignmentResult> {
  const sa = a.sentences.map((s) => s.text);
  const sb = b.sentences.map((s) => s.text);
  opts.onProgress?.('prepare', 0, 1);
  const scorer = await model.prepare(sa, sb, { a: a.lang, b: b.lang });
  opts.onProgress?.('prepare', 1, 1);
  const weights = { ...weightsFor(model.name), ...opts.weights };

  const ra = paragraphRanges(a);
  const rb = paragraphRanges(b);
  let paragraphPairs: ParagraphPair[] = [];
  let unpaired: { a: number[]; b: number[] } = { a: [], b: [] };
  if (!opts.whole && a.paragraphs.length > 0 && b.paragraphs.length > 0) {
    const unit = scoreUnit(model.name);
    const res = pairParagraphs(a, b, { score: (ai, bi) => paragraphSimilarity(sentenceRange(ra, ai), sentenceRange(rb, bi), scorer, unit) });
    paragraphPairs = res.pairs;
    unpaired = res.unpaired;
  }
  let segments = segmentsOf(ra, rb, paragraphPairs);
  const covered = segments.reduce((n, s) => n + (s.a1 - s.a0) + (s.b1 - s.b0), 0);
  // Pairing that leaves most sentences out is worse than none: align the whole document instead.
  if (segments.length === 0 || covered < 0.5 * (sa.length + sb.length)) {
    paragraphPairs = [{ a: a.paragraphs.map((p) => p.index), b: b.paragraphs.map((p) => p.index), method: 'whole' }];
    unpaired = { a: [], b: [] };
    segments = [{ a0: 0, a1: sa.length, b0: 0, b1: sb.length }];
  }
  const lenA = sa.map(sentenceLength);
  const lenB = sb.map(sentenceLength);
  const beads = fillGaps(await alignSegments(lenA, lenB, segments, scorer, weights, opts), sa.length, sb.length);
  return { model: model.name, a, b, paragraphPairs, unpaired, beads };
}

/**
 * Paragraph-pair similarity in [0, 1) for the pairing DP: the model's score relative to what a
 * correct pair of that many sentences typically gets.
 */
function paragraphSimilarity(ra: [number, number] | null, rb: [number, number] | null, scorer: BeadScorer, unit: number): number {
  if (!ra || !rb) return 0;
  const raw = Math.max(0, scorer.score(ra[0], ra[1], rb[0], rb[1]));
  const expected = (unit * (ra[1] - ra[0] + rb[1] - rb[0])) / 2;
  return raw / (raw + expected);
}

/** One DP segment per paragraph pair, in order; pairs whose ranges would cross are left to the gaps. */
function segmentsOf(
  ra: ReadonlyArray<[number, number] | null>,
  rb: ReadonlyArray<[number, number] | null>,
  pairs: readonly ParagraphPair[],
): Segment[] {
  const out: Segment[] = [];
  let lastA = 0;
  let lastB = 0;
  for (const p of pairs) {
    const sa = sentenceRange(ra, p.a);
    const sb = sentenceRange(rb, p.b);
    if (!sa || !sb) continue;
    if (sa[0] < lastA || sb[0] < lastB) continue;
    out.push({ a0: sa[0], a1: sa[1], b0: sb[0], b1: sb[1] });
    lastA = sa[1];
    lastB = sb[1];
  }
  return out;
}

/**
 * Adds 1-0 / 0-1 beads for sentences no segment covered (unpaired paragraphs), keeping beads in
 * document order. Their confidence is middling: "no counterpart" deserves a reviewer's look.
 */
function fillGaps(beads: Bead[], n: number, m: number): Bead[] {
  const out: Bead[] = [];
  let nextA = 0;
  let nextB = 0;
  const flush = (toA: number, toB: number): void => {
    for (; nextA < toA; nextA++) out.push({ a: [nextA], b: [], confidence: 0.5 });
    for (; nextB < toB; nextB++) out.push({ a: [], b: [nextB], confidence: 0.5 });
  };
  for (const bead of beads) {
    flush(bead.a[0] ?? nextA, bead.b[0] ?? nextB);
    out.push(bead);
    const lastA = bead.a[bead.a.length - 1];
    const lastB = bead.b[bead.b.length - 1];
    if (lastA !== undefined) nextA = lastA + 1;
    if (lastB !== undefined) nextB = lastB + 1;
  }
  flush(n, m);
  return out;
}

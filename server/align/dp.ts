/**
 * Dynamic programming over beads. The DP sees a BeadScorer and sentence lengths, nothing else.
 *
 * Search (linear in document length, as in Vecalign): a coarse pass over few bead types finds a path
 * — over the full matrix when it is small, else by recursively halving both sides, aligning the
 * halved problem and searching a band around its projected path — then all bead types are searched
 * in a narrow band around that path. Cells live in per-row windows: memory is O((n + m) · band).
 */
import type { Bead, BeadScorer } from '../domain.js';

/** A bead shape: k sentences of side a, l of side b. */
export type BeadType = readonly [number, number];

export const ALL_TYPES: readonly BeadType[] = [
  [1, 1], [1, 2], [2, 1], [1, 3], [3, 1], [2, 2], [1, 4], [4, 1], [2, 3], [3, 2], [1, 5], [5, 1], [1, 0], [0, 1],
];
const COARSE_TYPES: readonly BeadType[] = [[1, 1], [1, 2], [2, 1], [1, 3], [3, 1], [1, 0], [0, 1]];
/** Halved levels: blocks already absorb most many-to-one beads, and big blocks are costly to score. */
const HALVED_TYPES: readonly BeadType[] = [[1, 1], [1, 2], [2, 1], [1, 0], [0, 1]];
/** Band half-width around a projected path at the halved levels. */
const HALVED_BAND = 4;

/** The few weights of the bead cost; each model family has its own set (see weights.ts). */
export interface DpWeights {
  /** Weight of the model's similarity score (subtracted). */
  sim: number;
  /** Weight of the Gale–Church length cost. */
  len: number;
  /** Gale–Church variance per character (on the common scale of both sides). */
  lenVar: number;
  /** Cost per sentence beyond the first on each side of a bead (k + l − 2). */
  merge: number;
  /** Cost of a 1-0 or 0-1 bead. */
  skip: number;
  /** Scale of the cost margin that maps to confidence 0.5. */
  confScale: number;
  /**
   * 1 when the model's score does not grow with bead size (a cosine): the score is then counted
   * once per sentence pair, (k + l) / 2 times, as Vecalign does. 0 for additive scores (lexical).
   */
  perSentence?: number;
}

export const DEFAULT_WEIGHTS: DpWeights = { sim: 1, len: 1, lenVar: 4, merge: 1, skip: 4, confScale: 2 };

export interface AlignSentencesOptions {
  weights?: Partial<DpWeights>;
  /** Characters of b per character of a; default: measured on the inputs. */
  lengthRatio?: number;
  /** Half-width of the refining band around the coarse path (default 5). */
  band?: number;
  /** Above this many cells the coarse pass is done by downsampling (default 10,000). */
  fullLimit?: number;
  /** A known approximate alignment (e.g. a previous pass): search only around it, no coarse pass. */
  guide?: readonly Bead[];
}

/** Path corners of a bead sequence, from (0, 0) to the end. */
export function pathOfBeads(beads: readonly Bead[]): Array<[number, number]> {
  const path: Array<[number, number]> = [[0, 0]];
  let i = 0;
  let j = 0;
  for (const b of beads) {
    i += b.a.length;
    j += b.b.length;
    path.push([i, j]);
  }
  return path;
}

/** Length of a sentence for the length prior: characters without spaces. */
export function sentenceLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && !(c >= 0xdc00 && c <= 0xdfff)) n++;
  }
  return n;
}

/** Aligns two sentence lists; returns beads covering every sentence of each side exactly once, in order. */
export function alignSentences(
  a: readonly string[],
  b: readonly string[],
  scorer: BeadScorer,
  opts: AlignSentencesOptions = {},
): Bead[] {
  return alignLengths(a.map(sentenceLength), b.map(sentenceLength), scorer, opts);
}

/** Same as alignSentences, given sentence lengths. */
export function alignLengths(
  lenA: readonly number[],
  lenB: readonly number[],
  scorer: BeadScorer,
  opts: AlignSentencesOptions = {},
): Bead[] {
  const n = lenA.length;
  const m = lenB.length;
  if (n === 0 || m === 0) {
    return [
      ...lenA.map((_, i) => ({ a: [i], b: [], confidence: 1 })),
      ...lenB.map((_, j) => ({ a: [], b: [j], confidence: 1 })),
    ];
  }
  const w: DpWeights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const pa = prefix(lenA);
  const pb = prefix(lenB);
  const ratio = opts.lengthRatio ?? ((pb[m] ?? 1) / Math.max(1, pa[n] ?? 1) || 1);
  const problem: Problem = { n, m, pa, pb, score: (a0, a1, b0, b1) => scorer.score(a0, a1, b0, b1) };
  const ctx: Ctx = { w, ratio, fullLimit: opts.fullLimit ?? 10_000 };
  const guide = opts.guide ? pathOfBeads(opts.guide) : null;
  const guideOk = guide !== null && guide[guide.length - 1]?.[0] === n && guide[guide.length - 1]?.[1] === m;
  const coarse = guideOk && guide ? guide : coarsePath(problem, ctx);
  const win = bandAround(coarse, n, m, opts.band ?? 5);
  const res = runDp(problem, ctx, ALL_TYPES, win, true);
  return res.beads;
}

interface Problem {
  n: number;
  m: number;
  /** Prefix sums of sentence lengths. */
  pa: Float64Array;
  pb: Float64Array;
  score(a0: number, a1: number, b0: number, b1: number): number;
}
interface Ctx {
  w: DpWeights;
  ratio: number;
  fullLimit: number;
}
/** Per-row window of columns: row i holds columns lo[i]..hi[i] inclusive. */
interface Window {
  lo: Int32Array;
  hi: Int32Array;
}

function prefix(xs: readonly number[]): Float64Array {
  const p = new Float64Array(xs.length + 1);
  for (let i = 0; i < xs.length; i++) p[i + 1] = (p[i] ?? 0) + (xs[i] ?? 0);
  return p;
}

/**
 * −log P(|δ| ≥ observed) under Gale–Church's normal model of length differences. Lengths are put on
 * a common scale (a × √ratio, b ÷ √ratio) so the cost is the same whichever side comes first.
 */
export function galeChurchCost(la: number, lb: number, ratio: number, variance: number): number {
  if (la === 0 && lb === 0) return 0;
  const s = Math.sqrt(ratio);
  const x = la * s;
  const y = lb / s;
  const delta = (y - x) / Math.sqrt(Math.max(1, (x + y) / 2) * variance);
  const p = 2 * (1 - normalCdf(Math.abs(delta)));
  return -Math.log(Math.max(p, 1e-12));
}

function normalCdf(x: number): number {
  // Abramowitz & Stegun 26.2.17; accurate to 7.5e-8, plenty for a cost.
  const t = 1 / (1 + 0.2316419 * x);
  const d = 0.3989422804014327 * Math.exp((-x * x) / 2);
  const q = d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  return 1 - q;
}

function beadCost(p: Problem, ctx: Ctx, i: number, j: number, k: number, l: number): number {
  const { w } = ctx;
  if (k === 0 || l === 0) return w.skip;
  const la = (p.pa[i + k] ?? 0) - (p.pa[i] ?? 0);
  const lb = (p.pb[j + l] ?? 0) - (p.pb[j] ?? 0);
  let c = w.merge * (k + l - 2);
  if (w.len !== 0) c += w.len * galeChurchCost(la, lb, ctx.ratio, w.lenVar);
  if (w.sim !== 0) c -= w.sim * p.score(i, i + k, j, j + l) * (w.perSentence ? (k + l) / 2 : 1);
  return c;
}

interface DpResult {
  beads: Bead[];
  /** Path corners (i, j) from (0, 0) to (n, m). */
  path: Array<[number, number]>;
}

function runDp(p: Problem, ctx: Ctx, types: readonly BeadType[], win: Window, withConfidence = false): DpResult {
  const { n, m } = p;
  const T = types.length;
  const rowStart = new Int32Array(n + 2);
  for (let i = 0; i <= n; i++) rowStart[i + 1] = (rowStart[i] ?? 0) + Math.max(0, (win.hi[i] ?? -1) - (win.lo[i] ?? 0) + 1);
  const size = rowStart[n + 1] ?? 0;
  const cost = new Float64Array(size).fill(Infinity);
  const back = new Uint8Array(size).fill(255);
  // Bead costs by (end cell, type), kept for the backward pass that yields confidences.
  const edge = withConfidence ? new Float64Array(size * T).fill(Infinity) : null;
  const at = (i: number, j: number): number => {
    if (i < 0 || i > n) return -1;
    const lo = win.lo[i] ?? 0;
    if (j < lo || j > (win.hi[i] ?? -1)) return -1;
    return (rowStart[i] ?? 0) + j - lo;
  };
  const origin = at(0, 0);
  if (origin < 0) throw new Error('band does not contain the origin');
  cost[origin] = 0;
  for (let i = 0; i <= n; i++) {
    const lo = win.lo[i] ?? 0;
    const hi = win.hi[i] ?? -1;
    for (let j = lo; j <= hi; j++) {
      if (i === 0 && j === 0) continue;
      const idx = at(i, j);
      let best = Infinity;
      let bestT = 255;
      for (let t = 0; t < T; t++) {
        const ty = types[t];
        if (!ty) continue;
        const [k, l] = ty;
        if (i < k || j < l) continue;
        const prev = at(i - k, j - l);
        if (prev < 0) continue;
        const pc = cost[prev] ?? Infinity;
        if (pc === Infinity) continue;
        const bc = beadCost(p, ctx, i - k, j - l, k, l);
        if (edge) edge[idx * T + t] = bc;
        const c = pc + bc;
        if (c < best) {
          best = c;
          bestT = t;
        }
      }
      cost[idx] = best;
      back[idx] = bestT;
    }
  }
  const end = at(n, m);
  if (end < 0 || (cost[end] ?? Infinity) === Infinity) throw new Error('no path through the band');
  const beads: Bead[] = [];
  const path: Array<[number, number]> = [[n, m]];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const idx = at(i, j);
    const ty = types[back[idx] ?? 255];
    if (!ty) throw new Error('broken back-pointer');
    const [k, l] = ty;
    beads.push({ a: range(i - k, i), b: range(j - l, j), confidence: 1 });
    i -= k;
    j -= l;
    path.push([i, j]);
  }
  beads.reverse();
  path.reverse();
  if (edge) setConfidences(beads, { n, m, types, win, at, cost, edge, scale: ctx.w.confScale, total: cost[end] ?? 0 });
  return { beads, path };
}

interface Lattice {
  n: number;
  m: number;
  types: readonly BeadType[];
  win: Window;
  at(i: number, j: number): number;
  /** Best cost from the origin to each cell. */
  cost: Float64Array;
  /** Bead cost by end cell × type. */
  edge: Float64Array;
  scale: number;
  total: number;
}

/**
 * Confidence of each chosen bead from max-marginals: the best complete path that does NOT use the
 * bead must use another bead covering the bead's first sentence; the cost gap between that path and
 * the best path, g ≥ 0, maps to g / (g + scale). Ties give 0, a lone plausible reading gives ≈ 1.
 */
function setConfidences(beads: Bead[], L: Lattice): void {
  const { n, types, win, at, cost, edge } = L;
  const T = types.length;
  const maxK = Math.max(...types.map(([k]) => k));
  const maxL = Math.max(...types.map(([, l]) => l));
  // Backward pass: best cost from each cell to the end.
  const toEnd = new Float64Array(cost.length).fill(Infinity);
  toEnd[at(n, L.m)] = 0;
  for (let i = n; i >= 0; i--) {
    for (let j = win.hi[i] ?? -1; j >= (win.lo[i] ?? 0); j--) {
      const idx = at(i, j);
      let best = toEnd[idx] ?? Infinity;
      for (let t = 0; t < T; t++) {
        const [k, l] = types[t] ?? [0, 0];
        const nxt = at(i + k, j + l);
        if (nxt < 0) continue;
        const c = (edge[nxt * T + t] ?? Infinity) + (toEnd[nxt] ?? Infinity);
        if (c < best) best = c;
      }
      toEnd[idx] = best;
    }
  }
  const through = (endIdx: number, t: number, startIdx: number): number =>
    startIdx < 0 ? Infinity : (cost[startIdx] ?? Infinity) + (edge[endIdx * T + t] ?? Infinity) + (toEnd[endIdx] ?? Infinity);
  // (si, sj): the cell where the current bead starts.
  let si = 0;
  let sj = 0;
  for (const bead of beads) {
    const k0 = bead.a.length;
    const l0 = bead.b.length;
    let rival = Infinity;
    if (k0 > 0) {
      // Other beads covering a-sentence si: end row si + 1 … si + maxK, start row ≤ si.
      for (let ie = si + 1; ie <= Math.min(n, si + maxK); ie++) {
        for (let je: number = win.lo[ie] ?? 0; je <= (win.hi[ie] ?? -1); je++) {
          const e = at(ie, je);
          for (let t = 0; t < T; t++) {
            const [k, l] = types[t] ?? [0, 0];
            if (k < ie - si || k === 0) continue;
            if (ie === si + k0 && je === sj + l0 && k === k0 && l === l0) continue; // the bead itself
            const c = through(e, t, at(ie - k, je - l));
            if (c < rival) rival = c;
          }
        }
      }
    } else {
      // A 0-1 bead: other beads covering b-sentence sj, in nearby rows.
      for (let ie = Math.max(0, si - 12); ie <= Math.min(n, si + 12); ie++) {
        for (let je = sj + 1; je <= Math.min(L.m, sj + maxL); je++) {
          const e = at(ie, je);
          if (e < 0) continue;
          for (let t = 0; t < T; t++) {
            const [k, l] = types[t] ?? [0, 0];
            if (l < je - sj || l === 0) continue;
            if (ie === si && je === sj + 1 && k === 0 && l === 1) continue; // the bead itself
            const c = through(e, t, at(ie - k, je - l));
            if (c < rival) rival = c;
          }
        }
      }
    }
    const gap = Math.max(0, rival - L.total);
    const conf = Number.isFinite(gap) ? gap / (gap + L.scale) : 1;
    bead.confidence = Math.round(conf * 1000) / 1000;
    si += k0;
    sj += l0;
  }
}

function range(from: number, to: number): number[] {
  const r: number[] = [];
  for (let x = from; x < to; x++) r.push(x);
  return r;
}

function fullWindow(n: number, m: number): Window {
  return { lo: new Int32Array(n + 1), hi: new Int32Array(n + 1).fill(m) };
}

/** Columns within `band` of a path (in both directions), per row. */
function bandAround(path: ReadonlyArray<readonly [number, number]>, n: number, m: number, band: number): Window {
  const minJ = new Int32Array(n + 1).fill(m);
  const maxJ = new Int32Array(n + 1).fill(0);
  for (let t = 0; t < path.length; t++) {
    const [i0, j0] = path[t] ?? [0, 0];
    const [i1, j1] = path[t + 1] ?? [i0, j0];
    // The segment from (i0, j0) to (i1, j1) covers rows i0..i1 and columns j0..j1.
    for (let i = i0; i <= i1; i++) {
      if (j0 < (minJ[i] ?? m)) minJ[i] = j0;
      if (j1 > (maxJ[i] ?? 0)) maxJ[i] = j1;
    }
  }
  const lo = new Int32Array(n + 1);
  const hi = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    let l = m;
    let h = 0;
    for (let d = Math.max(0, i - band); d <= Math.min(n, i + band); d++) {
      l = Math.min(l, minJ[d] ?? m);
      h = Math.max(h, maxJ[d] ?? 0);
    }
    lo[i] = Math.max(0, l - band);
    hi[i] = Math.min(m, h + band);
  }
  return { lo, hi };
}

/** A path for the coarse bead types: full search when small, else via the halved problem. */
function coarsePath(p: Problem, ctx: Ctx, top = true): Array<[number, number]> {
  if ((p.n + 1) * (p.m + 1) <= ctx.fullLimit || p.n < 8 || p.m < 8) {
    return runDp(p, ctx, top ? COARSE_TYPES : HALVED_TYPES, fullWindow(p.n, p.m)).path;
  }
  const half = halve(p);
  const hp = coarsePath(half, ctx, false);
  const projected = hp.map(([i, j]) => [Math.min(2 * i, p.n), Math.min(2 * j, p.m)] as [number, number]);
  // The top level skips refining the projected path: the all-types pass in a band around it does
  // that job at a fraction of the cost (same output on MAC-Dev).
  if (top) return projected;
  return runDp(p, ctx, HALVED_TYPES, bandAround(projected, p.n, p.m, HALVED_BAND)).path;
}

/** The problem with consecutive pairs of sentences on each side joined into one unit. */
function halve(p: Problem): Problem {
  const n = Math.ceil(p.n / 2);
  const m = Math.ceil(p.m / 2);
  const pa = new Float64Array(n + 1);
  const pb = new Float64Array(m + 1);
  for (let i = 0; i <= n; i++) pa[i] = p.pa[Math.min(2 * i, p.n)] ?? 0;
  for (let j = 0; j <= m; j++) pb[j] = p.pb[Math.min(2 * j, p.m)] ?? 0;
  return {
    n,
    m,
    pa,
    pb,
    score: (a0, a1, b0, b1) => p.score(2 * a0, Math.min(2 * a1, p.n), 2 * b0, Math.min(2 * b1, p.m)),
  };
}

export interface ConfidencesOfOptions {
  weights?: Partial<DpWeights>;
  /** Characters of b per character of a; default: measured on the inputs. */
  lengthRatio?: number;
}

/**
 * The confidence of given beads (a path covering both lists), as the aligner would give it: the cost
 * of the best path through the bead against the best path that covers the bead's first sentence with
 * another bead, the gap g mapped to g / (g + scale); 0 when the model prefers another reading. For the
 * short stretch around a row a reviewer aligned by hand: the whole matrix is searched, with every bead
 * type (a bead of a shape the DP never proposes is scored all the same).
 */
export function confidencesOf(lenA: readonly number[], lenB: readonly number[], scorer: BeadScorer, beads: readonly Bead[], opts: ConfidencesOfOptions = {}): number[] {
  const n = lenA.length;
  const m = lenB.length;
  const w: DpWeights = { ...DEFAULT_WEIGHTS, ...opts.weights };
  const pa = prefix(lenA);
  const pb = prefix(lenB);
  const ratio = opts.lengthRatio ?? ((pb[m] ?? 1) / Math.max(1, pa[n] ?? 1) || 1);
  const p: Problem = { n, m, pa, pb, score: (a0, a1, b0, b1) => scorer.score(a0, a1, b0, b1) };
  const ctx: Ctx = { w, ratio, fullLimit: Number.POSITIVE_INFINITY };
  const cols = m + 1;
  const at = (i: number, j: number): number => i * cols + j;
  const memo = new Map<number, number>();
  const cost = (i: number, j: number, k: number, l: number): number => {
    const key = ((i * cols + j) * 1024 + k) * 1024 + l;
    let c = memo.get(key);
    if (c === undefined) {
      c = beadCost(p, ctx, i, j, k, l);
      memo.set(key, c);
    }
    return c;
  };
  const fwd = new Float64Array((n + 1) * cols).fill(Infinity);
  const bwd = new Float64Array((n + 1) * cols).fill(Infinity);
  fwd[0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (i === 0 && j === 0) continue;
      let best = Infinity;
      for (const [k, l] of ALL_TYPES) {
        if (i < k || j < l) continue;
        const c = (fwd[at(i - k, j - l)] ?? Infinity) + cost(i - k, j - l, k, l);
        if (c < best) best = c;
      }
      fwd[at(i, j)] = best;
    }
  }
  bwd[at(n, m)] = 0;
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      if (i === n && j === m) continue;
      let best = Infinity;
      for (const [k, l] of ALL_TYPES) {
        if (i + k > n || j + l > m) continue;
        const c = cost(i, j, k, l) + (bwd[at(i + k, j + l)] ?? Infinity);
        if (c < best) best = c;
      }
      bwd[at(i, j)] = best;
    }
  }
  const through = (i: number, j: number, k: number, l: number): number => (fwd[at(i, j)] ?? Infinity) + cost(i, j, k, l) + (bwd[at(i + k, j + l)] ?? Infinity);
  const out: number[] = [];
  let si = 0;
  let sj = 0;
  for (const bead of beads) {
    const k0 = bead.a.length;
    const l0 = bead.b.length;
    const mine = through(si, sj, k0, l0);
    let rival = Infinity;
    for (const [k, l] of ALL_TYPES) {
      // Other beads covering the bead's first a-sentence (its first b-sentence when it has no a side).
      const onA = k0 > 0;
      if ((onA && k === 0) || (!onA && l === 0)) continue;
      const lo = onA ? Math.max(0, si - k + 1) : Math.max(0, sj - l + 1);
      const hi = onA ? Math.min(si, n - k) : Math.min(sj, m - l);
      for (let s = lo; s <= hi; s++) {
        for (let o = 0; o <= (onA ? m - l : n - k); o++) {
          const i = onA ? s : o;
          const j = onA ? o : s;
          if (i === si && j === sj && k === k0 && l === l0) continue;
          const c = through(i, j, k, l);
          if (c < rival) rival = c;
        }
      }
    }
    const gap = rival - mine;
    const conf = !Number.isFinite(mine) ? 0 : !Number.isFinite(gap) ? 1 : gap <= 0 ? 0 : gap / (gap + w.confScale);
    out.push(Math.round(conf * 1000) / 1000);
    si += k0;
    sj += l0;
  }
  return out;
}

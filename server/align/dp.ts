/**
 * Dynamic programming over beads. The DP sees a BeadScorer and sentence lengths, nothing else.
 *
 * Search (linear in document length, as in Vecalign): a coarse pass over few bead types finds a path
 * — over the full matrix when it is small, else by recursively halving both sides, aligning the
 * halved problem and searching a band around its projected path — then all bead types are searched
 * in a narrow band around that path. Cells live in per-row windows: memory is O((n + m) · band).
 */
import type { Bead, BeadScorer } from '../domain.js';

/**
 * A scorer that can score a run of beads sharing their start and their b-range at once (the lexical
 * model does it in one sweep): out[k − 1] = score(a0, a0 + k, b0, b1) for k = 1 … kMax. Optional: the
 * DP calls `score` once per bead for scorers without it.
 */
export interface RunScorer extends BeadScorer {
  /**
   * With `deficits`, also each bead's support deficit (≥ 0): how little evidence the sentences of a
   * multi-sentence side show of their own (see lexical/matcher.ts). The DP adds `support` × deficit
   * to a bead's cost, so a merge must be earned by evidence.
   */
  scoreRun(a0: number, kMax: number, b0: number, b1: number, out: Float64Array, deficits?: Float64Array | null): void;
}

export function isRunScorer(s: BeadScorer): s is RunScorer {
  return typeof (s as Partial<RunScorer>).scoreRun === 'function';
}

/** A bead shape: k sentences of side a, l of side b. */
export type BeadType = readonly [number, number];

export const ALL_TYPES: readonly BeadType[] = [
  [1, 1], [1, 2], [2, 1], [1, 3], [3, 1], [2, 2], [1, 4], [4, 1], [2, 3], [3, 2], [1, 5], [5, 1], [1, 0], [0, 1],
];
/**
 * The remaining beads of up to six sentences, searched only along a known path (the second pass),
 * as Bertalign's second step searches larger beads around its first step's path: from a cell the
 * path passes through to another one. Each costs `large` on top of its merges.
 */
export const LARGE_TYPES: readonly BeadType[] = [[2, 4], [4, 2], [3, 3]];
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
  /** Cost per unit of support deficit (scorers that report one; sentence beads only, not blocks). */
  support?: number;
  /**
   * Extra cost of a LARGE_TYPES bead. Unset: those beads are not searched. They are searched only
   * when a guide is given (a later pass), from and to cells the guide passes through.
   */
  large?: number;
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
  const problem: Problem = { n, m, pa, pb, unit: 1, scorer: blockScorer(scorer, n, m) };
  const ctx: Ctx = { w, ratio, fullLimit: opts.fullLimit ?? 10_000 };
  const guide = opts.guide ? pathOfBeads(opts.guide) : null;
  const guideOk = guide !== null && guide[guide.length - 1]?.[0] === n && guide[guide.length - 1]?.[1] === m;
  const coarse = guideOk && guide ? guide : coarsePath(problem, ctx);
  const win = bandAround(coarse, n, m, opts.band ?? 5);
  const large = guideOk && guide !== null && w.large !== undefined;
  if (large) {
    const onGuide = bandAround(guide, n, m, 0);
    ctx.onGuideLo = onGuide.lo;
    ctx.onGuideHi = onGuide.hi;
  }
  const res = runDp(problem, ctx, large ? [...ALL_TYPES, ...LARGE_TYPES] : ALL_TYPES, win, true);
  return res.beads;
}

interface Problem {
  n: number;
  m: number;
  /** Prefix sums of sentence lengths. */
  pa: Float64Array;
  pb: Float64Array;
  /** Sentences per unit: 1, or 2^d in a problem halved d times (its last unit may be shorter). */
  unit: number;
  scorer: BlockScorer;
}

/**
 * The scorer as the DP uses it at every level: runs of units (see RunScorer), where a unit is a
 * block of sentences. One object for all levels, so the hot loops always call the same function.
 */
class BlockScorer {
  private fine = new Float64Array(16);
  constructor(
    private readonly scorer: BeadScorer,
    private readonly runs: RunScorer | null,
    /** Sentences on each side. */
    private readonly n: number,
    private readonly m: number,
  ) {}

  /**
   * out[k − 1] = score of units [a0, a0 + k) × [b0, b1), k = 1 … kMax; with `deficits` (sentence
   * units only), each bead's support deficit too (0 when the scorer reports none).
   */
  run(unit: number, a0: number, kMax: number, b0: number, b1: number, out: Float64Array, deficits: Float64Array | null = null): void {
    const { n, m } = this;
    const s0 = unit * a0;
    const t0 = unit * b0;
    const t1 = Math.min(unit * b1, m);
    if (deficits) deficits.fill(0, 0, kMax);
    if (!this.runs) {
      for (let k = 1; k <= kMax; k++) out[k - 1] = this.scorer.score(s0, Math.min(unit * (a0 + k), n), t0, t1);
      return;
    }
    // A run of k = 1 … kMax units is the run of their sentences, read at each unit's end (one code
    // path for every level: a branch first taken at the last level would deoptimise the DP).
    const kFine = Math.min(unit * (a0 + kMax), n) - s0;
    if (this.fine.length < kFine) this.fine = new Float64Array(2 * kFine);
    const fine = this.fine;
    this.runs.scoreRun(s0, kFine, t0, t1, fine, unit === 1 ? deficits : null);
    for (let k = 1; k <= kMax; k++) out[k - 1] = fine[Math.min(unit * (a0 + k), n) - s0 - 1] ?? 0;
  }
}

function blockScorer(scorer: BeadScorer, n: number, m: number): BlockScorer {
  return new BlockScorer(scorer, isRunScorer(scorer) ? scorer : null, n, m);
}
interface Ctx {
  w: DpWeights;
  ratio: number;
  fullLimit: number;
  /**
   * With LARGE_TYPES: the cells the guide passes through, columns onGuideLo[i] … onGuideHi[i] of
   * row i (the rectangles of its beads). A large bead starts and ends on such cells: it regroups
   * sentences along the guide rather than leave it.
   */
  onGuideLo?: Int32Array;
  onGuideHi?: Int32Array;
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

/** Cost of the bead [i, i + k) × [j, j + l) (k, l > 0) whose similarity score is `score`. */
function beadCost(p: Problem, w: DpWeights, ratio: number, i: number, j: number, k: number, l: number, score: number): number {
  const la = (p.pa[i + k] ?? 0) - (p.pa[i] ?? 0);
  const lb = (p.pb[j + l] ?? 0) - (p.pb[j] ?? 0);
  let c = w.merge * (k + l - 2);
  if (w.len !== 0) c += w.len * galeChurchCost(la, lb, ratio, w.lenVar);
  if (w.sim !== 0) c -= w.sim * score * (w.perSentence ? (k + l) / 2 : 1);
  return c;
}

interface DpResult {
  beads: Bead[];
  /** Path corners (i, j) from (0, 0) to (n, m). */
  path: Array<[number, number]>;
}

/**
 * The cells of a window in one flat array, row after row; bead shapes as two typed arrays. The hot
 * loops below index these directly: no closure, tuple or allocation per cell. Each loop is its own
 * function, so V8 optimises it on its own and no later phase deoptimises it.
 */
interface Grid {
  n: number;
  m: number;
  lo: Int32Array;
  hi: Int32Array;
  /** Index of cell (i, lo[i]); rowStart[n + 1] is the number of cells. */
  rowStart: Int32Array;
  T: number;
  K: Int32Array;
  L: Int32Array;
  maxK: number;
  maxL: number;
  /** The types with l sentences of b and k > 0: byL[lStart[l]] … byL[lStart[l + 1] − 1]. */
  byL: Int32Array;
  lStart: Int32Array;
}

function gridOf(n: number, m: number, types: readonly BeadType[], win: Window): Grid {
  const rowStart = new Int32Array(n + 2);
  for (let i = 0; i <= n; i++) rowStart[i + 1] = (rowStart[i] ?? 0) + Math.max(0, (win.hi[i] ?? -1) - (win.lo[i] ?? 0) + 1);
  const T = types.length;
  const K = new Int32Array(T);
  const L = new Int32Array(T);
  let maxK = 0;
  let maxL = 0;
  for (let t = 0; t < T; t++) {
    K[t] = types[t]?.[0] ?? 0;
    L[t] = types[t]?.[1] ?? 0;
    maxK = Math.max(maxK, K[t] ?? 0);
    maxL = Math.max(maxL, L[t] ?? 0);
  }
  const lStart = new Int32Array(maxL + 2);
  const byL: number[] = [];
  for (let l = 1; l <= maxL; l++) {
    lStart[l] = byL.length;
    for (let t = 0; t < T; t++) if ((L[t] ?? 0) === l && (K[t] ?? 0) > 0) byL.push(t);
  }
  lStart[maxL + 1] = byL.length;
  return { n, m, lo: win.lo, hi: win.hi, rowStart, T, K, L, maxK, maxL, byL: Int32Array.from(byL), lStart };
}

/** Flat index of cell (i, j), or −1 outside the window. */
function cellAt(g: Grid, i: number, j: number): number {
  if (i < 0 || i > g.n) return -1;
  const lo = g.lo[i] ?? 0;
  if (j < lo || j > (g.hi[i] ?? -1)) return -1;
  return (g.rowStart[i] ?? 0) + j - lo;
}

/**
 * Cost of every bead whose start and end cells lie in the window, by (end cell, type), Infinity
 * elsewhere. Beads are visited by start cell, and the beads that share a start and an l are scored
 * as one run (k = 1 … kMax): one call per run instead of one per bead.
 */
function beadCosts(p: Problem, ctx: Ctx, g: Grid): Float64Array {
  const { n, rowStart, T } = g;
  const costs = new Float64Array((rowStart[n + 1] ?? 0) * T).fill(Infinity);
  const run = new Float64Array(Math.max(1, g.maxK));
  // Support deficits count for sentence beads, not for the blocks of the coarse levels.
  const deficits = ctx.w.support && p.unit === 1 ? new Float64Array(Math.max(1, g.maxK)) : null;
  // End cell of each type from the current start, or −1 outside the window.
  const endOf = new Int32Array(T);
  for (let i0 = 0; i0 <= n; i0++) {
    const hi0 = g.hi[i0] ?? -1;
    for (let j0 = g.lo[i0] ?? 0; j0 <= hi0; j0++) costsFrom(p, ctx, g, i0, j0, costs, run, deficits, endOf);
  }
  return costs;
}

/** The costs of the beads that start at (i0, j0). */
function costsFrom(
  p: Problem,
  ctx: Ctx,
  g: Grid,
  i0: number,
  j0: number,
  costs: Float64Array,
  run: Float64Array,
  deficits: Float64Array | null,
  endOf: Int32Array,
): void {
  const { n, m, lo, hi, rowStart, T, K, L } = g;
  const { w, ratio, onGuideLo, onGuideHi } = ctx;
  // Large beads (types from ALL_TYPES.length on) only from a cell on the guide to another one.
  const firstLarge = onGuideLo !== undefined ? ALL_TYPES.length : T;
  const fromGuide = onGuideLo !== undefined && onGuideHi !== undefined && j0 >= (onGuideLo[i0] ?? 0) && j0 <= (onGuideHi[i0] ?? -1);
  for (let t = 0; t < T; t++) {
    const ie = i0 + (K[t] ?? 0);
    const je = j0 + (L[t] ?? 0);
    let e = -1;
    if (ie <= n && je <= m) {
      const loE = lo[ie] ?? 0;
      if (je >= loE && je <= (hi[ie] ?? -1)) e = (rowStart[ie] ?? 0) + je - loE;
    }
    if (t >= firstLarge && !(fromGuide && je >= (onGuideLo?.[ie] ?? 0) && je <= (onGuideHi?.[ie] ?? -1))) e = -1;
    endOf[t] = e;
    if (e >= 0 && ((K[t] ?? 0) === 0 || (L[t] ?? 0) === 0)) costs[e * T + t] = w.skip;
  }
  const { byL, lStart } = g;
  for (let l = 1; l <= g.maxL; l++) {
    const x0 = lStart[l] ?? 0;
    const x1 = lStart[l + 1] ?? 0;
    let kMax = 0;
    for (let x = x0; x < x1; x++) {
      const t = byL[x] ?? 0;
      if ((endOf[t] ?? -1) >= 0) kMax = Math.max(kMax, K[t] ?? 0);
    }
    if (kMax === 0) continue;
    if (w.sim !== 0) p.scorer.run(p.unit, i0, kMax, j0, j0 + l, run, deficits);
    for (let x = x0; x < x1; x++) {
      const t = byL[x] ?? 0;
      const k = K[t] ?? 0;
      const e = endOf[t] ?? -1;
      if (e < 0) continue;
      let c = beadCost(p, w, ratio, i0, j0, k, l, w.sim === 0 ? 0 : (run[k - 1] ?? 0));
      if (deficits && w.sim !== 0) c += (w.support ?? 0) * (deficits[k - 1] ?? 0);
      if (t >= firstLarge) c += w.large ?? 0;
      costs[e * T + t] = c;
    }
  }
}

/**
 * Forward pass: best cost to each cell and the type of its last bead. A bead from a cell no path
 * reaches gets cost Infinity in `edge` (so the confidences see exactly the beads of real paths).
 */
function forward(g: Grid, edge: Float64Array, cost: Float64Array, back: Uint8Array): void {
  const { n, lo, hi, rowStart, T, K, L } = g;
  for (let i = 0; i <= n; i++) {
    const loI = lo[i] ?? 0;
    const hiI = hi[i] ?? -1;
    const rowI = rowStart[i] ?? 0;
    for (let j = loI; j <= hiI; j++) {
      if (i === 0 && j === 0) continue;
      const idx = rowI + j - loI;
      let best = Infinity;
      let bestT = 255;
      for (let t = 0; t < T; t++) {
        const pi = i - (K[t] ?? 0);
        const pj = j - (L[t] ?? 0);
        if (pi < 0 || pj < 0) continue;
        const loP = lo[pi] ?? 0;
        if (pj < loP || pj > (hi[pi] ?? -1)) continue;
        const pc = cost[(rowStart[pi] ?? 0) + pj - loP] ?? Infinity;
        if (pc === Infinity) {
          edge[idx * T + t] = Infinity;
          continue;
        }
        const c = pc + (edge[idx * T + t] ?? Infinity);
        if (c < best) {
          best = c;
          bestT = t;
        }
      }
      cost[idx] = best;
      back[idx] = bestT;
    }
  }
}

function backtrace(g: Grid, back: Uint8Array): DpResult {
  const { n, m, T, K, L } = g;
  const beads: Bead[] = [];
  const path: Array<[number, number]> = [[n, m]];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const t = back[cellAt(g, i, j)] ?? 255;
    if (t >= T) throw new Error('broken back-pointer');
    const k = K[t] ?? 0;
    const l = L[t] ?? 0;
    beads.push({ a: range(i - k, i), b: range(j - l, j), confidence: 1 });
    i -= k;
    j -= l;
    path.push([i, j]);
  }
  beads.reverse();
  path.reverse();
  return { beads, path };
}

function runDp(p: Problem, ctx: Ctx, types: readonly BeadType[], win: Window, withConfidence = false): DpResult {
  const { n, m } = p;
  const g = gridOf(n, m, types, win);
  const size = g.rowStart[n + 1] ?? 0;
  const cost = new Float64Array(size).fill(Infinity);
  const back = new Uint8Array(size).fill(255);
  const edge = beadCosts(p, ctx, g);
  const origin = cellAt(g, 0, 0);
  if (origin < 0) throw new Error('band does not contain the origin');
  cost[origin] = 0;
  forward(g, edge, cost, back);
  const end = cellAt(g, n, m);
  if (end < 0 || (cost[end] ?? Infinity) === Infinity) throw new Error('no path through the band');
  const res = backtrace(g, back);
  if (withConfidence) setConfidences(res.beads, { g, cost, edge, toEnd: toEnd(g, edge), scale: ctx.w.confScale, total: cost[end] ?? 0 });
  return res;
}

/** Backward pass: best cost from each cell to the end. */
function toEnd(g: Grid, edge: Float64Array): Float64Array {
  const { n, m, lo, hi, rowStart, T, K, L } = g;
  const out = new Float64Array(rowStart[n + 1] ?? 0).fill(Infinity);
  out[cellAt(g, n, m)] = 0;
  for (let i = n; i >= 0; i--) {
    const loI = lo[i] ?? 0;
    const rowI = rowStart[i] ?? 0;
    for (let j = hi[i] ?? -1; j >= loI; j--) {
      const idx = rowI + j - loI;
      let best = out[idx] ?? Infinity;
      for (let t = 0; t < T; t++) {
        const ni = i + (K[t] ?? 0);
        const nj = j + (L[t] ?? 0);
        if (ni > n || nj > m) continue;
        const loN = lo[ni] ?? 0;
        if (nj < loN || nj > (hi[ni] ?? -1)) continue;
        const nxt = (rowStart[ni] ?? 0) + nj - loN;
        const c = (edge[nxt * T + t] ?? Infinity) + (out[nxt] ?? Infinity);
        if (c < best) best = c;
      }
      out[idx] = best;
    }
  }
  return out;
}

interface Lattice {
  g: Grid;
  /** Best cost from the origin to each cell. */
  cost: Float64Array;
  /** Bead cost by end cell × type. */
  edge: Float64Array;
  /** Best cost from each cell to the end. */
  toEnd: Float64Array;
  scale: number;
  total: number;
}

/** Cost of the best complete path through bead type t ending at cell e (which starts at cell s). */
function through(Lt: Lattice, e: number, t: number, s: number): number {
  return s < 0 ? Infinity : (Lt.cost[s] ?? Infinity) + (Lt.edge[e * Lt.g.T + t] ?? Infinity) + (Lt.toEnd[e] ?? Infinity);
}

/**
 * Confidence of each chosen bead from max-marginals: the best complete path that does NOT use the
 * bead must use another bead covering the bead's first sentence; the cost gap between that path and
 * the best path, g ≥ 0, maps to g / (g + scale). Ties give 0, a lone plausible reading gives ≈ 1.
 */
function setConfidences(beads: Bead[], Lt: Lattice): void {
  const rivalA = rivalsOfA(beads, Lt);
  // (si, sj): the cell where the current bead starts.
  let si = 0;
  let sj = 0;
  for (const bead of beads) {
    const k0 = bead.a.length;
    const l0 = bead.b.length;
    const rival = k0 > 0 ? (rivalA[si] ?? Infinity) : rivalOfB(Lt, si, sj);
    const gap = Math.max(0, rival - Lt.total);
    const conf = Number.isFinite(gap) ? gap / (gap + Lt.scale) : 1;
    bead.confidence = Math.round(conf * 1000) / 1000;
    si += k0;
    sj += l0;
  }
}

/**
 * For each a-sentence r that starts a chosen bead: the best complete path through another bead
 * covering r. One pass over the lattice: each bead (k > 0) is offered to the rows it covers.
 */
function rivalsOfA(beads: readonly Bead[], Lt: Lattice): Float64Array {
  const g = Lt.g;
  const { n, lo, hi, rowStart, T, K, L } = g;
  // The chosen bead starting at each row, as (end cell, type); −1 where no chosen bead starts.
  const chosenEnd = new Int32Array(n + 1).fill(-1);
  const chosenType = new Int32Array(n + 1).fill(-1);
  let si = 0;
  let sj = 0;
  for (const bead of beads) {
    const k0 = bead.a.length;
    const l0 = bead.b.length;
    if (k0 > 0) {
      chosenEnd[si] = cellAt(g, si + k0, sj + l0);
      for (let t = 0; t < T; t++) if (K[t] === k0 && L[t] === l0) chosenType[si] = t;
    }
    si += k0;
    sj += l0;
  }
  const rival = new Float64Array(n + 1).fill(Infinity);
  for (let ie = 1; ie <= n; ie++) {
    const loE = lo[ie] ?? 0;
    const rowE = rowStart[ie] ?? 0;
    for (let je = loE; je <= (hi[ie] ?? -1); je++) {
      const e = rowE + je - loE;
      for (let t = 0; t < T; t++) {
        const k = K[t] ?? 0;
        if (k === 0) continue;
        const c = through(Lt, e, t, cellAt(g, ie - k, je - (L[t] ?? 0)));
        if (c === Infinity) continue;
        // Rows ie − k … ie − 1 are covered; only those where a chosen bead starts need a rival.
        for (let r = ie - k; r < ie; r++) {
          if ((chosenEnd[r] ?? -1) < 0 || (chosenEnd[r] === e && chosenType[r] === t)) continue;
          if (c < (rival[r] ?? Infinity)) rival[r] = c;
        }
      }
    }
  }
  return rival;
}

/** A 0-1 bead at (si, sj): best path through another bead covering b-sentence sj, in nearby rows. */
function rivalOfB(Lt: Lattice, si: number, sj: number): number {
  const g = Lt.g;
  const { n, m, T, K, L } = g;
  let rival = Infinity;
  for (let ie = Math.max(0, si - 12); ie <= Math.min(n, si + 12); ie++) {
    for (let je = sj + 1; je <= Math.min(m, sj + g.maxL); je++) {
      const e = cellAt(g, ie, je);
      if (e < 0) continue;
      for (let t = 0; t < T; t++) {
        const k = K[t] ?? 0;
        const l = L[t] ?? 0;
        if (l < je - sj || l === 0) continue;
        if (ie === si && je === sj + 1 && k === 0 && l === 1) continue; // the bead itself
        const c = through(Lt, e, t, cellAt(g, ie - k, je - l));
        if (c < rival) rival = c;
      }
    }
  }
  return rival;
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
  return { n, m, pa, pb, unit: 2 * p.unit, scorer: p.scorer };
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
  const p: Problem = { n, m, pa, pb, unit: 1, scorer: blockScorer(scorer, n, m) };
  const ctx: Ctx = { w, ratio, fullLimit: Number.POSITIVE_INFINITY };
  // The aligner's lattice over the whole matrix: bead costs (support deficits included), best cost
  // from the origin and to the end of every cell.
  const g = gridOf(n, m, ALL_TYPES, fullWindow(n, m));
  const size = g.rowStart[n + 1] ?? 0;
  const cost = new Float64Array(size).fill(Infinity);
  const edge = beadCosts(p, ctx, g);
  cost[cellAt(g, 0, 0)] = 0;
  forward(g, edge, cost, new Uint8Array(size).fill(255));
  const Lt: Lattice = { g, cost, edge, toEnd: toEnd(g, edge), scale: w.confScale, total: cost[cellAt(g, n, m)] ?? Infinity };
  const out: number[] = [];
  let si = 0;
  let sj = 0;
  for (const bead of beads) {
    const k0 = bead.a.length;
    const l0 = bead.b.length;
    const mine = throughAny(p, ctx, Lt, si, sj, k0, l0);
    let rival = Infinity;
    // Other beads covering the bead's first a-sentence (its first b-sentence when it has no a side).
    const onA = k0 > 0;
    for (let t = 0; t < g.T; t++) {
      const k = g.K[t] ?? 0;
      const l = g.L[t] ?? 0;
      if ((onA && k === 0) || (!onA && l === 0)) continue;
      const lo = onA ? Math.max(0, si - k + 1) : Math.max(0, sj - l + 1);
      const hi = onA ? Math.min(si, n - k) : Math.min(sj, m - l);
      for (let s = lo; s <= hi; s++) {
        for (let o = 0; o <= (onA ? m - l : n - k); o++) {
          const i = onA ? s : o;
          const j = onA ? o : s;
          if (i === si && j === sj && k === k0 && l === l0) continue;
          const c = through(Lt, cellAt(g, i + k, j + l), t, cellAt(g, i, j));
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

/**
 * Cost of the best complete path through the bead [i, i + k) × [j, j + l) of any shape (a reviewer's
 * bead may have a shape the DP never proposes; it is scored as the DP scores its own).
 */
function throughAny(p: Problem, ctx: Ctx, Lt: Lattice, i: number, j: number, k: number, l: number): number {
  const g = Lt.g;
  const s = cellAt(g, i, j);
  const e = cellAt(g, i + k, j + l);
  if (s < 0 || e < 0) return Infinity;
  const { w } = ctx;
  let c = w.skip;
  if (k > 0 && l > 0) {
    const run = new Float64Array(k);
    const deficits = w.support ? new Float64Array(k) : null;
    if (w.sim !== 0) p.scorer.run(1, i, k, j, j + l, run, deficits);
    c = beadCost(p, w, ctx.ratio, i, j, k, l, w.sim === 0 ? 0 : (run[k - 1] ?? 0));
    if (deficits && w.sim !== 0) c += (w.support ?? 0) * (deficits[k - 1] ?? 0);
  }
  return (Lt.cost[s] ?? Infinity) + c + (Lt.toEnd[e] ?? Infinity);
}

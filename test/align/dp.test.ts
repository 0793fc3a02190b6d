import { describe, expect, it } from 'vitest';
import type { Bead, BeadScorer } from '../../server/domain.js';
import { ALL_TYPES, alignLengths, galeChurchCost, LARGE_TYPES, pathOfBeads, type RunScorer } from '../../server/align/dp.js';

/** Gold beads made of the given shapes, laid end to end. */
function goldOf(shapes: ReadonlyArray<readonly [number, number]>): Bead[] {
  const out: Bead[] = [];
  let i = 0;
  let j = 0;
  for (const [k, l] of shapes) {
    out.push({ a: Array.from({ length: k }, (_, x) => i + x), b: Array.from({ length: l }, (_, x) => j + x), confidence: 1 });
    i += k;
    j += l;
  }
  return out;
}

/**
 * A synthetic scorer: 10 points for every (a, b) sentence pair inside the range that belong to the
 * same gold bead, minus 10 for every sentence (either side) whose gold partners all lie outside the range.
 * Additive, so it also rates the halved (block) problems of the coarse pass sensibly.
 */
function syntheticScorer(gold: readonly Bead[]): BeadScorer {
  // Gold partners of each sentence as a contiguous range [lo, hi) of the other side: O(k + l) per call.
  const partnersOfA = new Map<number, [number, number]>();
  const partnersOfB = new Map<number, [number, number]>();
  for (const g of gold) {
    const b0 = g.b[0] ?? 0;
    const a0 = g.a[0] ?? 0;
    g.a.forEach((i) => {
      partnersOfA.set(i, [b0, b0 + g.b.length]);
    });
    g.b.forEach((j) => {
      partnersOfB.set(j, [a0, a0 + g.a.length]);
    });
  }
  const overlap = (r: [number, number] | undefined, lo: number, hi: number): number =>
    r ? Math.max(0, Math.min(hi, r[1]) - Math.max(lo, r[0])) : 0;
  return {
    score(a0, a1, b0, b1) {
      let s = 0;
      for (let i = a0; i < a1; i++) {
        const hits = overlap(partnersOfA.get(i), b0, b1);
        s += hits > 0 ? 10 * hits : -10;
      }
      for (let j = b0; j < b1; j++) if (overlap(partnersOfB.get(j), a0, a1) === 0) s -= 10;
      return s;
    },
  };
}

const strip = (beads: readonly Bead[]): string[] => beads.map((b) => `[${b.a.join(',')}]:[${b.b.join(',')}]`);
const W = { sim: 1, len: 0, merge: 1, skip: 3, confScale: 2 };

describe('alignLengths (DP over beads)', () => {
  it('recovers every bead type, including 1-0 and 0-1', () => {
    // A 1-0 next to a 0-1 could be written in either order at equal cost: keep a 1-1 between beads.
    const shapes = [...ALL_TYPES, ...[...ALL_TYPES].reverse()].flatMap((t) => [t, [1, 1] as const]);
    const gold = goldOf(shapes);
    const n = gold.reduce((s, g) => s + g.a.length, 0);
    const m = gold.reduce((s, g) => s + g.b.length, 0);
    const beads = alignLengths(new Array(n).fill(30), new Array(m).fill(30), syntheticScorer(gold), { weights: W });
    expect(strip(beads)).toEqual(strip(gold));
  });

  it.each(ALL_TYPES.filter(([k, l]) => k > 0 && l > 0).map(([k, l]) => [`${k}-${l}`, k, l] as const))('finds a lone %s bead between 1-1 beads', (_name, k, l) => {
    const gold = goldOf([[1, 1], [k, l], [1, 1]]);
    const n = 2 + k;
    const m = 2 + l;
    const beads = alignLengths(new Array(n).fill(20), new Array(m).fill(20), syntheticScorer(gold), { weights: W });
    expect(strip(beads)).toEqual(strip(gold));
  });

  it.each(LARGE_TYPES.map(([k, l]) => [`${k}-${l}`, k, l] as const))('forms a lone %s bead only around a guide and with a `large` cost', (_name, k, l) => {
    const gold = goldOf([[1, 1], [k, l], [1, 1]]);
    const lenA = new Array(2 + k).fill(20);
    const lenB = new Array(2 + l).fill(20);
    const scorer = syntheticScorer(gold);
    const first = alignLengths(lenA, lenB, scorer, { weights: W });
    expect(strip(first)).not.toEqual(strip(gold)); // not among the first pass's types
    expect(strip(alignLengths(lenA, lenB, scorer, { weights: W, guide: first }))).toEqual(strip(first)); // no `large`: not searched
    expect(strip(alignLengths(lenA, lenB, scorer, { weights: { ...W, large: 2 }, guide: first }))).toEqual(strip(gold));
    // Its extra cost counts: dear enough, the bead loses to the first pass's reading.
    expect(strip(alignLengths(lenA, lenB, scorer, { weights: { ...W, large: 1000 }, guide: first }))).toEqual(strip(first));
  });

  it('covers every sentence exactly once, in order, with confidences in [0, 1]', () => {
    const gold = goldOf(Array.from({ length: 60 }, (_, x) => ALL_TYPES[(x * 7) % ALL_TYPES.length] ?? [1, 1]));
    const n = gold.reduce((s, g) => s + g.a.length, 0);
    const m = gold.reduce((s, g) => s + g.b.length, 0);
    const lenA = Array.from({ length: n }, (_, i) => 10 + ((i * 37) % 50));
    const lenB = Array.from({ length: m }, (_, j) => 10 + ((j * 53) % 70));
    // A noisy scorer: gold evidence plus deterministic noise, so some beads are uncertain.
    const base = syntheticScorer(gold);
    const scorer: BeadScorer = { score: (a0, a1, b0, b1) => base.score(a0, a1, b0, b1) * 0.3 + (((a0 * 31 + b1 * 17) % 7) - 3) };
    const beads = alignLengths(lenA, lenB, scorer, { weights: { ...W, len: 0.5 } });
    expect(beads.flatMap((b) => b.a)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(beads.flatMap((b) => b.b)).toEqual(Array.from({ length: m }, (_, j) => j));
    for (const b of beads) {
      expect(b.confidence).toBeGreaterThanOrEqual(0);
      expect(b.confidence).toBeLessThanOrEqual(1);
      expect(b.a.length + b.b.length).toBeLessThanOrEqual(5);
    }
    expect(new Set(beads.map((b) => b.confidence)).size).toBeGreaterThan(1);
  });

  it('gives clear beads a higher confidence than ambiguous ones', () => {
    const gold = goldOf([[1, 1], [1, 1], [1, 1]]);
    const w = { ...W, merge: 4 };
    const clear = alignLengths([20, 20, 20], [20, 20, 20], syntheticScorer(gold), { weights: w });
    const flat = alignLengths([20, 20, 20], [20, 20, 20], { score: () => 0 }, { weights: w });
    const mean = (bs: Bead[]): number => bs.reduce((s, b) => s + b.confidence, 0) / bs.length;
    expect(mean(clear)).toBeGreaterThan(0.6);
    expect(mean(flat)).toBeLessThan(mean(clear));
  });

  it('is deterministic', () => {
    const gold = goldOf(Array.from({ length: 40 }, (_, x) => ALL_TYPES[(x * 5) % ALL_TYPES.length] ?? [1, 1]));
    const n = gold.reduce((s, g) => s + g.a.length, 0);
    const m = gold.reduce((s, g) => s + g.b.length, 0);
    const run = (): string[] => strip(alignLengths(new Array(n).fill(25), new Array(m).fill(25), { score: (a0, a1, b0, b1) => ((a0 + b0) % 3) - (a1 - a0) - (b1 - b0) }, { weights: W }));
    expect(run()).toEqual(run());
  });

  it('gives the same beads and confidences with a run scorer as with its bead-by-bead score, halved levels included', () => {
    const gold = goldOf(Array.from({ length: 180 }, (_, x) => ALL_TYPES[(x * 11) % ALL_TYPES.length] ?? [1, 1]));
    const n = gold.reduce((s, g) => s + g.a.length, 0);
    const m = gold.reduce((s, g) => s + g.b.length, 0);
    const base = syntheticScorer(gold);
    const noisy = (a0: number, a1: number, b0: number, b1: number): number => base.score(a0, a1, b0, b1) * 0.4 + (((a0 * 13 + b1 * 7) % 5) - 2);
    let runs = 0;
    const runScorer: RunScorer = {
      score: noisy,
      scoreRun(a0, kMax, b0, b1, out) {
        runs++;
        for (let k = 1; k <= kMax; k++) out[k - 1] = noisy(a0, a0 + k, b0, b1);
      },
    };
    const lenA = Array.from({ length: n }, (_, i) => 10 + ((i * 37) % 50));
    const lenB = Array.from({ length: m }, (_, j) => 10 + ((j * 53) % 70));
    const opts = { weights: { ...W, len: 0.5 }, fullLimit: 2_000 };
    const plain = alignLengths(lenA, lenB, { score: noisy }, opts);
    expect(alignLengths(lenA, lenB, runScorer, opts)).toEqual(plain);
    expect(runs).toBeGreaterThan(0);
  });

  it('handles an empty side by 1-0 / 0-1 beads', () => {
    expect(strip(alignLengths([5, 5], [], { score: () => 0 }))).toEqual(['[0]:[]', '[1]:[]']);
    expect(strip(alignLengths([], [5], { score: () => 0 }))).toEqual(['[]:[0]']);
  });

  it('aligns 3,000 × 3,000 sentences in linear work (no N×M matrix)', () => {
    const n = 3000;
    const shapes: Array<[number, number]> = [];
    for (let x = 0; x < n; x++) shapes.push(x % 100 === 50 ? [1, 2] : x % 100 === 51 ? [2, 1] : [1, 1]);
    const gold = goldOf(shapes);
    const na = gold.reduce((s, g) => s + g.a.length, 0);
    const nb = gold.reduce((s, g) => s + g.b.length, 0);
    const base = syntheticScorer(gold);
    let calls = 0;
    const scorer: BeadScorer = { score: (a0, a1, b0, b1) => {
      calls++;
      return base.score(a0, a1, b0, b1);
    } };
    const t0 = performance.now();
    const beads = alignLengths(new Array(na).fill(20), new Array(nb).fill(20), scorer, { weights: W });
    const ms = performance.now() - t0;
    expect(strip(beads)).toEqual(strip(gold));
    // A full matrix would take 9 million cells × 12 bead types; the banded search needs a few hundred per row.
    expect(calls).toBeLessThan(600 * na);
    expect(ms).toBeLessThan(10_000);
  });

  it('follows a guide path when one is given', () => {
    const gold = goldOf([[1, 1], [1, 2], [2, 1], [1, 1]]);
    const beads = alignLengths([20, 20, 20, 20, 20], [20, 20, 20, 20, 20], syntheticScorer(gold), { weights: W, guide: gold });
    expect(strip(beads)).toEqual(strip(gold));
    expect(pathOfBeads(gold)).toEqual([[0, 0], [1, 1], [2, 3], [4, 4], [5, 5]]);
  });
});

describe('galeChurchCost', () => {
  it('is 0 for lengths in the expected ratio and grows with the mismatch', () => {
    expect(galeChurchCost(30, 90, 3, 6.8)).toBeCloseTo(0, 5);
    const near = galeChurchCost(30, 100, 3, 6.8);
    const far = galeChurchCost(30, 200, 3, 6.8);
    expect(near).toBeGreaterThan(0);
    expect(far).toBeGreaterThan(near);
  });
});

/**
 * The lexical matcher (candidates in preference order, runs of beads in one sweep) against the plain
 * rule written out naively: each source word, in order, takes the candidate of highest weight (the first of
 * equals, in dictionary order) among the target occurrences of the bead not yet taken.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Matcher, preferenceTables, type MatchTables } from '../../server/align/lexical/matcher.js';

interface World {
  /** Per source sentence, word ids. */
  src: number[][];
  /** Per word, candidate terms and weights, in dictionary order (weights may tie or be 0). */
  words: Array<{ terms: number[]; weights: number[] }>;
  /** Per target sentence, term ids. */
  tgt: number[][];
  quoteS: number[];
  quoteT: number[];
}

const V = 12;
const WEIGHTS = [0, 0.5, 1, 1, 2, 3.25];

const world: fc.Arbitrary<World> = fc
  .record({
    nWords: fc.integer({ min: 1, max: 10 }),
    nS: fc.integer({ min: 1, max: 12 }),
    nT: fc.integer({ min: 1, max: 12 }),
  })
  .chain(({ nWords, nS, nT }) =>
    fc.record({
      src: fc.array(fc.array(fc.integer({ min: 0, max: nWords - 1 }), { maxLength: 6 }), { minLength: nS, maxLength: nS }),
      words: fc.array(
        fc
          .array(fc.tuple(fc.integer({ min: 0, max: V - 1 }), fc.constantFrom(...WEIGHTS)), { maxLength: 5 })
          .map((c) => ({ terms: c.map((x) => x[0]), weights: c.map((x) => x[1]) })),
        { minLength: nWords, maxLength: nWords },
      ),
      tgt: fc.array(fc.array(fc.integer({ min: 0, max: V - 1 }), { maxLength: 6 }), { minLength: nT, maxLength: nT }),
      quoteS: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: nS + 1, maxLength: nS + 1 }),
      quoteT: fc.array(fc.integer({ min: 0, max: 1 }), { minLength: nT + 1, maxLength: nT + 1 }),
    }),
  );

function starts(xs: number[][]): Int32Array {
  const s = new Int32Array(xs.length + 1);
  xs.forEach((x, i) => {
    s[i + 1] = (s[i] ?? 0) + x.length;
  });
  return s;
}

function tablesOf(w: World): MatchTables {
  return {
    sStart: starts(w.src),
    sWords: Int32Array.from(w.src.flat()),
    ...preferenceTables(w.words),
    tStart: starts(w.tgt),
    tTerms: Int32Array.from(w.tgt.flat()),
    vocabSize: V,
    sQuote: Uint8Array.from(w.quoteS),
    tQuote: Uint8Array.from(w.quoteT),
    sQuestion: new Uint8Array(w.quoteS.length),
    tQuestion: new Uint8Array(w.quoteT.length),
    quoteWeight: 8,
    questionWeight: 3,
  };
}

/** The rule, written plainly (as the lexical model had it before the fast paths). */
function naive(w: World, s0: number, s1: number, t0: number, t1: number): number {
  const avail = new Map<number, number>();
  for (let t = t0; t < t1; t++) for (const v of w.tgt[t] ?? []) avail.set(v, (avail.get(v) ?? 0) + 1);
  let sum = 0;
  for (let s = s0; s < s1; s++) {
    for (const word of w.src[s] ?? []) {
      const c = w.words[word];
      let best = -1;
      let bestW = 0;
      c?.terms.forEach((v, r) => {
        const x = c.weights[r] ?? 0;
        if ((avail.get(v) ?? 0) > 0 && x > bestW) {
          bestW = x;
          best = v;
        }
      });
      if (best >= 0) {
        avail.set(best, (avail.get(best) ?? 0) - 1);
        sum += bestW;
      }
    }
  }
  if (w.quoteS[s1] !== w.quoteT[t1]) sum -= 8;
  return sum;
}

describe('Matcher', () => {
  it('scores every range as the plain rule does, by bead and by run', () => {
    fc.assert(
      fc.property(world, (w) => {
        const m = new Matcher(tablesOf(w));
        const nS = w.src.length;
        const nT = w.tgt.length;
        const out = new Float64Array(nS);
        for (let s0 = 0; s0 < nS; s0++) {
          for (let t0 = 0; t0 < nT; t0++) {
            for (let t1 = t0; t1 <= nT; t1++) {
              for (let s1 = s0; s1 <= nS; s1++) expect(m.score(s0, s1, t0, t1)).toBe(naive(w, s0, s1, t0, t1));
              const kMax = nS - s0;
              m.run(s0, kMax, t0, t1, out);
              for (let k = 1; k <= kMax; k++) expect(out[k - 1]).toBe(naive(w, s0, s0 + k, t0, t1));
            }
          }
        }
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same scores in any order of requests', () => {
    const n = 150;
    const w: World = {
      src: Array.from({ length: n }, (_, i) => [i % 7, (i * 3) % 7, (i * 5) % 7]),
      words: Array.from({ length: 7 }, (_, x) => ({ terms: [x, (x + 1) % V, (x + 4) % V], weights: [1 + x, 1, 2] })),
      tgt: Array.from({ length: n }, (_, j) => [j % V, (j * 5) % V, (j * 7) % V]),
      quoteS: Array.from({ length: n + 1 }, (_, i) => (i % 3 === 0 ? 1 : 0)),
      quoteT: Array.from({ length: n + 1 }, (_, j) => (j % 4 === 0 ? 1 : 0)),
    };
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(n - 1), fc.integer({ min: 1, max: 6 }), fc.nat(n - 1), fc.integer({ min: 0, max: 9 })), { minLength: 1, maxLength: 60 }), (requests) => {
        const m = new Matcher(tablesOf(w));
        const out = new Float64Array(6);
        for (const [s0, k, t0, l] of requests) {
          const s1 = Math.min(n, s0 + k);
          const t1 = Math.min(n, t0 + l);
          expect(m.score(s0, s1, t0, t1)).toBe(naive(w, s0, s1, t0, t1));
          m.run(s0, s1 - s0, t0, t1, out);
          for (let x = 1; x <= s1 - s0; x++) expect(out[x - 1]).toBe(naive(w, s0, s0 + x, t0, t1));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reports support deficits: none before calibration, and for a sentence a bead takes in without evidence of its own', () => {
    // Twelve translations (source sentence i: words 3i … 3i + 2, target sentence i: their terms), then
    // an extra target sentence holding the terms of sentence 0 … 2 (matchable, but not by sentence 5).
    const n = 12;
    const words = Array.from({ length: 3 * n }, (_, x) => ({ terms: [x], weights: [2] }));
    const w: World = {
      src: Array.from({ length: n }, (_, i) => [3 * i, 3 * i + 1, 3 * i + 2]),
      words,
      tgt: [...Array.from({ length: n }, (_, i) => [3 * i, 3 * i + 1, 3 * i + 2]), [0, 4, 8]],
      quoteS: new Array<number>(n + 1).fill(0),
      quoteT: new Array<number>(n + 2).fill(0),
    };
    const m = new Matcher({ ...tablesOf(w), vocabSize: 3 * n });
    const out = new Float64Array(2);
    const d = new Float64Array(2);
    m.run(5, 1, 5, 7, out, d);
    expect(d[0]).toBe(0); // not calibrated: no deficits
    m.calibrate(Array.from({ length: n }, (_, i) => [i, i] as const), 0.05, 0.95);
    // Members match all their mass, chance pairs none: the whole mass is expected.
    expect([m.shareS, m.shareT]).toEqual([1, 1]);
    m.run(5, 1, 5, 6, out, d);
    expect(d[0]).toBe(0); // a true 1-1 bead
    m.run(5, 1, 4, 6, out, d);
    expect(d[0]).toBeCloseTo(6, 10); // target sentence 4 shows nothing of its own: its mass 3 × 2
    expect(out[0]).toBe(6); // the score itself is unchanged
  });
});


/**
 * The lexical model's bead score on flat tables: each source word of the bead, in text order, takes
 * its best candidate term among the target occurrences of the bead not yet taken; the score is the
 * sum of the taken candidates' weights, less the boundary cues at the bead's end.
 *
 * The DP asks for some 10^5 beads per pass, so the hot path allocates nothing: the target terms of
 * the bead are stamped with their counts, then each source word scans its candidates (three on
 * average in MAC-Dev) in order of preference and takes the first one still available. `run` scores
 * the beads [s0, s0 + k) × [t0, t1) for k = 1 … kMax in one sweep: the greedy goes through the
 * source words in order, so each bead's sum is a prefix of the next one's.
 *
 * Tried and dropped: per-sentence-pair match lists built from term postings (a bead then reads only
 * the words that match): no faster with so few candidates per word (MAC-Dev ×10: 8.5 s vs 8.7 s,
 * per call the same within noise), 60 MB more memory and three times the code.
 */

/** Inputs: source sentences as word ids, each word's candidates, target sentences as term ids. */
export interface MatchTables {
  /** Source sentence s holds word occurrences sStart[s] … sStart[s + 1] − 1 of sWords. */
  sStart: Int32Array;
  sWords: Int32Array;
  /** Word w's candidates are candStart[w] … candStart[w + 1] − 1, in order of preference, weights > 0. */
  candStart: Int32Array;
  candTerm: Int32Array;
  candWeight: Float64Array;
  /** Target sentence t holds term occurrences tStart[t] … tStart[t + 1] − 1 of tTerms. */
  tStart: Int32Array;
  tTerms: Int32Array;
  /** Number of distinct terms. */
  vocabSize: number;
  /** Boundary state after each sentence (index 0 … n) on each side, and what a mismatch costs. */
  sQuote: Uint8Array;
  tQuote: Uint8Array;
  sQuestion: Uint8Array;
  tQuestion: Uint8Array;
  quoteWeight: number;
  questionWeight: number;
}

/**
 * Candidate tables in the order the matcher needs: per word, its candidates by weight descending,
 * ties in their given order, weights ≤ 0 dropped. The first candidate still available in a bead is
 * then the one the plain rule picks ("the highest weight, the first of equals").
 */
export function preferenceTables(words: ReadonlyArray<{ terms: readonly number[]; weights: readonly number[] }>): Pick<MatchTables, 'candStart' | 'candTerm' | 'candWeight'> {
  const candStart = new Int32Array(words.length + 1);
  const terms: number[] = [];
  const weights: number[] = [];
  for (let w = 0; w < words.length; w++) {
    const word = words[w];
    if (word) {
      // Insertion sort by weight, descending and stable (lists are short).
      const start = terms.length;
      for (let r = 0; r < word.terms.length; r++) {
        const x = word.weights[r] ?? 0;
        if (!(x > 0)) continue;
        let at = terms.length;
        terms.push(0);
        weights.push(0);
        while (at > start && (weights[at - 1] ?? 0) < x) {
          terms[at] = terms[at - 1] ?? 0;
          weights[at] = weights[at - 1] ?? 0;
          at--;
        }
        terms[at] = word.terms[r] ?? 0;
        weights[at] = x;
      }
    }
    candStart[w + 1] = terms.length;
  }
  return { candStart, candTerm: Int32Array.from(terms), candWeight: Float64Array.from(weights) };
}

export class Matcher {
  private readonly t: MatchTables;
  // Scratch: stamp marks the terms of the current target range, avail their unused occurrences.
  private readonly stamp: Int32Array;
  private readonly avail: Int32Array;
  private cur = 0;

  constructor(tables: MatchTables) {
    this.t = tables;
    this.stamp = new Int32Array(tables.vocabSize);
    this.avail = new Int32Array(tables.vocabSize);
  }

  /** Score of the bead [s0, s1) × [t0, t1). */
  score(s0: number, s1: number, t0: number, t1: number): number {
    return this.sweep(s0, s1, t0, t1, null);
  }

  /** out[k − 1] = score(s0, s0 + k, t0, t1) for k = 1 … kMax. */
  run(s0: number, kMax: number, t0: number, t1: number, out: Float64Array): void {
    if (kMax > 0) this.sweep(s0, s0 + kMax, t0, t1, out);
  }

  private withCues(sum: number, s1: number, t1: number): number {
    const t = this.t;
    let x = sum;
    if (t.sQuote[s1] !== t.tQuote[t1]) x -= t.quoteWeight;
    if (t.sQuestion[s1] !== t.tQuestion[t1]) x -= t.questionWeight;
    return x;
  }

  /** The greedy over [s0, s1) × [t0, t1); with `out`, the score after each source sentence too. */
  private sweep(s0: number, s1: number, t0: number, t1: number, out: Float64Array | null): number {
    const { sStart, sWords, candStart, candTerm, candWeight, tStart, tTerms } = this.t;
    const stamp = this.stamp;
    const avail = this.avail;
    const cur = ++this.cur;
    const q1 = tStart[t1] ?? 0;
    for (let q = tStart[t0] ?? 0; q < q1; q++) {
      const v = tTerms[q] ?? 0;
      if (stamp[v] !== cur) {
        stamp[v] = cur;
        avail[v] = 1;
      } else avail[v] = (avail[v] ?? 0) + 1;
    }
    let sum = 0;
    for (let s = s0; s < s1; s++) {
      const k1 = sStart[s + 1] ?? 0;
      for (let k = sStart[s] ?? 0; k < k1; k++) {
        const w = sWords[k] ?? 0;
        const r1 = candStart[w + 1] ?? 0;
        for (let r = candStart[w] ?? 0; r < r1; r++) {
          const v = candTerm[r] ?? 0;
          if (stamp[v] === cur && (avail[v] ?? 0) > 0) {
            avail[v] = (avail[v] ?? 0) - 1;
            sum += candWeight[r] ?? 0;
            break;
          }
        }
      }
      if (out) out[s - s0] = this.withCues(sum, s + 1, t1);
    }
    return this.withCues(sum, s1, t1);
  }
}

/**
 * The lexical model's bead score on flat tables: each source word of the bead, in text order, takes
 * its best candidate term among the target occurrences of the bead not yet taken; the score is the
 * sum of the taken candidates' weights, less the boundary cues at the bead's end.
 *
 * The DP asks for some 10^5 beads per pass, so the hot path allocates nothing and touches only words
 * that can match at all:
 * - Small beads (the DP's bead types) read per-sentence-pair match lists: for source sentence s and
 *   target sentence t, the (word occurrence, candidate) pairs whose term occurs in t. A list is built
 *   once, kept in a bounded hash table, and a bead merges the lists of its k × l sentence pairs. A
 *   term's available count is looked up when the bead first touches it.
 * - Large ranges (the coarse passes' blocks) stamp the target terms and scan every source word.
 * - `run` scores the beads [s0, s0 + k) × [t0, t1) for k = 1 … kMax in one sweep: the greedy goes
 *   through the source words in order, so each bead's sum is a prefix of the next one's.
 * Both paths give the same numbers, added in the same order (test/align/lexical.test.ts compares them).
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
      const order: number[] = [];
      for (let r = 0; r < word.terms.length; r++) if ((word.weights[r] ?? 0) > 0) order.push(r);
      order.sort((r1, r2) => (word.weights[r2] ?? 0) - (word.weights[r1] ?? 0) || r1 - r2);
      for (const r of order) {
        terms.push(word.terms[r] ?? 0);
        weights.push(word.weights[r] ?? 0);
      }
    }
    candStart[w + 1] = terms.length;
  }
  return { candStart, candTerm: Int32Array.from(terms), candWeight: Float64Array.from(weights) };
}

/** Beads up to this many sentence pairs (k × l) are scored from the pair lists. */
const PAIR_LIMIT = 8;
/** Slots of the pair-list hash table (a power of two); it is emptied when half full. */
const PAIR_SLOTS = 1 << 16;

export class Matcher {
  private readonly t: MatchTables;
  private readonly nTarget: number;
  // Per term: its target occurrences as sorted sentence indices (for counts in a range).
  private readonly occStart: Int32Array;
  private readonly occ: Int32Array;
  // Per-bead scratch: stamp marks terms touched by the current bead, avail their unused occurrences.
  private readonly stamp: Int32Array;
  private readonly avail: Int32Array;
  private cur = 0;
  // Pair lists: hash slots keyed (s, t), each pointing at [off, end) of the entry pool.
  private readonly keyS = new Int32Array(PAIR_SLOTS);
  private readonly keyT = new Int32Array(PAIR_SLOTS);
  private readonly slotGen = new Int32Array(PAIR_SLOTS);
  private readonly slotOff = new Int32Array(PAIR_SLOTS);
  private readonly slotEnd = new Int32Array(PAIR_SLOTS);
  private gen = 1;
  private pairs = 0;
  /** Entries (word occurrence k, candidate r), two ints each. */
  private pool = new Int32Array(1 << 14);
  private poolLen = 0;
  private readonly mark: Int32Array;
  private markId = 0;
  // The lists of the bead being scored: row q, column x at heads[q * PAIR_LIMIT + x].
  private readonly heads = new Int32Array(PAIR_LIMIT * PAIR_LIMIT);
  private readonly tails = new Int32Array(PAIR_LIMIT * PAIR_LIMIT);
  private readonly one = new Float64Array(PAIR_LIMIT);

  constructor(tables: MatchTables) {
    this.t = tables;
    const V = tables.vocabSize;
    this.nTarget = Math.max(0, tables.tStart.length - 1);
    this.stamp = new Int32Array(V);
    this.avail = new Int32Array(V);
    this.mark = new Int32Array(V);
    // Occurrences by term (counting sort): sentence indices come out ascending.
    const occStart = new Int32Array(V + 1);
    const { tStart, tTerms } = tables;
    for (let q = 0; q < tTerms.length; q++) {
      const v = (tTerms[q] ?? 0) + 1;
      occStart[v] = (occStart[v] ?? 0) + 1;
    }
    for (let v = 0; v < V; v++) occStart[v + 1] = (occStart[v + 1] ?? 0) + (occStart[v] ?? 0);
    const fill = occStart.slice(0, V);
    const occ = new Int32Array(tTerms.length);
    for (let j = 0; j < this.nTarget; j++) {
      for (let q = tStart[j] ?? 0; q < (tStart[j + 1] ?? 0); q++) {
        const v = tTerms[q] ?? 0;
        occ[fill[v] ?? 0] = j;
        fill[v] = (fill[v] ?? 0) + 1;
      }
    }
    this.occStart = occStart;
    this.occ = occ;
  }

  /** Score of the bead [s0, s1) × [t0, t1). */
  score(s0: number, s1: number, t0: number, t1: number): number {
    const k = s1 - s0;
    if (k > 0 && t1 > t0 && k * (t1 - t0) <= PAIR_LIMIT) {
      this.pairRun(s0, k, t0, t1, this.one);
      return this.one[k - 1] ?? 0;
    }
    return this.direct(s0, s1, t0, t1, null);
  }

  /** out[k − 1] = score(s0, s0 + k, t0, t1) for k = 1 … kMax. */
  run(s0: number, kMax: number, t0: number, t1: number, out: Float64Array): void {
    if (kMax <= 0) return;
    if (t1 > t0 && kMax * (t1 - t0) <= PAIR_LIMIT) this.pairRun(s0, kMax, t0, t1, out);
    else this.direct(s0, s0 + kMax, t0, t1, out);
  }

  private withCues(sum: number, s1: number, t1: number): number {
    const t = this.t;
    let x = sum;
    if (t.sQuote[s1] !== t.tQuote[t1]) x -= t.quoteWeight;
    if (t.sQuestion[s1] !== t.tQuestion[t1]) x -= t.questionWeight;
    return x;
  }

  /** Stamps every target term of [t0, t1) with its count, then scans every source word. */
  private direct(s0: number, s1: number, t0: number, t1: number, out: Float64Array | null): number {
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

  /** Occurrences of term v in target sentences [t0, t1). */
  private countIn(v: number, t0: number, t1: number): number {
    const occ = this.occ;
    let lo = this.occStart[v] ?? 0;
    let hi = this.occStart[v + 1] ?? 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((occ[mid] ?? 0) < t0) lo = mid + 1;
      else hi = mid;
    }
    let c = 0;
    const end = this.occStart[v + 1] ?? 0;
    while (lo < end && (occ[lo] ?? 0) < t1) {
      c++;
      lo++;
    }
    return c;
  }

  /** Slot of the list for (s, t), built on first use. */
  private list(s: number, t: number): number {
    const mask = PAIR_SLOTS - 1;
    let h = (Math.imul(s, 0x9e3779b1) ^ Math.imul(t + 1, 0x85ebca6b)) & mask;
    const gen = this.gen;
    while (this.slotGen[h] === gen) {
      if (this.keyS[h] === s && this.keyT[h] === t) return h;
      h = (h + 1) & mask;
    }
    const { sStart, sWords, candStart, candTerm, tStart, tTerms } = this.t;
    const mark = this.mark;
    const id = ++this.markId;
    const q1 = tStart[t + 1] ?? 0;
    for (let q = tStart[t] ?? 0; q < q1; q++) mark[tTerms[q] ?? 0] = id;
    const off = this.poolLen;
    let len = off;
    let pool = this.pool;
    const k1 = sStart[s + 1] ?? 0;
    for (let k = sStart[s] ?? 0; k < k1; k++) {
      const w = sWords[k] ?? 0;
      const r1 = candStart[w + 1] ?? 0;
      for (let r = candStart[w] ?? 0; r < r1; r++) {
        if (mark[candTerm[r] ?? 0] !== id) continue;
        if (len + 2 > pool.length) {
          const grown = new Int32Array(pool.length * 2);
          grown.set(pool);
          this.pool = pool = grown;
        }
        pool[len++] = k;
        pool[len++] = r;
      }
    }
    this.poolLen = len;
    this.slotGen[h] = gen;
    this.keyS[h] = s;
    this.keyT[h] = t;
    this.slotOff[h] = off;
    this.slotEnd[h] = len;
    this.pairs++;
    return h;
  }

  /** The greedy over the pair lists of [s0, s0 + kMax) × [t0, t1), one prefix sum per source sentence. */
  private pairRun(s0: number, kMax: number, t0: number, t1: number, out: Float64Array): void {
    const nl = t1 - t0;
    // Room for every list of the bead first, so emptying the table cannot drop one in use.
    if (this.pairs + kMax * nl > PAIR_SLOTS >>> 1) {
      this.gen++;
      this.pairs = 0;
      this.poolLen = 0;
    }
    const heads = this.heads;
    const tails = this.tails;
    for (let q = 0; q < kMax; q++) {
      for (let x = 0; x < nl; x++) {
        const h = this.list(s0 + q, t0 + x);
        heads[q * PAIR_LIMIT + x] = this.slotOff[h] ?? 0;
        tails[q * PAIR_LIMIT + x] = this.slotEnd[h] ?? 0;
      }
    }
    const { candTerm, candWeight } = this.t;
    const pool = this.pool;
    const stamp = this.stamp;
    const avail = this.avail;
    const cur = ++this.cur;
    let sum = 0;
    for (let q = 0; q < kMax; q++) {
      const base = q * PAIR_LIMIT;
      for (;;) {
        // The next word occurrence with a candidate in any of the row's lists.
        let k = -1;
        for (let x = base; x < base + nl; x++) {
          const h = heads[x] ?? 0;
          if (h < (tails[x] ?? 0) && (k < 0 || (pool[h] ?? 0) < k)) k = pool[h] ?? 0;
        }
        if (k < 0) break;
        // Its best candidate still available: the lowest r (lists hold candidates in preference order).
        let bestR = -1;
        for (let x = base; x < base + nl; x++) {
          let h = heads[x] ?? 0;
          const e = tails[x] ?? 0;
          for (; h < e && pool[h] === k; h += 2) {
            const r = pool[h + 1] ?? 0;
            if (bestR >= 0 && r >= bestR) continue;
            const v = candTerm[r] ?? 0;
            if (stamp[v] !== cur) {
              stamp[v] = cur;
              avail[v] = this.countIn(v, t0, t1);
            }
            if ((avail[v] ?? 0) > 0) bestR = r;
          }
          heads[x] = h;
        }
        if (bestR >= 0) {
          const v = candTerm[bestR] ?? 0;
          avail[v] = (avail[v] ?? 0) - 1;
          sum += candWeight[bestR] ?? 0;
        }
      }
      out[q] = this.withCues(sum, s0 + q + 1, t1);
    }
  }
}

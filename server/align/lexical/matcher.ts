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

/** Runs of at most this many target sentences, and this many sentence pairs, use the pair lists. */
const MAX_LISTS = 5;
const PAIR_LIMIT = 8;
/** Columns added on each side of a row's requested range when it is built (it grows by doubling). */
const ROW_PAD = 16;
/** The list pools are emptied (between beads) beyond this many ints. */
const POOL_LIMIT = 1 << 22;

export class Matcher {
  private readonly t: MatchTables;
  private readonly nSource: number;
  private readonly nTarget: number;
  // Per term: its target occurrences as sorted sentence indices (with repeats).
  private readonly occStart: Int32Array;
  private readonly occ: Int32Array;
  // Per-bead scratch: stamp marks terms touched by the current bead, avail their unused occurrences.
  private readonly stamp: Int32Array;
  private readonly avail: Int32Array;
  private cur = 0;
  // Pair lists, built a source row at a time for a range of target columns [rowLo, rowHi]: the list
  // of (s, t) is pool[index[rowIdx[s] + t − rowLo[s]] … index[… + 1]), entries (k, r) two ints each.
  private readonly rowGen: Int32Array;
  private readonly rowLo: Int32Array;
  private readonly rowHi: Int32Array;
  private readonly rowIdx: Int32Array;
  private gen = 1;
  private index = new Int32Array(1 << 14);
  private indexLen = 0;
  private pool = new Int32Array(1 << 15);
  private poolLen = 0;
  /** A row's matches before they are sorted into lists: (t, k, r) triples. */
  private scratch = new Int32Array(1 << 12);
  private cursor = new Int32Array(256);
  // Scratch of takeBucketed: per word occurrence of the row its first entry, per entry the next.
  private kFirst = new Int32Array(64).fill(-1);
  private nextEntry = new Int32Array(256);
  private touched = new Int32Array(64);
  private readonly one = new Float64Array(PAIR_LIMIT);

  private readonly poolLimit: number;

  /** `poolLimit`: ints the list pools may hold before they are emptied (tests make it small). */
  constructor(tables: MatchTables, opts: { poolLimit?: number } = {}) {
    this.t = tables;
    this.poolLimit = opts.poolLimit ?? POOL_LIMIT;
    const V = tables.vocabSize;
    this.nSource = Math.max(0, tables.sStart.length - 1);
    this.nTarget = Math.max(0, tables.tStart.length - 1);
    this.stamp = new Int32Array(V);
    this.avail = new Int32Array(V);
    this.rowGen = new Int32Array(this.nSource);
    this.rowLo = new Int32Array(this.nSource);
    this.rowHi = new Int32Array(this.nSource);
    this.rowIdx = new Int32Array(this.nSource);
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
    if (k > 0 && this.listed(k, t1 - t0)) {
      this.pairRun(s0, k, t0, t1, this.one);
      return this.one[k - 1] ?? 0;
    }
    return this.direct(s0, s1, t0, t1, null);
  }

  /** out[k − 1] = score(s0, s0 + k, t0, t1) for k = 1 … kMax. */
  run(s0: number, kMax: number, t0: number, t1: number, out: Float64Array): void {
    if (kMax <= 0) return;
    if (this.listed(kMax, t1 - t0)) this.pairRun(s0, kMax, t0, t1, out);
    else this.direct(s0, s0 + kMax, t0, t1, out);
  }

  private listed(k: number, l: number): boolean {
    return l > 0 && l <= MAX_LISTS && k * l <= PAIR_LIMIT;
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
    const end = this.occStart[v + 1] ?? 0;
    let lo = this.lowerBound(this.occStart[v] ?? 0, end, t0);
    let c = 0;
    while (lo < end && (occ[lo] ?? 0) < t1) {
      c++;
      lo++;
    }
    return c;
  }

  /** First position in occ[from, to) holding a sentence index ≥ t. */
  private lowerBound(from: number, to: number, t: number): number {
    const occ = this.occ;
    let lo = from;
    let hi = to;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((occ[mid] ?? 0) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Makes the lists of row s cover columns [t0, t1]: builds the row, or rebuilds it wider. */
  private ensureRow(s: number, t0: number, t1: number): void {
    let lo = t0 - ROW_PAD;
    let hi = t1 + ROW_PAD;
    if (this.rowGen[s] === this.gen) {
      const oldLo = this.rowLo[s] ?? 0;
      const oldHi = this.rowHi[s] ?? -1;
      if (t0 >= oldLo && t1 <= oldHi) return;
      // Grow by at least the old width on the side that fell short, so rebuilds stay few.
      const width = oldHi - oldLo + 1;
      lo = Math.min(oldLo, t0 < oldLo ? Math.min(lo, oldLo - width) : oldLo);
      hi = Math.max(oldHi, t1 > oldHi ? Math.max(hi, oldHi + width) : oldHi);
    }
    this.buildRow(s, Math.max(0, lo), Math.min(this.nTarget - 1, hi));
  }

  /**
   * The lists of row s for columns [lo, hi], from each candidate's term occurrences: one pass over
   * the row's candidates finds every (word occurrence, candidate, column) match, which are then
   * sorted into one list per column (stable: each list stays in (k, r) order).
   */
  private buildRow(s: number, lo: number, hi: number): void {
    const { sStart, sWords, candStart, candTerm } = this.t;
    const occ = this.occ;
    let scratch = this.scratch;
    let n = 0;
    const k1 = sStart[s + 1] ?? 0;
    for (let k = sStart[s] ?? 0; k < k1; k++) {
      const w = sWords[k] ?? 0;
      const r1 = candStart[w + 1] ?? 0;
      for (let r = candStart[w] ?? 0; r < r1; r++) {
        const v = candTerm[r] ?? 0;
        const end = this.occStart[v + 1] ?? 0;
        let last = -1;
        for (let o = this.lowerBound(this.occStart[v] ?? 0, end, lo); o < end; o++) {
          const t = occ[o] ?? 0;
          if (t > hi) break;
          if (t === last) continue; // the term twice in one sentence: one entry
          last = t;
          if (n + 3 > scratch.length) {
            const grown = new Int32Array(scratch.length * 2);
            grown.set(scratch);
            this.scratch = scratch = grown;
          }
          scratch[n++] = t;
          scratch[n++] = k;
          scratch[n++] = r;
        }
      }
    }
    // Counting sort by column: index[idx + c] is where column c's list starts, index[idx + width] the end.
    const width = hi - lo + 1;
    const idx = this.reserveIndex(width + 1);
    const index = this.index;
    index.fill(0, idx, idx + width + 1);
    for (let x = 0; x < n; x += 3) {
      const c = idx + (scratch[x] ?? 0) - lo + 1;
      index[c] = (index[c] ?? 0) + 2;
    }
    const total = (n / 3) * 2;
    index[idx] = this.reservePool(total);
    for (let c = idx + 1; c <= idx + width; c++) index[c] = (index[c] ?? 0) + (index[c - 1] ?? 0);
    if (this.cursor.length < width) this.cursor = new Int32Array(2 * width);
    const cursor = this.cursor;
    cursor.set(index.subarray(idx, idx + width));
    const pool = this.pool;
    for (let x = 0; x < n; x += 3) {
      const c = (scratch[x] ?? 0) - lo;
      const p = cursor[c] ?? 0;
      pool[p] = scratch[x + 1] ?? 0;
      pool[p + 1] = scratch[x + 2] ?? 0;
      cursor[c] = p + 2;
    }
    this.poolLen += total;
    this.rowGen[s] = this.gen;
    this.rowLo[s] = lo;
    this.rowHi[s] = hi;
    this.rowIdx[s] = idx;
  }

  private reserveIndex(n: number): number {
    if (this.indexLen + n > this.index.length) {
      const grown = new Int32Array(Math.max(this.index.length * 2, this.indexLen + n));
      grown.set(this.index);
      this.index = grown;
    }
    const at = this.indexLen;
    this.indexLen += n;
    return at;
  }

  /** Room for n more pool ints; returns where they start (poolLen itself moves when they are written). */
  private reservePool(n: number): number {
    if (this.poolLen + n > this.pool.length) {
      const grown = new Int32Array(Math.max(this.pool.length * 2, this.poolLen + n));
      grown.set(this.pool);
      this.pool = grown;
    }
    return this.poolLen;
  }

  /**
   * The greedy over the pair lists of [s0, s0 + kMax) × [t0, t1), one prefix sum per source sentence.
   * A row's lists for columns t0 … t1 − 1 lie side by side in the pool; their entries are taken word
   * occurrence by word occurrence (one list: already in that order; several: bucketed by occurrence).
   */
  private pairRun(s0: number, kMax: number, t0: number, t1: number, out: Float64Array): void {
    const nl = t1 - t0;
    // Rows are only ever added while a run is scored, so emptying here never drops one in use.
    if (this.poolLen > this.poolLimit || this.indexLen > this.poolLimit) {
      this.gen++;
      this.poolLen = 0;
      this.indexLen = 0;
    }
    const cur = ++this.cur;
    let sum = 0;
    for (let q = 0; q < kMax; q++) {
      const s = s0 + q;
      this.ensureRow(s, t0, t1 - 1);
      const base = (this.rowIdx[s] ?? 0) + t0 - (this.rowLo[s] ?? 0);
      const from = this.index[base] ?? 0;
      const to = this.index[base + nl] ?? 0;
      if (from < to) sum += nl === 1 ? this.takeSorted(from, to, t0, t1, cur) : this.takeBucketed(s, from, to, t0, t1, cur);
      out[q] = this.withCues(sum, s + 1, t1);
    }
  }

  /** Available count of term v in the current bead (looked up when the bead first touches it). */
  private availOf(v: number, t0: number, t1: number, cur: number): number {
    if (this.stamp[v] !== cur) {
      this.stamp[v] = cur;
      this.avail[v] = this.countIn(v, t0, t1);
    }
    return this.avail[v] ?? 0;
  }

  /** The greedy over entries [from, to) in (k, r) order: per k, the first available r. */
  private takeSorted(from: number, to: number, t0: number, t1: number, cur: number): number {
    const { candTerm, candWeight } = this.t;
    const pool = this.pool;
    let sum = 0;
    let h = from;
    while (h < to) {
      const k = pool[h] ?? 0;
      let bestR = -1;
      for (; h < to && pool[h] === k; h += 2) {
        const r = pool[h + 1] ?? 0;
        if (bestR < 0 && this.availOf(candTerm[r] ?? 0, t0, t1, cur) > 0) bestR = r;
      }
      if (bestR >= 0) {
        const v = candTerm[bestR] ?? 0;
        this.avail[v] = (this.avail[v] ?? 0) - 1;
        sum += candWeight[bestR] ?? 0;
      }
    }
    return sum;
  }

  /** The greedy over entries [from, to) of several lists: bucketed by word occurrence, then per k the lowest available r. */
  private takeBucketed(s: number, from: number, to: number, t0: number, t1: number, cur: number): number {
    const { sStart, candTerm, candWeight } = this.t;
    const pool = this.pool;
    const sk = sStart[s] ?? 0;
    const words = (sStart[s + 1] ?? 0) - sk;
    if (this.kFirst.length < words) this.kFirst = new Int32Array(2 * words).fill(-1);
    if (this.nextEntry.length < (to - from) >> 1) this.nextEntry = new Int32Array(to - from);
    const kFirst = this.kFirst;
    const next = this.nextEntry;
    const touched = this.touched.length < words ? (this.touched = new Int32Array(2 * words)) : this.touched;
    let nt = 0;
    for (let h = from; h < to; h += 2) {
      const kOff = (pool[h] ?? 0) - sk;
      const e = (h - from) >> 1;
      const first = kFirst[kOff] ?? -1;
      if (first < 0) {
        // Insertion into the sorted list of touched occurrences (a handful per row).
        let x = nt++;
        while (x > 0 && (touched[x - 1] ?? 0) > kOff) {
          touched[x] = touched[x - 1] ?? 0;
          x--;
        }
        touched[x] = kOff;
      }
      next[e] = first;
      kFirst[kOff] = e;
    }
    let sum = 0;
    for (let x = 0; x < nt; x++) {
      const kOff = touched[x] ?? 0;
      let bestR = -1;
      for (let e = kFirst[kOff] ?? -1; e >= 0; e = next[e] ?? -1) {
        const r = pool[from + 2 * e + 1] ?? 0;
        if ((bestR < 0 || r < bestR) && this.availOf(candTerm[r] ?? 0, t0, t1, cur) > 0) bestR = r;
      }
      kFirst[kOff] = -1;
      if (bestR >= 0) {
        const v = candTerm[bestR] ?? 0;
        this.avail[v] = (this.avail[v] ?? 0) - 1;
        sum += candWeight[bestR] ?? 0;
      }
    }
    return sum;
  }
}

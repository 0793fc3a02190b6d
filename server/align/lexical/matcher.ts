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

import { NARRATION, SPEECH, TAG } from './quotes.js';

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
  /**
   * Per sentence on each side, its voices (quotes.ts `voices`). A bead loses `voiceWeight` when one
   * side holds speech and the other none, and again when one side holds narration and the other
   * neither narration nor a speech tag. Optional (no voices: no cue).
   */
  sVoice?: Uint8Array;
  tVoice?: Uint8Array;
  voiceWeight?: number;
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

/**
 * How many voices two sides differ in, by the OR of their sentences' voice bits: speech on one side
 * only; narration on one side and neither narration nor a tag on the other.
 */
export function voiceMismatch(a: number, b: number): number {
  let n = (a ^ b) & SPEECH ? 1 : 0;
  if ((a & NARRATION && !(b & (NARRATION | TAG))) || (b & NARRATION && !(a & (NARRATION | TAG)))) n++;
  return n;
}

const NO_VOICES = new Uint8Array(0);

export class Matcher {
  readonly t: MatchTables;
  // Scratch: stamp marks the terms of the current target range, avail their unused occurrences.
  private readonly stamp: Int32Array;
  private readonly avail: Int32Array;
  private cur = 0;
  // Per-sentence support (deficits): the most each sentence could match, and, per term of the target
  // range, the one sentence holding it (−1 when several do), so a match is credited to a sentence
  // only when no other sentence of the bead could have given it.
  readonly massS: Float64Array;
  readonly massT: Float64Array;
  private readonly sentOf: Int32Array;
  private evidenceT = new Float64Array(8);
  /**
   * Share of its mass a source / target sentence is expected to match when it belongs to a bead
   * (see `run`'s deficits); 0 (the default) turns deficits off. Set by `calibrate`.
   */
  shareS = 0;
  shareT = 0;
  // The voice cue: its weight (0 without voices) and each sentence's voice bits.
  private readonly voiceW: number;
  private readonly sVoice: Uint8Array;
  private readonly tVoice: Uint8Array;

  constructor(tables: MatchTables) {
    this.t = tables;
    const V = tables.vocabSize;
    this.stamp = new Int32Array(V);
    this.avail = new Int32Array(V);
    this.sentOf = new Int32Array(V);
    const { sStart, sWords, candStart, candTerm, candWeight, tStart, tTerms } = tables;
    // A word's most: its best candidate's weight; a term's most: the best weight any word gives it.
    const termMost = new Float64Array(V);
    for (let r = 0; r < candTerm.length; r++) {
      const v = candTerm[r] ?? 0;
      termMost[v] = Math.max(termMost[v] ?? 0, candWeight[r] ?? 0);
    }
    const nS = Math.max(0, sStart.length - 1);
    this.massS = new Float64Array(nS);
    for (let s = 0; s < nS; s++) {
      let m = 0;
      for (let k = sStart[s] ?? 0; k < (sStart[s + 1] ?? 0); k++) {
        const w = sWords[k] ?? 0;
        if ((candStart[w + 1] ?? 0) > (candStart[w] ?? 0)) m += candWeight[candStart[w] ?? 0] ?? 0;
      }
      this.massS[s] = m;
    }
    const nT = Math.max(0, tStart.length - 1);
    this.massT = new Float64Array(nT);
    for (let j = 0; j < nT; j++) {
      let m = 0;
      for (let q = tStart[j] ?? 0; q < (tStart[j + 1] ?? 0); q++) m += termMost[tTerms[q] ?? 0] ?? 0;
      this.massT[j] = m;
    }
    this.voiceW = tables.sVoice && tables.tVoice ? (tables.voiceWeight ?? 0) : 0;
    this.sVoice = tables.sVoice ?? NO_VOICES;
    this.tVoice = tables.tVoice ?? NO_VOICES;
  }

  /** Score of the bead [s0, s1) × [t0, t1). */
  score(s0: number, s1: number, t0: number, t1: number): number {
    const x = this.sweep(s0, s1, t0, t1, null, null);
    return this.voiceW === 0 ? x : x - this.voiceW * voiceMismatch(this.voiceOf(this.sVoice, s0, s1), this.voiceOf(this.tVoice, t0, t1));
  }

  /** The OR of the voice bits of sentences [i0, i1) of a side. */
  private voiceOf(v: Uint8Array, i0: number, i1: number): number {
    let x = 0;
    for (let i = i0; i < i1; i++) x |= v[i] ?? 0;
    return x;
  }

  /** out[k − 1] for k = 1 … kMax less the voice cue of the bead [s0, s0 + k) × [t0, t1). */
  private voiceCues(s0: number, kMax: number, t0: number, t1: number, out: Float64Array): void {
    const vt = this.voiceOf(this.tVoice, t0, t1);
    let vs = 0;
    for (let k = 1; k <= kMax; k++) {
      vs |= this.sVoice[s0 + k - 1] ?? 0;
      out[k - 1] = (out[k - 1] ?? 0) - this.voiceW * voiceMismatch(vs, vt);
    }
  }

  /**
   * out[k − 1] = score(s0, s0 + k, t0, t1) for k = 1 … kMax. With `deficits`, also each bead's
   * support deficit: over the bead's sentences, how far each sentence's own evidence falls short of
   * the share its side is expected to match (see `calibrate`) of what it could match at most. A
   * sentence that a bead takes in without a word of its own to show for it (one whose counterpart was
   * left out of the translation) has a large deficit; a sentence of a true bead rarely does. Own
   * evidence: a source sentence's matched weight; a target sentence's, the matches of terms no other
   * sentence of the bead holds.
   */
  run(s0: number, kMax: number, t0: number, t1: number, out: Float64Array, deficits: Float64Array | null = null): void {
    if (kMax <= 0) return;
    this.sweep(s0, s0 + kMax, t0, t1, out, deficits);
    if (this.voiceW !== 0) this.voiceCues(s0, kMax, t0, t1, out);
  }

  /**
   * Sets the expected shares from pairs known to be translations (confident 1-1 beads). On each side,
   * what a member shows beyond chance: the `member` quantile of the share of its mass a sentence of
   * those pairs matches, less the `chance` quantile of the share it matches with a sentence two or
   * three places off (no translation of it). Free literary translation matches little more than
   * chance: no deficits; an official statement's sentences match far more: a sentence that shows no
   * more than chance does not belong. With fewer than `minPairs` pairs, deficits stay off.
   */
  calibrate(pairs: ReadonlyArray<readonly [number, number]>, member: number, chance: number, minPairs = 8): void {
    const memS: number[] = [];
    const memT: number[] = [];
    const chS: number[] = [];
    const chT: number[] = [];
    const nT = this.massT.length;
    const add = (s: number, t: number, toS: number[], toT: number[]): void => {
      const raw = this.rawSum(s, t);
      const ms = this.massS[s] ?? 0;
      const mt = this.massT[t] ?? 0;
      if (ms > 0) toS.push(raw / ms);
      if (mt > 0) toT.push(raw / mt);
    };
    for (const [s, t] of pairs) {
      add(s, t, memS, memT);
      for (const d of [-3, -2, 2, 3]) if (t + d >= 0 && t + d < nT) add(s, t + d, chS, chT);
    }
    const q = (xs: number[], p: number): number => {
      xs.sort((x, y) => x - y);
      return xs[Math.floor(p * (xs.length - 1))] ?? 0;
    };
    if (pairs.length < minPairs) return;
    this.shareS = Math.max(0, q(memS, member) - q(chS, chance));
    this.shareT = Math.max(0, q(memT, member) - q(chT, chance));
  }

  /** The matched weight of the 1-1 bead (s, t), without boundary or voice cues. */
  rawSum(s: number, t: number): number {
    const out = new Float64Array(1);
    this.sweep(s, s + 1, t, t + 1, out, null);
    const x = out[0] ?? 0;
    const tb = this.t;
    return x + (tb.sQuote[s + 1] !== tb.tQuote[t + 1] ? tb.quoteWeight : 0) + (tb.sQuestion[s + 1] !== tb.tQuestion[t + 1] ? tb.questionWeight : 0);
  }

  /** Score of the bead [s0, s1) × [t0, t1), with its support deficit (see `run`) left in `lastDeficit`. */
  scoreWithDeficit(s0: number, s1: number, t0: number, t1: number): number {
    const k = s1 - s0;
    if (k <= 0) {
      this.lastDeficit = 0;
      return this.score(s0, s1, t0, t1);
    }
    if (this.scratchOut.length < k) {
      this.scratchOut = new Float64Array(2 * k);
      this.scratchDeficits = new Float64Array(2 * k);
    }
    this.sweep(s0, s1, t0, t1, this.scratchOut, this.scratchDeficits);
    if (this.voiceW !== 0) this.voiceCues(s0, k, t0, t1, this.scratchOut);
    this.lastDeficit = this.scratchDeficits[k - 1] ?? 0;
    return this.scratchOut[k - 1] ?? 0;
  }

  lastDeficit = 0;
  private scratchOut = new Float64Array(8);
  private scratchDeficits = new Float64Array(8);

  private withCues(sum: number, s1: number, t1: number): number {
    const t = this.t;
    let x = sum;
    if (t.sQuote[s1] !== t.tQuote[t1]) x -= t.quoteWeight;
    if (t.sQuestion[s1] !== t.tQuestion[t1]) x -= t.questionWeight;
    return x;
  }

  /** The greedy over [s0, s1) × [t0, t1); with `out`, the score after each source sentence too (and its deficit). */
  sweep(s0: number, s1: number, t0: number, t1: number, out: Float64Array | null, deficits: Float64Array | null): number {
    const { sStart, sWords, candStart, candTerm, candWeight, tStart, tTerms } = this.t;
    const stamp = this.stamp;
    const avail = this.avail;
    const cur = ++this.cur;
    const support = deficits !== null && (this.shareS > 0 || this.shareT > 0);
    const sentOf = this.sentOf;
    const q1 = tStart[t1] ?? 0;
    for (let q = tStart[t0] ?? 0; q < q1; q++) {
      const v = tTerms[q] ?? 0;
      if (stamp[v] !== cur) {
        stamp[v] = cur;
        avail[v] = 1;
      } else avail[v] = (avail[v] ?? 0) + 1;
    }
    const l = t1 - t0;
    if (support) {
      for (let j = t0; j < t1; j++) {
        for (let q = tStart[j] ?? 0; q < (tStart[j + 1] ?? 0); q++) sentOf[tTerms[q] ?? 0] = -2; // not seen yet
      }
      for (let j = t0; j < t1; j++) {
        for (let q = tStart[j] ?? 0; q < (tStart[j + 1] ?? 0); q++) {
          const v = tTerms[q] ?? 0;
          const seen = sentOf[v] ?? -2;
          sentOf[v] = seen === -2 || seen === j ? j : -1;
        }
      }
      if (this.evidenceT.length < l) this.evidenceT = new Float64Array(2 * l);
      this.evidenceT.fill(0, 0, l);
    }
    const evidenceT = this.evidenceT;
    let sum = 0;
    let sourceDeficit = 0;
    for (let s = s0; s < s1; s++) {
      const before = sum;
      const k1 = sStart[s + 1] ?? 0;
      for (let k = sStart[s] ?? 0; k < k1; k++) {
        const w = sWords[k] ?? 0;
        const r1 = candStart[w + 1] ?? 0;
        for (let r = candStart[w] ?? 0; r < r1; r++) {
          const v = candTerm[r] ?? 0;
          if (stamp[v] === cur && (avail[v] ?? 0) > 0) {
            avail[v] = (avail[v] ?? 0) - 1;
            sum += candWeight[r] ?? 0;
            if (support) {
              const j = sentOf[v] ?? -1;
              if (j >= 0) evidenceT[j - t0] = (evidenceT[j - t0] ?? 0) + (candWeight[r] ?? 0);
            }
            break;
          }
        }
      }
      if (out) out[s - s0] = this.withCues(sum, s + 1, t1);
      if (support && deficits) {
        sourceDeficit += Math.max(0, this.shareS * (this.massS[s] ?? 0) - (sum - before));
        let d = sourceDeficit;
        for (let j = 0; j < l; j++) d += Math.max(0, this.shareT * (this.massT[t0 + j] ?? 0) - (evidenceT[j] ?? 0));
        deficits[s - s0] = d;
      }
    }
    return this.withCues(sum, s1, t1);
  }
}

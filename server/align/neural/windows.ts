/**
 * Vecalign-style window embeddings: every run of 1..maxWindow consecutive sentences is embedded
 * as one text, and a bead [a0,a1)×[b0,b1) is scored by the cosine of the two windows' vectors.
 */
import type { BeadScorer, Lang } from '../../domain.js';
import { joinSentences } from '../../text/lang.js';

/** texts[i][k-1] = sentences i..i+k-1 joined, for k ≤ maxWindow and i+k ≤ n. */
export function windowTexts(sentences: readonly string[], lang: Lang, maxWindow: number): string[][] {
  return sentences.map((_, i) => {
    const row: string[] = [];
    for (let k = 1; k <= maxWindow && i + k <= sentences.length; k++) row.push(joinSentences(sentences.slice(i, i + k), lang));
    return row;
  });
}

export function dot(x: Float32Array, y: Float32Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/**
 * Scores = cosine in [0, 1] (negative cosines clamp to 0, "no evidence"). Ranges longer than the
 * precomputed windows use the renormalised mean of their sentence vectors.
 */
export class WindowScorer implements BeadScorer {
  private readonly extra = new Map<string, Float32Array>();

  constructor(
    private readonly a: Float32Array[][],
    private readonly b: Float32Array[][],
  ) {}

  score(a0: number, a1: number, b0: number, b1: number): number {
    const va = this.window(this.a, 'a', a0, a1);
    const vb = this.window(this.b, 'b', b0, b1);
    return Math.min(1, Math.max(0, dot(va, vb)));
  }

  private window(side: Float32Array[][], tag: string, s: number, e: number): Float32Array {
    const direct = side[s]?.[e - s - 1];
    if (direct) return direct;
    if (s < 0 || e > side.length || e <= s) throw new RangeError(`bad sentence range [${s}, ${e}) of side ${tag} (${side.length} sentences)`);
    const key = `${tag}${s}:${e}`;
    let v = this.extra.get(key);
    if (!v) {
      const dim = side[s]![0]!.length;
      v = new Float32Array(dim);
      for (let i = s; i < e; i++) {
        const u = side[i]![0]!;
        for (let h = 0; h < dim; h++) v[h]! += u[h]!;
      }
      const n = Math.sqrt(dot(v, v));
      if (n > 0) for (let h = 0; h < dim; h++) v[h]! /= n;
      this.extra.set(key, v);
    }
    return v;
  }
}

/**
 * (1 − weight) × neural + weight × lexical, the lexical score divided by `lexicalUnit` (its value
 * for a typical correct bead) and clamped to [0, 1] so both live on the cosine's scale.
 */
export class BlendScorer implements BeadScorer {
  constructor(
    private readonly neural: BeadScorer,
    private readonly lexical: BeadScorer,
    private readonly weight: number,
    private readonly lexicalUnit = 1,
  ) {}

  score(a0: number, a1: number, b0: number, b1: number): number {
    const w = this.weight;
    const lex = Math.min(1, Math.max(0, this.lexical.score(a0, a1, b0, b1) / this.lexicalUnit));
    return (1 - w) * this.neural.score(a0, a1, b0, b1) + w * lex;
  }
}

/**
 * Inverse document frequency of every term of one side, over its sentences (the "documents"):
 * rare words weigh more in a bead's lexical score. Sentences are CSR-packed: the terms of sentence j
 * are terms[start[j] … start[j + 1]).
 */
export type IdfMode = 'log1p' | 'log';

export function sentenceIdf(start: ArrayLike<number>, terms: ArrayLike<number>, vocabulary: number, mode: IdfMode = 'log1p'): Float64Array {
  const n = Math.max(1, start.length - 1);
  const df = new Float64Array(vocabulary);
  const seen = new Int32Array(vocabulary).fill(-1);
  for (let j = 0; j < n; j++) {
    for (let q = start[j] ?? 0; q < (start[j + 1] ?? 0); q++) {
      const t = terms[q] ?? 0;
      if (seen[t] !== j) {
        seen[t] = j;
        df[t] = (df[t] ?? 0) + 1;
      }
    }
  }
  const idf = new Float64Array(vocabulary);
  for (let t = 0; t < vocabulary; t++) idf[t] = mode === 'log' ? Math.log(n / Math.max(1, df[t] ?? 1)) : Math.log(1 + n / Math.max(1, df[t] ?? 1));
  return idf;
}

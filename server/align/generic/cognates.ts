/**
 * Cognates for pairs written in the same script (Simard et al. 1992; Hunalign and Moore's aligner
 * use the same idea): two words of four letters or more are taken for translations when their
 * longest common subsequence covers most of the longer one, after folding case, diacritics and a
 * few spelling correspondences (k/c, ph/f, th/t, y/i, ß/ss). "Temperatur" ~ "température",
 * "Konzentration" ~ "concentration", "Objektivität" ~ "objectivité".
 */

/** Lower case without diacritics (NFD, combining marks out), ß → ss. */
export function foldWord(w: string): string {
  return w.toLowerCase().normalize('NFD').replace(/\p{M}+/gu, '').replace(/ß/g, 'ss');
}

/** The folded form with spelling correspondences that cross Latin-script languages merged. */
export function cognateKey(w: string): string {
  return foldWord(w).replace(/ph/g, 'f').replace(/th/g, 't').replace(/k/g, 'c').replace(/qu/g, 'c').replace(/y/g, 'i').replace(/z/g, 's');
}

/** Length of the longest common subsequence of two strings (two-row DP, O(|a|·|b|)). */
export function lcsLength(a: string, b: string): number {
  if (a.length === 0 || b.length === 0) return 0;
  let prev = new Uint16Array(b.length + 1);
  let cur = new Uint16Array(b.length + 1);
  for (let i = 1; i <= a.length; i++) {
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = ca === b.charCodeAt(j - 1) ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, cur[j - 1] ?? 0);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] ?? 0;
}

/** Longest-common-subsequence ratio: LCS / length of the longer word, in [0, 1]. */
export function lcsr(a: string, b: string): number {
  const n = Math.max(a.length, b.length);
  return n === 0 ? 0 : lcsLength(a, b) / n;
}

/** Shortest word (in letters, after folding) that can be a cognate. */
export const COGNATE_MIN_LENGTH = 4;

/**
 * Cognate score of two words: the LCS ratio of their cognate keys when both are long enough and the
 * keys start alike (same first two letters: cheap to index, and cognates rarely differ there), else 0.
 */
export function cognateScore(a: string, b: string): number {
  const ka = cognateKey(a);
  const kb = cognateKey(b);
  if (ka.length < COGNATE_MIN_LENGTH || kb.length < COGNATE_MIN_LENGTH) return 0;
  if (ka.slice(0, 2) !== kb.slice(0, 2)) return 0;
  return lcsr(ka, kb);
}

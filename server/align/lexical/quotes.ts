/**
 * Quotation state at sentence boundaries. In narrative text a bead boundary falls where both sides
 * are inside direct speech or both outside it; a boundary where one side is mid-quotation and the
 * other is not is most likely a slip. The state after a sentence is set by the last quotation mark
 * it opens or closes, and carried over sentences that have none.
 */

/** Kind of quotation mark: double (“ ” " 「 」) or single (‘ ’ ' 『 』); -1 for other characters. */
function kindOf(c: string): number {
  if (c === '“' || c === '”' || c === '"' || c === '「' || c === '」') return 0;
  if (c === '‘' || c === '’' || c === "'" || c === '『' || c === '』') return 1;
  return -1;
}

/** +1 for a mark that opens a quotation, −1 for one that closes it, 0 for an apostrophe or none. */
function markAt(s: string, k: number, cjk: boolean): number {
  const c = s[k] ?? '';
  if (c === '“' || c === '‘' || c === '「' || c === '『') return 1;
  if (c === '”' || c === '」' || c === '』' || (cjk && c === '’')) return -1;
  if (c !== '"' && c !== "'" && c !== '’') return 0;
  const before = s[k - 1] ?? ' ';
  const after = s[k + 1] ?? ' ';
  // An apostrophe between letters: don't, Trinket's.
  if (/[A-Za-z0-9\u00c0-\u024f]/.test(before) && /[A-Za-z0-9\u00c0-\u024f]/.test(after)) return 0;
  if (/[\s([{—–"'“‘-]/.test(before) && !/\s/.test(after)) return 1;
  if (!/\s/.test(before) && /[\s)\]}.,;:!?—–"'”’-]/.test(after)) return -1;
  return 0;
}

const QUOTE_CHAR = /[“”"「」‘’'『』]/g;

/** Whether the text is inside a quotation after each sentence: out[i] for the boundary after sentence i − 1 (out[0] = false). */
export function quoteStates(sents: readonly string[]): Uint8Array {
  const out = new Uint8Array(sents.length + 1);
  // One open/closed flag per kind, so a quotation nested in another ("‘长安’", "it's 'in the
  // shadow'") closes only itself; a new paragraph of speech may reopen without a close.
  const open = [0, 0];
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i] ?? '';
    // In Chinese text ’ is always a closing quote, never an apostrophe.
    const cjk = /[\u3400-\u9fff]/.test(s);
    // Only quotation marks and apostrophes can open or close: visit those characters alone.
    QUOTE_CHAR.lastIndex = 0;
    for (let q = QUOTE_CHAR.exec(s); q; q = QUOTE_CHAR.exec(s)) {
      const m = markAt(s, q.index, cjk);
      if (m !== 0) open[kindOf(q[0])] = m > 0 ? 1 : 0;
    }
    out[i + 1] = open[0] || open[1] ? 1 : 0;
  }
  return out;
}

/** Per boundary (as quoteStates): 1 when the sentence before it ends with a question mark. */
export function questionEnds(sents: readonly string[]): Uint8Array {
  const out = new Uint8Array(sents.length + 1);
  for (let i = 0; i < sents.length; i++) {
    const s = (sents[i] ?? '').replace(/[\s"'“”‘’」』)）—–-]+$/u, '');
    out[i + 1] = /[?？]$/.test(s) ? 1 : 0;
  }
  return out;
}

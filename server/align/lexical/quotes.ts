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

/**
 * Bits of `voices`. SPEECH: the sentence holds words inside a quotation that is speech (not a quoted
 * term such as "the word “准”"). NARRATION: it holds words outside a quotation, more than a speech
 * tag. TAG: its only words outside a quotation are a short tag beside its speech ("Sha said",
 * "狗儿冷笑道："), which a translation may move to a sentence of its own or leave out.
 */
export const SPEECH = 1;
export const NARRATION = 2;
export const TAG = 4;

/** Most words (English) or characters (Chinese) of narration beside speech that are still a tag. */
const TAG_WORDS = 5;
const TAG_CJK = 8;

const WORD_CHAR = /[\p{L}\p{N}]/u;
const CJK_CHAR = /[\u3400-\u9fff]/;

/** 2 for a CJK ideograph, 1 for another letter or digit, 0 for the rest (ASCII and CJK without a regex). */
function wordClass(code: number): number {
  if (code >= 0x3400 && code <= 0x9fff) return 2;
  if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) ? 1 : 0;
  // Other code units (each tested alone, as ever): the regular expression once per unit, not per
  // occurrence (Chinese punctuation comes often).
  let known = WORD_CLASS[code] ?? 0;
  if (known === 0) WORD_CLASS[code] = known = WORD_CHAR.test(String.fromCharCode(code)) ? 2 : 1;
  return known - 1;
}

/** Per UTF-16 code unit: 0 not known yet, else 1 + wordClass. */
const WORD_CLASS = new Uint8Array(0x10000);

/**
 * Per sentence, the voices it holds (SPEECH | NARRATION | TAG bits). The quotation state is carried
 * over sentences as in quoteStates, so a line of speech with no mark of its own is speech.
 */
export function voices(sents: readonly string[]): Uint8Array {
  const out = new Uint8Array(sents.length);
  const open = [0, 0];
  // Whether the outermost open quotation is speech rather than a quoted term.
  let isSpeech = true;
  for (let i = 0; i < sents.length; i++) {
    const s = sents[i] ?? '';
    const cjk = CJK_CHAR.test(s);
    let speech = false;
    // Size of the narration: CJK characters, and words (runs of letters) of other scripts.
    let narration = 0;
    let inWord = false;
    for (let k = 0; k < s.length; k++) {
      const code = s.charCodeAt(k);
      const kind = code === 34 || code === 39 || (code >= 0x2018 && code <= 0x201d) || (code >= 0x300c && code <= 0x300f) ? kindOf(s[k] ?? '') : -1;
      if (kind >= 0) {
        const m = markAt(s, k, cjk);
        if (m !== 0) {
          if (m > 0 && !open[0] && !open[1]) isSpeech = opensSpeech(s, k);
          open[kind] = m > 0 ? 1 : 0;
          inWord = false;
          continue;
        }
      }
      const wc = wordClass(code);
      if (wc === 0 && !(inWord && (code === 39 || code === 0x2019))) {
        inWord = false;
        continue;
      }
      if (open[0] || open[1]) {
        if (isSpeech) speech = true;
      } else if (wc === 2 || !inWord) narration++;
      inWord = wc !== 2;
    }
    let bits = speech ? SPEECH : 0;
    if (narration > 0) bits |= speech && narration <= (cjk ? TAG_CJK : TAG_WORDS) ? TAG : NARRATION;
    out[i] = bits;
  }
  return out;
}

/** What may stand right before a quotation of speech: a colon, a comma, a verb of saying. */
const SPEECH_INTRO = /[:：,，道说问曰叫喊嚷笑骂答]$/;

/** A quotation opening at s[k] is speech when it starts the sentence or follows SPEECH_INTRO; else a quoted term. */
function opensSpeech(s: string, k: number): boolean {
  const before = s.slice(0, k).trimEnd();
  return /^[\s"'“‘「『(（—–-]*$/.test(before) || SPEECH_INTRO.test(before);
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

/**
 * Punctuation and quotation cues for any pair. Quotation marks differ by language („…“ in German,
 * « … » in French, »…« in some German books, “…” in English); each side's marks are first rewritten
 * to “ ” / ‘ ’ by the way that side uses them, then the zh–en model's boundary cues (lexical/quotes.ts:
 * inside a quotation after a sentence, ends with a question) apply unchanged.
 */
import { questionEnds, quoteStates } from '../lexical/quotes.js';

/**
 * The sentences of one side with quotation marks rewritten to “ ” ‘ ’. Guillemets open with the
 * kind that comes first in the side (« in French, » in German books); „ opens and “ closes when the
 * side uses „ (German, Czech, Polish …), and likewise ‚ and ‘.
 */
export function normaliseQuotes(sents: readonly string[]): string[] {
  let firstGuillemet = '';
  let low9 = false;
  let low9single = false;
  for (const s of sents) {
    if (!firstGuillemet) {
      const m = /[«»]/.exec(s);
      if (m) firstGuillemet = m[0];
    }
    if (!low9 && s.includes('„')) low9 = true;
    if (!low9single && s.includes('‚')) low9single = true;
    if (firstGuillemet && low9 && low9single) break;
  }
  const open = firstGuillemet === '»' ? '»' : '«';
  return sents.map((s) => {
    let t = s;
    if (low9) t = t.replace(/“/g, '”').replace(/„/g, '“');
    if (low9single) t = t.replace(/‘/g, '’').replace(/‚/g, '‘');
    if (firstGuillemet) t = t.replace(/[«»]/g, (g) => (g === open ? '“' : '”')).replace(/[‹›]/g, (g) => (g === (open === '«' ? '‹' : '›') ? '‘' : '’'));
    return t;
  });
}

/** Per boundary (0 … n): inside a quotation after sentence i − 1; ends with a question. */
export function boundaryCues(sents: readonly string[]): { quote: Uint8Array; question: Uint8Array } {
  const norm = normaliseQuotes(sents).map((s) => s.replace(/[¿¡]/g, ''));
  return { quote: quoteStates(norm), question: questionEnds(norm) };
}

/** Punctuation that tends to survive translation, as literal terms of a sentence. */
export function punctuationTerms(s: string): string[] {
  const out: string[] = [];
  if (/[?？]/.test(s)) out.push('<?>');
  if (/[!！]/.test(s)) out.push('<!>');
  if (/[(（]/.test(s)) out.push('<(>');
  if (/[:：]\s*$|[:：]\s/.test(s)) out.push('<:>');
  if (/[“”"«»„‚‘’‹›「」]/.test(s) && !/^\p{L}+['’]\p{L}/u.test(s)) out.push('<">');
  return out;
}

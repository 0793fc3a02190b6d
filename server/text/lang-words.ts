/**
 * Which language a text in Latin or another alphabetic script is written in, from its most frequent
 * function words (a short list per language; each list's words are frequent in that language and
 * rare in the others as a group). English stays the answer unless another language clearly wins,
 * so short or mixed English text keeps 'en'. Scripts with their own letters decide alone.
 */
import type { Lang } from '../domain.js';

const FUNCTION_WORDS: Record<string, readonly string[]> = {
  en: 'the and of to is was that with for it this are have be not which from by at'.split(' '),
  de: 'der die das und ist nicht ein eine mit sich auf den dem auch zu von wir ich es im'.split(' '),
  fr: 'le la les et est une des du dans que qui pour pas sur au avec nous il ne'.split(' '),
  es: 'el los las y es una del que en por con para se no lo al como pero'.split(' '),
  pt: 'o os e é um uma do da que em não com para se dos das no na'.split(' '),
  it: 'il gli e è di che un una per non con del della sono nel alla'.split(' '),
  nl: 'de het een en van is dat niet op te zijn met voor ook maar wij'.split(' '),
};

const INDEX = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
  for (const w of words) {
    const l = INDEX.get(w) ?? [];
    l.push(lang);
    INDEX.set(w, l);
  }
}

/** Characters looked at: the start of a text decides. */
const SAMPLE = 20_000;

/** The language of Latin-script text by function words: 'en' unless another listed language clearly wins. */
export function latinLanguage(text: string): Lang {
  const hits = new Map<string, number>();
  for (const m of text.slice(0, SAMPLE).toLowerCase().matchAll(/\p{L}+/gu)) {
    for (const lang of INDEX.get(m[0]) ?? []) hits.set(lang, (hits.get(lang) ?? 0) + 1);
  }
  const en = hits.get('en') ?? 0;
  let best = 'en';
  let bestN = en;
  for (const [lang, n] of hits) if (n > bestN) [best, bestN] = [lang, n];
  return best !== 'en' && bestN >= 4 && bestN >= 1.5 * en ? best : 'en';
}

/** The language of text in an alphabet other than Latin, or null: Cyrillic → ru (uk with і ї є ґ), Greek → el … */
export function alphabetLanguage(counts: { cyrillic: number; greek: number; arabic: number; hebrew: number; ukrainian: number }, latin: number): Lang | null {
  const { cyrillic, greek, arabic, hebrew, ukrainian } = counts;
  const top = Math.max(cyrillic, greek, arabic, hebrew);
  if (top === 0 || top < latin) return null;
  if (top === cyrillic) return ukrainian * 50 >= cyrillic ? 'uk' : 'ru';
  if (top === greek) return 'el';
  if (top === arabic) return 'ar';
  return 'he';
}

/**
 * English normalisation shared by the gloss side (CC-CEDICT) and the text side: lower case,
 * stop words out, a light stemmer that maps inflected forms onto one key ("making", "make" → "mak"),
 * and number words / ordinals / month names turned into literal terms ("#6", "month:9").
 */
import { englishNumberValue, numberTerm } from './numbers.js';

const STOP = new Set(
  (
    'a an the and or but if then else of to in on at by for with from into onto upon about as than ' +
    'is am are was were be been being do does did done doing have has had having ' +
    'it its it\'s this that these those there here what which who whom whose ' +
    'not no nor so too very just also only ' +
    'can could will would shall should may might must ' +
    'i me my mine we us our ours you your yours he him his she her hers they them their theirs ' +
    'itself himself herself themselves myself ourselves yourself ' +
    's t d ll m re ve o y sb sth something someone one\'s oneself etc e.g i.e ' +
    'up out over under again further once all any both each few more most other some such own same ' +
    'how when where why while during before after above below between through off ' +
    'used kind sort type'
  ).split(/\s+/),
);

/** Irregular forms that the suffix rules cannot reach; mapped onto the base form before stemming. */
const IRREGULAR: Record<string, string> = Object.fromEntries(
  (
    'said:say says:say went:go gone:go goes:go came:come saw:see seen:see took:take taken:take ' +
    'gave:give given:give got:get gotten:get made:make knew:know known:know thought:think ' +
    'told:tell found:find left:leave felt:feel brought:bring bought:buy caught:catch taught:teach ' +
    'began:begin begun:begin ran:run sat:sit stood:stand understood:understand held:hold heard:hear ' +
    'kept:keep slept:sleep wept:weep met:meet led:lead fed:feed fell:fall fallen:fall ' +
    'wrote:write written:write rode:ride ridden:ride drove:drive driven:drive ate:eat eaten:eat ' +
    'drank:drink drunk:drink sang:sing sung:sing swam:swim spoke:speak spoken:speak broke:break ' +
    'broken:break chose:choose chosen:choose wore:wear worn:wear tore:tear torn:tear ' +
    'threw:throw thrown:throw grew:grow grown:grow flew:fly flown:fly drew:draw drawn:draw ' +
    'forgot:forget forgotten:forget hid:hide hidden:hide lay:lie lain:lie laid:lay ' +
    'lost:lose sent:send spent:spend built:build lent:lend bent:bend meant:mean dealt:deal ' +
    'struck:strike stuck:stick stung:sting hung:hang won:win woke:wake woken:wake ' +
    'became:become shook:shake shaken:shake rose:rise risen:rise paid:pay sold:sell ' +
    'fought:fight sought:seek dug:dig shot:shoot fled:flee bled:bleed ' +
    'men:man women:woman children:child people:person feet:foot teeth:tooth mice:mouse ' +
    'better:good best:good worse:bad worst:bad ' +
    'is:be was:be were:be been:be am:be are:be ' +
    'has:have had:have does:do did:do'
  )
    .split(/\s+/)
    .map((p) => p.split(':') as [string, string]),
);

/** Light, consistent stemming: both "loved" and "love" become "lov". */
export function stem(word: string): string {
  let w = IRREGULAR[word] ?? word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('ing') && w.length > 5) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ed') && w.length > 4) w = undouble(w.slice(0, -2));
  else if (w.endsWith('ly') && w.length > 5) w = w.slice(0, -2);
  else if (w.endsWith('es') && /(ch|sh|x|ss|zz)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !/[aeiouls]/.test(w[n - 1] ?? '')) return w.slice(0, -1);
  return w;
}

const MONTHS = [
  'january', 'february', 'march', 'april', 'may', 'june',
  'july', 'august', 'september', 'october', 'november', 'december',
];

/** `month:N` terms let "September" meet "9月". */
export function monthTerm(n: number): string {
  return `month:${n}`;
}

const WORD_RE = /[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?/g;

/**
 * Content terms of an English text, in order, with repeats. Acronyms and Latin names keep their
 * letters (lower-cased, "covid-19" kept whole as well as parts); numbers become "#value".
 */
export function englishTerms(text: string): string[] {
  const out: string[] = [];
  const raw = text.match(WORD_RE) ?? [];
  for (let k = 0; k < raw.length; k++) {
    const tok = raw[k] ?? '';
    if (/^\d/.test(tok)) {
      const ord = /^(\d+)(st|nd|rd|th)$/.exec(tok);
      let value = ord ? Number(ord[1]) : Number(tok.replace(/,/g, ''));
      // "10 billion", "1.5 million": scale the number by the word that follows.
      const next = (raw[k + 1] ?? '').toLowerCase();
      const scale = SCALE[next];
      if (scale !== undefined && !ord) {
        value *= scale;
        k++;
      }
      if (Number.isFinite(value)) out.push(numberTerm(value));
      continue;
    }
    for (const t of wordTerms(tok)) out.push(t);
  }
  return out;
}

/** Terms of one word token (not a number), cached: the same words come back again and again. */
const wordTermCache = new Map<string, readonly string[]>();
const WORD_CACHE_LIMIT = 200_000;
const NONE: readonly string[] = Object.freeze([]);

function wordTerms(tok: string): readonly string[] {
  let terms = wordTermCache.get(tok);
  if (terms === undefined) {
    if (wordTermCache.size >= WORD_CACHE_LIMIT) wordTermCache.clear();
    terms = computeWordTerms(tok);
    wordTermCache.set(tok, terms);
  }
  return terms;
}

function computeWordTerms(tok: string): readonly string[] {
  const lower = tok.toLowerCase().replace(/’/g, "'");
  const month = MONTHS.indexOf(lower);
  if (month >= 0 && (lower !== 'may' || /^M/.test(tok))) return Object.freeze([monthTerm(month + 1)]);
  const nv = englishNumberValue(lower);
  if (nv !== null) return Object.freeze([numberTerm(nv)]);
  const w = lower.replace(/'s$/, '').replace(/'/g, '');
  if (w.includes('-')) {
    // "well-known", "covid-19": the parts count as words.
    const out: string[] = [];
    for (const part of w.split('-')) if (part && !STOP.has(part)) out.push(stem(part));
    return Object.freeze(out);
  }
  if (!w || STOP.has(w)) return NONE;
  return Object.freeze([stem(w)]);
}

const SCALE: Record<string, number> = { thousand: 1e3, million: 1e6, billion: 1e9, trillion: 1e12 };

/**
 * Numbers and dates by value, for any pair: "1'000", "1 000", "1.000" (de) and "1,000" (en) are all
 * 1000; "9." (de), "9e" (fr), "9th" (en) are 9; number words up to twelve and their ordinals
 * ("sechsten", "septième", "third") and month names ("September", "sept.", "сентября") in the
 * languages listed below. Every value becomes the same literal term on both sides (`#9`, `month:9`,
 * as the zh–en model writes them), so matching is by equality.
 */
import type { Lang } from '../../domain.js';
import { numberTerm } from '../lexical/numbers.js';
import { baseLang } from './langs.js';

export { numberTerm };

export function monthTerm(n: number): string {
  return `month:${n}`;
}

/**
 * A digit run, with thousands groups ("1 000", "1'000", "1.000", "1,000") or a decimal part
 * ("1,5", "2.75"). Not inside a word ("A320" keeps 320: the letters are a separate token).
 */
export const DIGIT_NUMBER = /(?<![\p{N}])(\d{1,3}(?:[ \u00a0\u202f'’.,]\d{3})+(?![\d])|\d+)(?:[.,](\d+))?/gu;

/** Values of the numbers written with digits in a sentence (an ambiguous "1.500" gives 1500 and 1.5). */
export function digitValues(text: string): number[] {
  const out: number[] = [];
  for (const m of text.matchAll(DIGIT_NUMBER)) {
    const whole = m[1] ?? '';
    const frac = m[2];
    const groups = whole.split(/[ \u00a0\u202f'’.,]/);
    if (groups.length > 1) {
      out.push(Number(groups.join('')));
      const sep = whole[groups[0]?.length ?? 0];
      // One group after "." or ",": a decimal in some languages ("1.500" = 1.5 in en, 1500 in de).
      if (groups.length === 2 && (sep === '.' || sep === ',')) out.push(Number(`${groups[0]}.${groups[1]}`));
      // A space may separate two numbers ("1988 600"): keep the parts too.
      if (sep === ' ' || sep === '\u00a0' || sep === '\u202f') for (const g of groups) out.push(Number(g));
    } else if (frac !== undefined) {
      out.push(Number(`${whole}.${frac}`));
    } else out.push(Number(whole));
  }
  return out.filter((v) => Number.isFinite(v));
}

/**
 * Number words 2–12 and their ordinals, as regular expressions over lower-case words (inflected
 * endings included). "One" is left out in every language: it is also an article or a pronoun.
 */
const NUMBER_WORDS: Record<string, ReadonlyArray<readonly [number, RegExp]>> = {
  en: words([
    [2, 'two|second'], [3, 'three|third'], [4, 'four|fourth'], [5, 'five|fifth'], [6, 'six|sixth'], [7, 'seven|seventh'],
    [8, 'eight|eighth'], [9, 'nine|ninth'], [10, 'ten|tenth'], [11, 'eleven|eleventh'], [12, 'twelve|twelfth'],
    [20, 'twenty|twentieth'], [100, 'hundred|hundredth'], [1000, 'thousand|thousandth'],
  ]),
  de: words([
    [2, 'zwei|zweit(?:e[nmrs]?)?'], [3, 'drei|dritt(?:e[nmrs]?)?'], [4, 'vier|viert(?:e[nmrs]?)?'], [5, 'fünf|fünft(?:e[nmrs]?)?'],
    [6, 'sechs|sechst(?:e[nmrs]?)?'], [7, 'sieben|siebt(?:e[nmrs]?)?|siebent(?:e[nmrs]?)?'], [8, 'acht|acht(?:e[nmrs]?)'],
    [9, 'neun|neunt(?:e[nmrs]?)?'], [10, 'zehn|zehnt(?:e[nmrs]?)?'], [11, 'elf|elft(?:e[nmrs]?)?'], [12, 'zwölf|zwölft(?:e[nmrs]?)?'],
    [20, 'zwanzig|zwanzigst(?:e[nmrs]?)?'], [100, 'hundert'], [1000, 'tausend'],
  ]),
  fr: words([
    [2, 'deux|deuxième|second|seconde'], [3, 'trois|troisième'], [4, 'quatre|quatrième'], [5, 'cinq|cinquième'], [6, 'six|sixième'],
    [7, 'sept|septième'], [8, 'huit|huitième'], [9, 'neuf|neuvième'], [10, 'dix|dixième'], [11, 'onze|onzième'], [12, 'douze|douzième'],
    [20, 'vingt|vingtième'], [100, 'cent|centième'], [1000, 'mille|millième'],
  ]),
  es: words([
    [2, 'dos|segund[oa]s?'], [3, 'tres|tercer[oa]?s?'], [4, 'cuatro|cuart[oa]s?'], [5, 'cinco|quint[oa]s?'], [6, 'seis|sext[oa]s?'],
    [7, 'siete|séptim[oa]s?'], [8, 'ocho|octav[oa]s?'], [9, 'nueve|noven[oa]s?'], [10, 'diez|décim[oa]s?'], [11, 'once'], [12, 'doce'],
    [20, 'veinte'], [100, 'cien|ciento'], [1000, 'mil'],
  ]),
  pt: words([
    [2, 'dois|duas|segund[oa]s?'], [3, 'três|terceir[oa]s?'], [4, 'quatro|quart[oa]s?'], [5, 'cinco|quint[oa]s?'], [6, 'seis|sext[oa]s?'],
    [7, 'sete|sétim[oa]s?'], [8, 'oito|oitav[oa]s?'], [9, 'nove|non[oa]s?'], [10, 'dez|décim[oa]s?'], [11, 'onze'], [12, 'doze'],
    [20, 'vinte'], [100, 'cem|cento'], [1000, 'mil'],
  ]),
  it: words([
    [2, 'due|second[oaie]'], [3, 'tre|terz[oaie]'], [4, 'quattro|quart[oaie]'], [5, 'cinque|quint[oaie]'], [6, 'sei|sest[oaie]'],
    [7, 'sette|settim[oaie]'], [8, 'otto|ottav[oaie]'], [9, 'nove|non[oaie]'], [10, 'dieci|decim[oaie]'], [11, 'undici'], [12, 'dodici'],
    [20, 'venti'], [100, 'cento'], [1000, 'mille'],
  ]),
  nl: words([
    [2, 'twee|tweede'], [3, 'drie|derde'], [4, 'vier|vierde'], [5, 'vijf|vijfde'], [6, 'zes|zesde'], [7, 'zeven|zevende'],
    [8, 'acht|achtste'], [9, 'negen|negende'], [10, 'tien|tiende'], [11, 'elf|elfde'], [12, 'twaalf|twaalfde'],
    [20, 'twintig'], [100, 'honderd'], [1000, 'duizend'],
  ]),
  ru: words([
    [2, 'два|две|двух|двум|двумя|втор\\p{L}*'], [3, 'три|трёх|трех|трем|тремя|трет\\p{L}*'], [4, 'четыре|четырёх|четырех|четв[её]рт\\p{L}*'],
    [5, 'пять|пяти|пят\\p{L}+'], [6, 'шесть|шести|шест\\p{L}+'], [7, 'семь|семи|седьм\\p{L}*'], [8, 'восемь|восьми|восьм\\p{L}*'],
    [9, 'девять|девяти|девят\\p{L}+'], [10, 'десять|десяти|десят\\p{L}+'], [11, 'одиннадцать\\p{L}*'], [12, 'двенадцать\\p{L}*'],
    [20, 'двадцать\\p{L}*'], [100, 'сто'], [1000, 'тысяч\\p{L}*'],
  ]),
};

function words(list: ReadonlyArray<readonly [number, string]>): Array<readonly [number, RegExp]> {
  return list.map(([v, alt]) => [v, new RegExp(`^(?:${alt})$`, 'u')] as const);
}

/**
 * Month names (and unambiguous abbreviations) per language; a word is looked up by its first
 * letters against each full name, then checked against the forms below.
 */
const MONTHS: Record<string, readonly string[]> = {
  en: ['january|jan', 'february|feb', 'march', 'april|apr', 'may', 'june', 'july', 'august|aug', 'september|sept|sep', 'october|oct', 'november|nov', 'december|dec'],
  de: ['januar|jänner|jan', 'februar|feb|febr', 'märz', 'april|apr', 'mai', 'juni', 'juli', 'august|aug', 'september|sept|sep', 'oktober|okt', 'november|nov', 'dezember|dez'],
  fr: ['janvier|janv', 'février|févr|fév', 'mars', 'avril|avr', 'mai', 'juin', 'juillet|juil', 'août', 'septembre|sept', 'octobre|oct', 'novembre|nov', 'décembre|déc'],
  es: ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre|setiembre', 'octubre', 'noviembre', 'diciembre'],
  pt: ['janeiro', 'fevereiro', 'março', 'abril', 'maio', 'junho', 'julho', 'agosto', 'setembro', 'outubro', 'novembro', 'dezembro'],
  it: ['gennaio', 'febbraio', 'marzo', 'aprile', 'maggio', 'giugno', 'luglio', 'agosto', 'settembre', 'ottobre', 'novembre', 'dicembre'],
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  ru: ['январь|января|январе', 'февраль|февраля|феврале', 'март|марта|марте', 'апрель|апреля|апреле', 'май|мая|мае', 'июнь|июня|июне', 'июль|июля|июле', 'август|августа|августе', 'сентябрь|сентября|сентябре', 'октябрь|октября|октябре', 'ноябрь|ноября|ноябре', 'декабрь|декабря|декабре'],
};

const MONTH_INDEX = new Map<string, Map<string, number>>(
  Object.entries(MONTHS).map(([lang, names]) => [lang, new Map(names.flatMap((alts, i) => alts.split('|').map((f) => [f, i + 1] as const)))]),
);

/** Words that are month names only next to a number ("may", "march" are verbs in English). */
const AMBIGUOUS_MONTHS = new Set(['may', 'march', 'mars']);

/** The value of a number word of `lang` ("sechsten" → 6), or null. */
export function numberWordValue(lower: string, lang: Lang): number | null {
  const table = NUMBER_WORDS[baseLang(lang)];
  if (!table) return null;
  for (const [v, re] of table) if (re.test(lower)) return v;
  return null;
}

/** The month (1–12) a lower-case word of `lang` names, or null; `nearNumber` allows "may", "march". */
export function monthValue(lower: string, lang: Lang, nearNumber: boolean): number | null {
  const m = MONTH_INDEX.get(baseLang(lang))?.get(lower);
  if (m === undefined) return null;
  if (AMBIGUOUS_MONTHS.has(lower) && !nearNumber) return null;
  return m;
}

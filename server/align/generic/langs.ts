/**
 * Language codes for the pair-generic model: the two-letter code a text is tagged with ('de',
 * 'pt-BR'), the three-letter code FreeDict names its dictionaries with ('deu'), and the Snowball
 * stemmer for it. Only the languages listed here get a stemmer; every other language still gets
 * the dictionary-free signals.
 */
import type { Lang } from '../../domain.js';

interface LangInfo {
  /** ISO 639-3 (FreeDict file names). */
  iso3: string;
  /** Snowball algorithm name, when snowball-stemmers has one. */
  snowball?: string;
}

const LANGS: Record<string, LangInfo> = {
  af: { iso3: 'afr' },
  ar: { iso3: 'ara', snowball: 'arabic' },
  bg: { iso3: 'bul' },
  ca: { iso3: 'cat', snowball: 'catalan' },
  cs: { iso3: 'ces', snowball: 'czech' },
  cy: { iso3: 'cym' },
  da: { iso3: 'dan', snowball: 'danish' },
  de: { iso3: 'deu', snowball: 'german' },
  el: { iso3: 'ell' },
  en: { iso3: 'eng', snowball: 'english' },
  eo: { iso3: 'epo' },
  es: { iso3: 'spa', snowball: 'spanish' },
  eu: { iso3: 'eus', snowball: 'basque' },
  fi: { iso3: 'fin', snowball: 'finnish' },
  fr: { iso3: 'fra', snowball: 'french' },
  ga: { iso3: 'gle', snowball: 'irish' },
  hr: { iso3: 'hrv' },
  hu: { iso3: 'hun', snowball: 'hungarian' },
  hy: { iso3: 'hye', snowball: 'armenian' },
  id: { iso3: 'ind' },
  is: { iso3: 'isl' },
  it: { iso3: 'ita', snowball: 'italian' },
  ja: { iso3: 'jpn' },
  la: { iso3: 'lat' },
  lt: { iso3: 'lit' },
  nb: { iso3: 'nob', snowball: 'norwegian' },
  nl: { iso3: 'nld', snowball: 'dutch' },
  nn: { iso3: 'nno', snowball: 'norwegian' },
  no: { iso3: 'nor', snowball: 'norwegian' },
  pl: { iso3: 'pol' },
  pt: { iso3: 'por', snowball: 'portuguese' },
  ro: { iso3: 'ron', snowball: 'romanian' },
  ru: { iso3: 'rus', snowball: 'russian' },
  sk: { iso3: 'slk' },
  sl: { iso3: 'slv', snowball: 'slovene' },
  sr: { iso3: 'srp' },
  sv: { iso3: 'swe', snowball: 'swedish' },
  sw: { iso3: 'swh' },
  ta: { iso3: 'tam', snowball: 'tamil' },
  tr: { iso3: 'tur', snowball: 'turkish' },
  uk: { iso3: 'ukr' },
  zh: { iso3: 'zho' },
};

const BY_ISO3 = new Map(Object.entries(LANGS).map(([two, info]) => [info.iso3, two]));

/** The base language of a tag, lower case: 'pt-BR' → 'pt', 'DE' → 'de', 'deu' → 'de'. */
export function baseLang(lang: Lang): string {
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  return BY_ISO3.get(base) ?? base;
}

/** ISO 639-3 code of a tag ('de' → 'deu'), or the tag's base when it is not listed. */
export function iso3(lang: Lang): string {
  const b = baseLang(lang);
  return LANGS[b]?.iso3 ?? b;
}

/** Snowball algorithm name for a tag, or undefined. */
export function snowballName(lang: Lang): string | undefined {
  return LANGS[baseLang(lang)]?.snowball;
}

/**
 * Latin text left inside the Chinese: lowercase words ("何地 and 由何人") are never right; names and
 * acronyms (CWC, COVID-19, OPCW) are fine when the English has them, and only suspicious otherwise.
 */
import type { Finding, Lang } from '../../domain.js';
import { primaryLanguage } from '../../text/lang.js';
import { escapeRegExp, maskSymbols, maskUrls } from '../text-util.js';
import type { BaseOptions, Check, QaPair } from '../types.js';

export interface UntranslatedOptions extends BaseOptions {
  /** Lowercase tokens allowed in Chinese (units, symbols). */
  allow: string[];
  /** Also report names/acronyms that the English of the document does not contain (as minor). */
  reportUnknownNames: boolean;
}

/** Capitalised English function words: "The", "And" left in the Chinese are untranslated text, not names. */
const FUNCTION_WORDS = new Set(
  'a an the and or but of to in on at by for with from as is are was were be this that these those it its their they we he she not no'.split(' '),
);

const LATIN_RUN = /[A-Za-z][A-Za-z0-9'’&.-]*(?:[ \t]+[A-Za-z][A-Za-z0-9'’&.-]*)*/g;

function inText(word: string, text: string): boolean {
  return new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(word)}(?![A-Za-z0-9])`).test(text);
}

export function findUntranslated(pair: QaPair, documentEn: string, opts: UntranslatedOptions): Finding[] {
  const out: Finding[] = [];
  const allow = new Set(opts.allow.map((w) => w.toLowerCase()));
  for (const m of maskSymbols(maskUrls(pair.target)).matchAll(LATIN_RUN)) {
    const run = m[0].replace(/[.'’-]+$/, '');
    const at = m.index ?? 0;
    const words = run.split(/\s+/);
    const isWord = (w: string) => /^[a-z]+$/.test(w) && !allow.has(w);
    const isFunctionWord = (w: string) => /^[A-Z][a-z]*$/.test(w) && FUNCTION_WORDS.has(w.toLowerCase());
    const span = { start: at, end: at + run.length };
    if (words.every((w) => allow.has(w.toLowerCase()))) continue; // 7cm, 5kg
    // A name with lowercase particles kept as in the English ("Lula da Silva", "Food and Agriculture
    // Organization") is a name, not untranslated text; a lowercase run alone ("and") never is.
    const capital = (w: string | undefined) => w !== undefined && /^[A-Z0-9]/.test(w) && !isFunctionWord(w);
    const name = capital(words[0]) && capital(words[words.length - 1]) && (inText(run, pair.source) || inText(run, documentEn));
    if (!name && words.some((w) => isWord(w) || isFunctionWord(w))) {
      out.push({
        check: 'untranslated',
        category: 'Accuracy/Untranslated',
        severity: opts.severity,
        message: `Untranslated English "${run}" in the Chinese text`,
        beadId: pair.id,
        sourceSpan: null,
        targetSpan: span,
      });
    } else if (!name && opts.reportUnknownNames && !inText(run, pair.source) && !inText(run, documentEn)) {
      out.push({
        check: 'untranslated',
        category: 'Accuracy/Untranslated',
        severity: 'minor',
        message: `Latin text "${run}" in the Chinese is not in the English source`,
        beadId: pair.id,
        sourceSpan: null,
        targetSpan: span,
      });
    }
  }
  return out;
}

/**
 * Any target language but Chinese: a row whose target repeats its source word for word (three words
 * or more; numbers, names and codes alone are not text) was left untranslated. Same-script pairs share
 * too many names and cognates for a word-level test, so only the whole sentence is judged.
 */
export function findCopiedSource(pair: QaPair, opts: UntranslatedOptions): Finding[] {
  const words = (s: string) => (s.toLowerCase().match(/[\p{L}\p{M}]+/gu) ?? []).join(' ');
  const source = words(pair.source);
  if (source.split(' ').length < 3 || source !== words(pair.target)) return [];
  const t = pair.target;
  const span = { start: t.length - t.trimStart().length, end: t.trimEnd().length };
  return [{ check: 'untranslated', category: 'Accuracy/Untranslated', severity: opts.severity, message: 'Untranslated: the target repeats the source word for word', beadId: pair.id, sourceSpan: null, targetSpan: span }];
}

const isChinese = (lang: Lang) => primaryLanguage(lang) === 'zh';

export const untranslatedCheck: Check<UntranslatedOptions> = {
  id: 'untranslated',
  category: 'Accuracy/Untranslated',
  description: 'Latin words inside the Chinese that are not names or acronyms of the English; any other target: a sentence left as in the source.',
  defaults: {
    enabled: true,
    severity: 'major',
    allow: ['km', 'kg', 'cm', 'mm', 'ml', 'kwh', 'mb', 'gb', 'ppm', 'pm', 'am', 'vs', 'etc', 'e', 'i'],
    reportUnknownNames: true,
  },
  run(pairs, ctx, opts) {
    if (!isChinese(ctx.langs.target)) {
      return primaryLanguage(ctx.langs.source) === primaryLanguage(ctx.langs.target) ? [] : pairs.flatMap((p) => findCopiedSource(p, opts));
    }
    const documentEn = pairs.map((p) => p.source).join('\n');
    return pairs.flatMap((p) => findUntranslated(p, documentEn, opts));
  },
};

/**
 * Terminology against the glossary: where the English has a term, the Chinese must have one of its
 * accepted renderings and none of its forbidden ones; entries without an English term forbid a
 * Chinese term everywhere except where the English licenses it (双方 only for "both sides").
 * Any other pair, with a glossary made for it (Glossary.langs): the same with the source and target
 * terms matched as words, case-insensitively (acronyms exactly), in any script.
 */
import type { Finding, Lang, Severity, Span } from '../../domain.js';
import { primaryLanguage } from '../../text/lang.js';
import { applicableEntries, type GlossaryEntry } from '../glossary.js';
import { escapeRegExp, halfWidth, indicesOf, squeeze, unsqueezeSpan, type Squeezed } from '../text-util.js';
import type { BaseOptions, Check, QaPair } from '../types.js';

export interface TerminologyOptions extends BaseOptions {
  /** Report beads whose English has a term and whose Chinese has none of its accepted renderings. */
  reportMissing: boolean;
  missingSeverity: Severity;
}

const regexCache = new Map<string, RegExp>();

/** Regex of an English term: word boundaries, flexible spaces, case-insensitive unless an acronym. */
export function englishTermRegex(term: string): RegExp {
  let re = regexCache.get(term);
  if (!re) {
    const acronym = /^[A-Z0-9-]+$/.test(term) && /[A-Z].*[A-Z]|[A-Z]\d/.test(term);
    const body = term.split(/\s+/).map(escapeRegExp).join('\\s+');
    // A plain plural of the last word also counts ("ICTs", "developing country" → "countries" is
    // not covered: write such variants out).
    // An acronym followed by "-Capital" is part of another name: UN-Habitat, UN-Women (人居署, 妇女署).
    re = new RegExp(`(?<![A-Za-z0-9])${body}(?:s|es)?(?![A-Za-z0-9])${acronym ? '(?!-[A-Z])' : ''}`, acronym ? 'g' : 'gi');
    regexCache.set(term, re);
  }
  re.lastIndex = 0;
  return re;
}

const wordRegexCache = new Map<string, RegExp>();

/** Regex of a term in any language written with spaces: Unicode word boundaries, case-insensitive unless an acronym. */
export function wordTermRegex(term: string): RegExp {
  let re = wordRegexCache.get(term);
  if (!re) {
    const acronym = /^[\p{Lu}\p{N}-]+$/u.test(term) && /\p{Lu}.*\p{Lu}|\p{Lu}\p{N}/u.test(term);
    const body = term.split(/\s+/).map(escapeRegExp).join('\\s+');
    re = new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, acronym ? 'gu' : 'giu');
    wordRegexCache.set(term, re);
  }
  re.lastIndex = 0;
  return re;
}

/** First match of any of the variants in the text: English terms as englishTermRegex, other languages as wordTermRegex. */
export function matchEnglish(variants: readonly string[], en: string, lang: Lang = 'en'): Span | null {
  const regex = primaryLanguage(lang) === 'en' ? englishTermRegex : wordTermRegex;
  let best: Span | null = null;
  for (const v of variants) {
    const m = regex(v).exec(en);
    if (m && (best === null || m.index < best.start)) best = { start: m.index, end: m.index + m[0].length };
  }
  return best;
}

/** Where a target term occurs: Chinese as squeezed text (spaces out, full-width folded), other languages as words. */
export function targetOccurrences(target: string, lang: Lang): (term: string) => Span[] {
  if (primaryLanguage(lang) === 'zh') {
    const zh = normalizeZh(target);
    return (term) => {
      const t = normalizeTerm(term);
      return t ? indicesOf(zh.text, t).map((i) => unsqueezeSpan(zh, i, i + t.length)) : [];
    };
  }
  return (term) => [...target.matchAll(wordTermRegex(term))].map((m) => ({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length }));
}

/** The Chinese as terms are matched: whitespace out, full-width ASCII folded (offsets mapped back). */
export function normalizeZh(zh: string): Squeezed {
  return squeeze(halfWidth(zh));
}

export function normalizeTerm(t: string): string {
  return halfWidth(t).replace(/\s+/g, '');
}

function describeEnglish(e: GlossaryEntry): string {
  return e.english[0] ?? '';
}

/**
 * Entries (without an English term) that the whole document licenses: a sentence of the English
 * opens with one of the entry's `unless` phrases ("The two sides held talks …", "Both sides …"),
 * so the document speaks for two parties and every "双方" ("they") in it is right.
 */
export function documentLicenses(pairs: readonly QaPair[], entries: readonly GlossaryEntry[]): Set<GlossaryEntry> {
  const out = new Set<GlossaryEntry>();
  for (const e of entries) {
    if (e.english.length > 0 || e.unless.length === 0) continue;
    const phrase = e.unless.map((u) => u.split(/\s+/).map(escapeRegExp).join('\\s+')).join('|');
    const opening = new RegExp(`(?:^|[.!?;]\\s+)(?:\\(?\\d{1,3}[.)、]\\s*)?(?:the\\s+)?(?:${phrase})(?![A-Za-z])`, 'i');
    if (pairs.some((p) => opening.test(p.source.trim()))) out.add(e);
  }
  return out;
}

export function termFindings(
  pair: QaPair,
  entries: readonly GlossaryEntry[],
  opts: TerminologyOptions,
  docLicensed: ReadonlySet<GlossaryEntry> = new Set(),
  langs: { source: Lang; target: Lang } = { source: 'en', target: 'zh' },
): Finding[] {
  if (!pair.target.trim()) return [];
  const occurrences = targetOccurrences(pair.target, langs.target);
  const source = primaryLanguage(langs.source) === 'en' ? 'English' : 'source';
  const out: Finding[] = [];
  for (const e of entries) {
    const global = e.english.length === 0;
    const enSpan = global ? null : matchEnglish(e.english, pair.source, langs.source);
    if (!global && !enSpan) continue;
    const licensed = docLicensed.has(e) || (e.unless.length > 0 && matchEnglish(e.unless, pair.source, langs.source) !== null);
    // Occurrences inside an accepted term are not forbidden ones (权 in 人权 …).
    const acceptedAt: Span[] = e.accepted.flatMap((a) => occurrences(a));
    let forbiddenFound = false;
    if (!licensed) {
      for (const f of e.forbidden) {
        for (const at of occurrences(f)) {
          if (acceptedAt.some((s) => at.start >= s.start && at.end <= s.end)) continue;
          forbiddenFound = true;
          const use = e.accepted.length ? `; use ${e.accepted.join(' / ')}` : '';
          const note = e.note ? ` (${e.note})` : '';
          out.push({
            check: 'terminology',
            category: 'Terminology',
            severity: opts.severity,
            message: global
              ? `"${f}" where the ${source} does not license it${use}${note}`
              : `"${f}" is a wrong rendering of "${describeEnglish(e)}"${use}${note}`,
            beadId: pair.id,
            sourceSpan: enSpan,
            targetSpan: at,
          });
        }
      }
    }
    if (opts.reportMissing && !global && !forbiddenFound && e.accepted.length > 0 && acceptedAt.length === 0) {
      out.push({
        check: 'terminology',
        category: 'Terminology',
        severity: opts.missingSeverity,
        message: `"${pair.source.slice(enSpan?.start ?? 0, enSpan?.end ?? 0)}" is not rendered as ${e.accepted.join(' / ')}${e.note ? ` (${e.note})` : ''}`,
        beadId: pair.id,
        sourceSpan: enSpan,
        targetSpan: null,
      });
    }
  }
  return out;
}

export const terminologyCheck: Check<TerminologyOptions> = {
  id: 'terminology',
  category: 'Terminology',
  description: 'Glossary terms: accepted renderings required, forbidden variants reported (with English-licensed exceptions).',
  defaults: { enabled: true, severity: 'major', reportMissing: true, missingSeverity: 'minor' },
  run(pairs, ctx, opts) {
    // A glossary is for one language pair (en → zh unless it says otherwise): other documents skip it.
    const entries = applicableEntries(ctx.glossary, ctx.langs);
    if (entries.length === 0) return [];
    const docLicensed = documentLicenses(pairs, entries);
    return pairs.flatMap((p) => termFindings(p, entries, opts, docLicensed, ctx.langs));
  },
};

/**
 * Consistency within one document: the same English sentence translated differently, the same
 * Chinese sentence used for different English, and a glossary term rendered with different accepted
 * variants (COVID-19 as 2019冠状病毒病 here and 新冠肺炎 there). The minority rendering is reported.
 */
import type { Finding, Lang } from '../../domain.js';
import { primaryLanguage, writesWordsWithoutSpaces } from '../../text/lang.js';
import { applicableEntries, type GlossaryEntry } from '../glossary.js';
import { excerpt } from '../text-util.js';
import { labelLength } from '../number-extract.js';
import type { BaseOptions, Check, QaPair } from '../types.js';
import { matchEnglish, normalizeTerm, targetOccurrences } from './terminology.js';

export interface ConsistencyOptions extends BaseOptions {
  sentences: boolean;
  terms: boolean;
  /** Shortest English sentence (characters) compared; short ones ("Yes.") legitimately vary. */
  minChars: number;
}

const normEn = (s: string) => s.slice(labelLength(s)).toLowerCase().replace(/\s+/g, ' ').trim();
const normZh = (s: string) => s.slice(labelLength(s)).replace(/\s+/g, '').trim();

/** Groups pairs by a key and reports those whose other side differs from the group's most common one. */
function minorityByKey(
  pairs: readonly QaPair[],
  key: (p: QaPair) => string,
  value: (p: QaPair) => string,
  message: (p: QaPair, majority: string, n: number) => string,
  severity: Finding['severity'],
): Finding[] {
  const groups = new Map<string, QaPair[]>();
  for (const p of pairs) {
    const k = key(p);
    if (!k) continue;
    const g = groups.get(k) ?? [];
    g.push(p);
    groups.set(k, g);
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const counts = new Map<string, number>();
    for (const p of g) counts.set(value(p), (counts.get(value(p)) ?? 0) + 1);
    if (counts.size < 2) continue;
    // Most common; on a tie the first seen (Map keeps insertion order).
    let majority = '';
    let best = -1;
    for (const [v, n] of counts) if (n > best) [majority, best] = [v, n];
    for (const p of g) {
      if (value(p) === majority) continue;
      out.push({ check: 'consistency', category: 'Style', severity, message: message(p, majority, best), beadId: p.id, sourceSpan: null, targetSpan: null });
    }
  }
  return out;
}

/** How the messages name the sides: English and Chinese for that pair, else source and target. */
function sideNames(langs: { source: Lang; target: Lang }): { source: string; target: string } {
  const named = primaryLanguage(langs.source) === 'en' && primaryLanguage(langs.target) === 'zh';
  return named ? { source: 'English', target: 'Chinese' } : { source: 'source', target: 'target' };
}

export function sentenceConsistency(pairs: readonly QaPair[], opts: ConsistencyOptions, langs: { source: Lang; target: Lang } = { source: 'en', target: 'zh' }): Finding[] {
  const both = pairs.filter((p) => p.source.trim() && p.target.trim());
  const side = sideNames(langs);
  // Spaces are not text in Chinese (a stray one is no different translation); between words they are.
  const normTarget = writesWordsWithoutSpaces(langs.target) ? normZh : (s: string) => s.slice(labelLength(s)).replace(/\s+/g, ' ').trim();
  return [
    ...minorityByKey(
      both,
      (p) => (normEn(p.source).length >= opts.minChars ? normEn(p.source) : ''),
      (p) => normTarget(p.target),
      (_p, maj, n) => `The same ${side.source} sentence is translated differently elsewhere (${n}×: "${excerpt(maj)}")`,
      opts.severity,
    ),
    ...minorityByKey(
      both,
      (p) => (normTarget(p.target).length >= Math.ceil(opts.minChars / 3) ? normTarget(p.target) : ''),
      (p) => normEn(p.source),
      (_p, maj, n) => `The same ${side.target} text stands for different ${side.source} elsewhere (${n}×: "${excerpt(maj)}")`,
      opts.severity,
    ),
  ];
}

/** Which accepted variant of an entry a bead uses: the longest one present, or null (none, or several). */
function variantUsed(e: GlossaryEntry, target: string, lang: Lang): string | null {
  const occurs = targetOccurrences(target, lang);
  const zh = primaryLanguage(lang) === 'zh';
  const present = new Set(e.accepted.filter((a) => occurs(a).length > 0).map((a) => (zh ? normalizeTerm(a) : a.toLowerCase())));
  const found = [...present].sort((a, b) => b.length - a.length).filter((a, i, all) => !all.slice(0, i).some((longer) => longer.includes(a)));
  return found.length === 1 ? (found[0] ?? null) : null;
}

export function termConsistency(pairs: readonly QaPair[], entries: readonly GlossaryEntry[], opts: ConsistencyOptions, langs: { source: Lang; target: Lang } = { source: 'en', target: 'zh' }): Finding[] {
  const out: Finding[] = [];
  // Names and acronyms only: a common noun (pandemic → 大流行 / 疫情) may vary with its context.
  const multi = entries.filter((e) => e.english.length > 0 && e.accepted.length > 1 && e.english.every((v) => /^[A-Z0-9]/.test(v)));
  for (const e of multi) {
    // Entries that share a rendering with this one (WTO / World Trade Organization) make a bead ambiguous.
    const rivals = entries.filter((o) => o !== e && o.english.length > 0 && o.accepted.some((a) => e.accepted.includes(a)));
    const uses: { p: QaPair; v: string; span: ReturnType<typeof matchEnglish> }[] = [];
    for (const p of pairs) {
      const span = matchEnglish(e.english, p.source, langs.source);
      if (!span || rivals.some((o) => matchEnglish(o.english, p.source, langs.source))) continue;
      const v = variantUsed(e, p.target, langs.target);
      if (v) uses.push({ p, v, span });
    }
    const counts = new Map<string, number>();
    for (const u of uses) counts.set(u.v, (counts.get(u.v) ?? 0) + 1);
    if (counts.size < 2) continue;
    let majority = '';
    let best = -1;
    for (const [v, n] of counts) if (n > best) [majority, best] = [v, n];
    for (const [k, u] of uses.entries()) {
      if (u.v === majority) continue;
      // Full name at the first mention, short form after (安全理事会 … 安理会 …): UN house style.
      if (k === 0 && u.v.length > majority.length) continue;
      out.push({
        check: 'consistency',
        category: 'Terminology',
        severity: opts.severity,
        message: `"${e.english[0] ?? ''}" is rendered ${u.v} here but ${majority} in ${best} other place(s)`,
        beadId: u.p.id,
        sourceSpan: u.span,
        targetSpan: null,
      });
    }
  }
  return out;
}

export const consistencyCheck: Check<ConsistencyOptions> = {
  id: 'consistency',
  category: 'Style',
  description: 'Same English translated differently, same Chinese for different English, glossary terms rendered inconsistently.',
  defaults: { enabled: true, severity: 'minor', sentences: true, terms: true, minChars: 20 },
  run(pairs, ctx, opts) {
    return [
      ...(opts.sentences ? sentenceConsistency(pairs, opts, ctx.langs) : []),
      ...(opts.terms ? termConsistency(pairs, applicableEntries(ctx.glossary, ctx.langs), opts, ctx.langs) : []),
    ];
  },
};

/**
 * Numbers, dates, amounts, ordinals and percentages: the values of the source must all appear in the
 * target and vice versa (as multisets). Values, not digit strings: see number-extract.ts.
 */
import type { Finding, Lang, Span } from '../../domain.js';
import { primaryLanguage } from '../../text/lang.js';
import { chineseDates, dateDifference, englishDates, showDate, type DateMention } from '../date-extract.js';
import type { BaseOptions, Check, QaPair } from '../types.js';
import { genericNumbers, unpairedNumbers } from '../generic-numbers.js';
import { chineseNumbers, chineseUnit, englishNumbers, englishUnit, sameValue, type AmountUnit, type NumberMention } from '../number-extract.js';

const unitName = (u: AmountUnit | null) => (u === null ? 'no unit' : u === 'percent' ? 'per cent' : u);

export interface NumbersOptions extends BaseOptions {
  /** Report target numbers without a source counterpart. */
  reportExtra: boolean;
  /** Chinese names that contain numerals but are not numbers (e.g. 金砖五国 "the five BRICS countries"). */
  ignoreZh: string[];
}

/** A number as a message shows it: integers with thousands separators. */
function shown(v: number): string {
  return Number.isInteger(v) ? v.toLocaleString('en-US') : String(v);
}

/**
 * Dates first, as dates: each English date is paired with an equal Chinese one, else with one that
 * differs in a single field (the day, the month, the year, or day and month swapped: 4 September →
 * 9月4日 is right, → 4月9日 is not), which is one finding naming both. The numbers of dates dealt with
 * here are left out of the value comparison.
 */
function compareDates(pair: QaPair, opts: NumbersOptions): { findings: Finding[]; spans: { en: Span[]; zh: Span[] } } {
  const en = englishDates(pair.source);
  const zh = chineseDates(pair.target);
  const used = new Set<number>();
  const spans = { en: [] as Span[], zh: [] as Span[] };
  const findings: Finding[] = [];
  const take = (e: DateMention, k: number) => {
    used.add(k);
    spans.en.push(e.span);
    spans.zh.push(zh[k]!.span);
  };
  const open: DateMention[] = [];
  for (const e of en) {
    const k = zh.findIndex((z, i) => !used.has(i) && dateDifference(e, z) === null);
    if (k >= 0) take(e, k);
    else open.push(e);
  }
  for (const e of open) {
    const k = zh.findIndex((z, i) => !used.has(i) && dateDifference(e, z) !== null && dateDifference(e, z) !== 'other');
    if (k < 0) continue;
    const z = zh[k]!;
    take(e, k);
    findings.push({
      check: 'numbers',
      category: 'Accuracy/Mistranslation',
      severity: opts.severity,
      message: `Date "${pair.source.slice(e.span.start, e.span.end)}" (${showDate(e)}) is "${pair.target.slice(z.span.start, z.span.end)}" (${showDate(z)}) in the target: the ${dateDifference(e, z)} ${dateDifference(e, z) === 'day and month' ? 'are swapped' : 'differs'}`,
      beadId: pair.id,
      sourceSpan: e.span,
      targetSpan: z.span,
    });
  }
  return { findings, spans };
}

const within = (x: Span, spans: readonly Span[]) => spans.some((s) => s.start <= x.start && x.end <= s.end);

export function compareNumbers(pair: QaPair, opts: NumbersOptions): Finding[] {
  const dates = compareDates(pair, opts);
  const en = englishNumbers(pair.source).filter((m) => !within(m.span, dates.spans.en));
  const zh = chineseNumbers(pair.target, opts.ignoreZh).filter((m) => !within(m.span, dates.spans.zh));
  const usedEn = new Set<number>();
  const extra: NumberMention[] = [];
  const pairs: [NumberMention, NumberMention][] = [];
  for (const z of zh) {
    // Prefer a hard source number, then a soft one.
    let k = en.findIndex((e, i) => !usedEn.has(i) && !e.soft && sameValue(e.value, z.value));
    if (k < 0) k = en.findIndex((e, i) => !usedEn.has(i) && sameValue(e.value, z.value));
    if (k >= 0) {
      usedEn.add(k);
      pairs.push([en[k]!, z]);
    } else if (!z.soft) extra.push(z);
  }
  const findings: Finding[] = [...dates.findings];
  const base = { check: 'numbers', category: 'Accuracy/Mistranslation' as const, severity: opts.severity, beadId: pair.id };
  // Equal amounts in another currency, or a share that lost its per cent.
  for (const [e, z] of pairs) {
    const ue = englishUnit(pair.source, e);
    const uz = chineseUnit(pair.target, z);
    const differ = ue !== uz && ((ue !== null && uz !== null) || ue === 'percent' || uz === 'percent');
    if (!differ) continue;
    findings.push({
      ...base,
      message: `Amount "${e.text}" (${shown(e.value)}) is in ${unitName(ue)} in the source but in ${unitName(uz)} in the target`,
      sourceSpan: e.span,
      targetSpan: z.span,
    });
  }
  en.forEach((e, i) => {
    if (usedEn.has(i) || e.soft) return;
    findings.push({
      ...base,
      message: `Number "${e.text}" (${shown(e.value)}) in the source has no counterpart in the target`,
      sourceSpan: e.span,
      targetSpan: null,
    });
  });
  if (opts.reportExtra) {
    for (const z of extra) {
      findings.push({
        ...base,
        category: 'Accuracy/Addition',
        message: `Number "${z.text}" (${shown(z.value)}) in the target has no counterpart in the source`,
        sourceSpan: null,
        targetSpan: z.span,
      });
    }
  }
  return findings;
}

/**
 * Any other pair (and Chinese with another language than English): digits by value whatever the
 * separators, scale words, number words of the languages the aligner knows (generic-numbers.ts).
 */
export function compareGenericNumbers(pair: QaPair, langs: { source: Lang; target: Lang }, opts: NumbersOptions): Finding[] {
  const left = unpairedNumbers(genericNumbers(pair.source, langs.source), genericNumbers(pair.target, langs.target));
  const base = { check: 'numbers', severity: opts.severity, beadId: pair.id };
  const shownOf = (m: { values: number[] }) => shown(m.values[0] ?? 0);
  const findings: Finding[] = left.source.map((m) => ({
    ...base,
    category: 'Accuracy/Mistranslation' as const,
    message: `Number "${m.text}" (${shownOf(m)}) in the source has no counterpart in the target`,
    sourceSpan: m.span,
    targetSpan: null,
  }));
  if (opts.reportExtra) {
    for (const m of left.target) {
      findings.push({ ...base, category: 'Accuracy/Addition', message: `Number "${m.text}" (${shownOf(m)}) in the target has no counterpart in the source`, sourceSpan: null, targetSpan: m.span });
    }
  }
  return findings;
}

/** A Chinese original with an English translation: the English–Chinese comparison with the sides swapped back. */
function compareChineseOriginal(pair: QaPair, opts: NumbersOptions): Finding[] {
  const swapped = compareNumbers({ ...pair, source: pair.target, target: pair.source }, opts);
  // Source-side findings first, as in the other directions.
  const order = (f: Finding) => (f.targetSpan && !f.sourceSpan ? 0 : 1);
  return [...swapped].sort((x, y) => order(x) - order(y)).map((f) => ({
    ...f,
    sourceSpan: f.targetSpan,
    targetSpan: f.sourceSpan,
    category: f.category === 'Accuracy/Addition' ? 'Accuracy/Mistranslation' : f.sourceSpan && !f.targetSpan ? 'Accuracy/Addition' : f.category,
    message: f.message.replace(/in the (source|target)/g, (_m, side: string) => `in the ${side === 'source' ? 'target' : 'source'}`),
  }));
}

/** The comparison written for the pair: English–Chinese either way, else the generic one. */
export function numbersOfPair(pair: QaPair, langs: { source: Lang; target: Lang }, opts: NumbersOptions): Finding[] {
  const s = primaryLanguage(langs.source);
  const t = primaryLanguage(langs.target);
  if (s === 'en' && t === 'zh') return compareNumbers(pair, opts);
  if (s === 'zh' && t === 'en') return compareChineseOriginal(pair, opts);
  return compareGenericNumbers(pair, langs, opts);
}

export const numbersCheck: Check<NumbersOptions> = {
  id: 'numbers',
  category: 'Accuracy/Mistranslation',
  description: 'Numbers, dates, amounts, ordinals and percentages compared by value (万/亿, Chinese numerals, month names, number words); any pair: digits by value whatever the separators, scale and number words.',
  defaults: { enabled: true, severity: 'major', reportExtra: true, ignoreZh: ['金砖四国', '金砖五国'] },
  run(pairs, ctx, opts) {
    return pairs.filter((p) => p.source.trim() && p.target.trim()).flatMap((p) => numbersOfPair(p, ctx.langs, opts));
  },
};

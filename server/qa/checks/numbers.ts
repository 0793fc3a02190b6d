/**
 * Numbers, dates, amounts, ordinals and percentages: the values of the source must all appear in the
 * target and vice versa (as multisets). Values, not digit strings: see number-extract.ts.
 */
import type { Finding } from '../../domain.js';
import type { BaseOptions, Check, QaPair } from '../types.js';
import { chineseNumbers, englishNumbers, sameValue, type NumberMention } from '../number-extract.js';

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

export function compareNumbers(pair: QaPair, opts: NumbersOptions): Finding[] {
  const en = englishNumbers(pair.source);
  const zh = chineseNumbers(pair.target, opts.ignoreZh);
  const usedEn = new Set<number>();
  const extra: NumberMention[] = [];
  for (const z of zh) {
    // Prefer a hard source number, then a soft one.
    let k = en.findIndex((e, i) => !usedEn.has(i) && !e.soft && sameValue(e.value, z.value));
    if (k < 0) k = en.findIndex((e, i) => !usedEn.has(i) && sameValue(e.value, z.value));
    if (k >= 0) usedEn.add(k);
    else if (!z.soft) extra.push(z);
  }
  const findings: Finding[] = [];
  const base = { check: 'numbers', category: 'Accuracy/Mistranslation' as const, severity: opts.severity, beadId: pair.id };
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

export const numbersCheck: Check<NumbersOptions> = {
  id: 'numbers',
  category: 'Accuracy/Mistranslation',
  description: 'Numbers, dates, amounts, ordinals and percentages compared by value (万/亿, Chinese numerals, month names, number words).',
  defaults: { enabled: true, severity: 'major', reportExtra: true, ignoreZh: ['金砖四国', '金砖五国'] },
  run(pairs, _ctx, opts) {
    return pairs.filter((p) => p.source.trim() && p.target.trim()).flatMap((p) => compareNumbers(p, opts));
  },
};

/**
 * Length-ratio outliers: log(Chinese characters / English characters) against the document's own
 * distribution, as a robust z-score (median and MAD), so a translation that is much shorter or longer
 * than this document's norm stands out whatever the language pair's usual ratio.
 */
import type { Finding } from '../../domain.js';
import type { BaseOptions, Check, QaPair } from '../types.js';

export interface LengthRatioOptions extends BaseOptions {
  /** |robust z| above which a bead is reported. */
  zThreshold: number;
  /** Beads whose English is shorter than this (non-space characters) are not judged. */
  minChars: number;
  /** Documents with fewer judged beads have no reliable distribution. */
  minBeads: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return 0;
  return n % 2 ? (s[(n - 1) / 2] ?? 0) : ((s[n / 2 - 1] ?? 0) + (s[n / 2] ?? 0)) / 2;
}

const chars = (s: string) => s.replace(/\s+/g, '').length;

export function lengthRatioFindings(pairs: readonly QaPair[], opts: LengthRatioOptions): Finding[] {
  const judged = pairs
    .filter((p) => chars(p.source) >= opts.minChars && chars(p.target) > 0)
    .map((p) => ({ p, r: Math.log(chars(p.target) / chars(p.source)) }));
  if (judged.length < opts.minBeads) return [];
  const med = median(judged.map((x) => x.r));
  const mad = median(judged.map((x) => Math.abs(x.r - med)));
  if (mad === 0) return [];
  const out: Finding[] = [];
  for (const { p, r } of judged) {
    const z = (0.6745 * (r - med)) / mad;
    if (Math.abs(z) <= opts.zThreshold) continue;
    const ratio = Math.exp(r);
    const typical = Math.exp(med);
    out.push({
      check: 'length-ratio',
      category: z < 0 ? 'Accuracy/Omission' : 'Accuracy/Addition',
      severity: opts.severity,
      message: `Target is ${z < 0 ? 'unusually short' : 'unusually long'} for its source: ${ratio.toFixed(2)} zh chars per en char, typical here ${typical.toFixed(2)} (robust z ${z.toFixed(1)}) — possible ${z < 0 ? 'omission' : 'addition'}`,
      beadId: p.id,
      sourceSpan: null,
      targetSpan: null,
    });
  }
  return out;
}

export const lengthRatioCheck: Check<LengthRatioOptions> = {
  id: 'length-ratio',
  category: 'Accuracy/Omission',
  description: "Beads whose zh/en length ratio is an outlier of the document's own distribution (robust z-score).",
  defaults: { enabled: true, severity: 'minor', zThreshold: 3.5, minChars: 20, minBeads: 8 },
  run(pairs, _ctx, opts) {
    return lengthRatioFindings(pairs, opts);
  },
};

/**
 * Alignment evidence of omission/addition: a source sentence with no target (1-0) is likely omitted,
 * a target with no source (0-1) likely added; a low-confidence bead may hide either.
 */
import type { Finding } from '../../domain.js';
import type { BaseOptions, Check, QaPair } from '../types.js';

export interface AlignmentOptions extends BaseOptions {
  /** Beads with confidence below this are reported (minor). */
  minConfidence: number;
}

export function alignmentFindings(pairs: readonly QaPair[], opts: AlignmentOptions): Finding[] {
  const out: Finding[] = [];
  for (const p of pairs) {
    const en = p.source.trim();
    const zh = p.target.trim();
    const base = { check: 'alignment', beadId: p.id, sourceSpan: null, targetSpan: null };
    if (en && !zh) out.push({ ...base, category: 'Accuracy/Omission', severity: opts.severity, message: 'Source sentence with no translation: possible omission' });
    else if (!en && zh) out.push({ ...base, category: 'Accuracy/Addition', severity: opts.severity, message: 'Target text with no source: possible addition' });
    else if (en && zh && p.confidence !== undefined && p.confidence < opts.minConfidence) {
      out.push({
        ...base,
        category: 'Accuracy/Omission',
        severity: 'minor',
        message: `Low alignment confidence (${p.confidence.toFixed(2)}): check for omission, addition or misalignment`,
      });
    }
  }
  return out;
}

export const alignmentCheck: Check<AlignmentOptions> = {
  id: 'alignment',
  category: 'Accuracy/Omission',
  description: 'Unaligned sentences (1-0, 0-1) and low-confidence beads: possible omission or addition.',
  defaults: { enabled: true, severity: 'major', minConfidence: 0.2 },
  run(pairs, _ctx, opts) {
    return alignmentFindings(pairs, opts);
  },
};

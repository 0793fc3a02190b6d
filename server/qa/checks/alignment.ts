/**
 * Alignment evidence of omission/addition: a row whose source has no target (1-0) is a whole
 * sentence left out of the translation, one whose target has no source (0-1) a sentence added;
 * both are reported as such, the span covering the sentence. A low-confidence bead may hide either.
 */
import type { Finding } from '../../domain.js';
import { excerpt } from '../text-util.js';
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
    // A row with one side empty: a whole sentence left out or added, the span covering it.
    const whole = (s: string) => ({ start: s.length - s.trimStart().length, end: s.trimEnd().length });
    const count = (n: number) => (n > 1 ? `${n} sentences` : 'sentence');
    if (en && !zh) {
      out.push({ ...base, category: 'Accuracy/Omission', severity: opts.severity, message: `Omitted ${count(p.sourceSentences ?? 1)}: "${excerpt(en, 80)}" has no translation`, sourceSpan: whole(p.source) });
    } else if (!en && zh) {
      out.push({ ...base, category: 'Accuracy/Addition', severity: opts.severity, message: `Added ${count(p.targetSentences ?? 1)}: "${excerpt(zh, 40)}" has no counterpart in the source`, targetSpan: whole(p.target) });
    }
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

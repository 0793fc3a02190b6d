/**
 * DP weights per model family. Few on purpose (similarity, length, merge, skip): one weight per bead
 * type overfits the six MAC-Dev chapters. Lexical weights were set on MAC-Dev over a small grid
 * (lenVar 3.5–5 × merge 6–8 × skip 8–10: a plateau; choosing them leave-one-chapter-out picks the
 * same values for every held-out chapter; lenVar × merge re-checked after the boundary cues of
 * lexical/quotes.ts were added, and lenVar × merge × skip after the voice cue and the larger beads:
 * same values). `large` (the extra cost of a 2-4, 4-2 or 3-3 bead in the second pass) was chosen
 * leave-one-chapter-out from 3 / 6 / 10 (server/align/README.md). The length weights follow Gale & Church's bead priors
 * (−log P: 2-1 ≈ 2.4, 1-0 ≈ 4.6).
 */
import type { DpWeights } from './dp.js';
import { genericWeights } from './generic/weights.js';

export const LEXICAL_WEIGHTS: DpWeights = { sim: 1, len: 1, lenVar: 4.5, merge: 7, skip: 10, confScale: 1.5, support: 8, large: 6 };
export const LENGTH_WEIGHTS: DpWeights = { sim: 0, len: 1, lenVar: 4, merge: 2.3, skip: 4.6, confScale: 1 };
/**
 * Neural scores are cosines in [0, 1] of the two sides' window embeddings (see neural/), counted
 * per sentence as in Vecalign. Not tuned on MAC-Dev (no model installed here): a starting point.
 */
export const NEURAL_WEIGHTS: DpWeights = { sim: 6, len: 0.5, lenVar: 4, merge: 1.5, skip: 3, confScale: 1.5, perSentence: 1 };

/** The weights for a model, by the family its name starts with ('neural:…', 'lexical', 'length'). */
export function weightsFor(modelName: string): DpWeights {
  if (modelName.startsWith('neural')) return NEURAL_WEIGHTS;
  if (modelName.startsWith('length')) return LENGTH_WEIGHTS;
  if (modelName.startsWith('generic')) return genericWeights(modelName);
  return LEXICAL_WEIGHTS;
}

/**
 * Typical score of one correct 1-1 bead for a model family: turns raw scores into rough [0, 1]
 * similarities where a caller needs that (paragraph pairing).
 */
export function scoreUnit(modelName: string): number {
  if (modelName.startsWith('neural')) return 0.6;
  if (modelName.startsWith('length')) return 1;
  return 12;
}

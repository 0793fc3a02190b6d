/**
 * DP weights of the generic model, one set per kind (the model's name says which): `generic` (the
 * dictionary-free signals) and `generic+…` (with a dictionary, whose extra matches raise a bead's
 * score, so merging costs more). Chosen by scripts/tune-generic.ts on the Text+Berg de–fr
 * development files, leave-one-file-out (README: "Language pairs"). A correct 1-1 bead scores on
 * the scale of the zh–en model's.
 */
import type { DpWeights } from '../dp.js';

export const GENERIC_WEIGHTS: DpWeights = { sim: 1, len: 1, lenVar: 4.5, merge: 5, skip: 10, confScale: 1.5 };
export const GENERIC_DICT_WEIGHTS: DpWeights = { sim: 1, len: 1, lenVar: 4.5, merge: 9, skip: 13, confScale: 1.5 };

/** The weights for a generic model's name: with a dictionary when the name carries one. */
export function genericWeights(modelName: string): DpWeights {
  return modelName.startsWith('generic+') ? GENERIC_DICT_WEIGHTS : GENERIC_WEIGHTS;
}

/**
 * DP weights of the generic model (models named `generic…`), chosen leave-one-file-out on the
 * Text+Berg de–fr development files by scripts/tune-generic.ts (README: "Language pairs").
 * A correct 1-1 bead scores about as much as for the zh–en model, so the scales are alike.
 */
import type { DpWeights } from '../dp.js';

export const GENERIC_WEIGHTS: DpWeights = { sim: 1, len: 1, lenVar: 4.5, merge: 7, skip: 10, confScale: 1.5 };

/**
 * The `length` model: no lexical evidence at all (score 0); the DP's Gale–Church length cost, with
 * the ratio calibrated on the document itself, does the work. Language-agnostic fallback.
 */
import type { SimilarityModel } from '../domain.js';

export function createLengthModel(): SimilarityModel {
  return {
    name: 'length',
    async prepare() {
      return { score: () => 0 };
    },
  };
}

/**
 * Aligner settings by name, for the scripts that measure or tune them (tune-loo, perturb):
 * `support=2`, `supportShare=0.2` … Each name is a DP weight of the lexical family (weights.ts) or
 * an option of the lexical model (lexical/model.ts); unset names keep their defaults.
 */
import type { SimilarityModel } from '../server/domain.js';
import type { DpWeights } from '../server/align/dp.js';
import { createLexicalModel, LEXICAL_DEFAULTS, type LexicalOptions } from '../server/align/lexical/model.js';
import { LEXICAL_WEIGHTS } from '../server/align/weights.js';
import { UsageError } from './cli-util.js';

export type Settings = Record<string, number>;

const DP_NAMES = ['sim', 'len', 'lenVar', 'merge', 'skip', 'confScale', 'support', 'large'] as const;
const LEXICAL_NAMES = Object.keys(LEXICAL_DEFAULTS) as Array<keyof typeof LEXICAL_DEFAULTS>;
export const SETTING_NAMES: readonly string[] = [...DP_NAMES, ...LEXICAL_NAMES];

/** `name=value` → { name: value }, refusing unknown names and non-numbers. */
export function parseSetting(text: string): Settings {
  const m = /^([A-Za-z]\w*)=(-?[\d.]+)$/.exec(text.trim());
  const name = m?.[1];
  const value = Number(m?.[2]);
  if (!name || !Number.isFinite(value)) throw new UsageError(`"${text}": expected NAME=NUMBER`);
  if (!SETTING_NAMES.includes(name)) throw new UsageError(`"${name}": not a setting (one of ${SETTING_NAMES.join(', ')})`);
  return { [name]: value };
}

/** The lexical model and the DP weights for some settings. */
export function modelAndWeights(s: Settings): { model: SimilarityModel; weights: DpWeights } {
  const weights: DpWeights = { ...LEXICAL_WEIGHTS };
  const opts: LexicalOptions = {};
  for (const [name, value] of Object.entries(s)) {
    if ((DP_NAMES as readonly string[]).includes(name)) (weights as unknown as Record<string, number>)[name] = value;
    else (opts as Record<string, number>)[name] = value;
  }
  return { model: createLexicalModel(opts), weights };
}

export const describeSettings = (s: Settings): string =>
  Object.entries(s)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ') || 'defaults';

/**
 * Which similarity model aligns a pair, and why. `auto` takes the best one available:
 *   1. a neural sentence-embedding model, when one is installed (any pair);
 *   2. zh–en: the CC-CEDICT dictionary model (`lexical`);
 *   3. any other pair with a FreeDict dictionary installed: generic signals + that dictionary;
 *   4. else the generic signals alone (numbers, names, cognates, punctuation, self-training) + length.
 * The reason is one line for people (CLI stderr); the model's name is what gets stored.
 */
import type { Lang, SimilarityModel } from '../domain.js';
import { dictDir, freedictLexicon } from './dict/freedict.js';
import { baseLang, iso3 } from './generic/langs.js';
import { createGenericModel } from './generic/model.js';
import { createLengthModel } from './length.js';
import type { LearnedLexicon } from './lexical/learned.js';
import { createLexicalModel } from './lexical/model.js';
import { scoreUnit } from './weights.js';

export type ModelName = 'auto' | 'lexical' | 'generic' | 'length' | 'neural';
export const MODEL_NAMES: readonly ModelName[] = ['auto', 'lexical', 'generic', 'length', 'neural'];

/** A mistake in what was asked of the aligner (unknown model, same language twice, empty side). */
export class AlignInputError extends Error {
  override readonly name = 'AlignInputError';
}

/** Options of the neural model (ignored by the others). */
export interface NeuralChoice {
  /** Model id under MODEL_DIR (default EMBED_MODEL or Xenova/LaBSE). */
  modelId?: string;
  /** Weight in [0, 1] of the lexical score blended into the cosine (default EMBED_BLEND or 0). */
  blend?: number;
}

/** Options of the models: the neural model's, and a table learnt from confirmed rows for the zh–en dictionary model. */
export interface ModelOptions extends NeuralChoice {
  learned?: LearnedLexicon;
}

export interface ModelChoice {
  model: SimilarityModel;
  /** Why this model: one line, e.g. "auto: no neural model installed; FreeDict deu-fra found in /usr/share/dictd". */
  reason: string;
}

/** Loaded on demand: transformers.js and ONNX Runtime cost start-up time that lexical runs never need. */
const loadNeural = (): Promise<typeof import('./neural/index.js')> => import('./neural/index.js');

export function isZhEnPair(langs: { a: Lang; b: Lang }): boolean {
  const a = baseLang(langs.a);
  const b = baseLang(langs.b);
  return (a === 'zh' && b === 'en') || (a === 'en' && b === 'zh');
}

const pairName = (langs: { a: Lang; b: Lang }): string => `${langs.a}–${langs.b}`;

/** The dictionary model for a pair other than zh–en: generic signals + FreeDict, or the signals alone. */
function dictionaryModel(langs: { a: Lang; b: Lang }, env: NodeJS.ProcessEnv): { model: SimilarityModel; why: string } {
  if (iso3(langs.a) === iso3(langs.b)) return { model: createGenericModel(), why: `one language on both sides (${pairName(langs)}): generic signals + length` };
  const dir = dictDir(env);
  const lexicon = freedictLexicon(langs.a, langs.b, dir);
  if (lexicon) {
    return { model: createGenericModel({ lexicon }), why: `${lexicon.name.replace(/^freedict /, 'FreeDict ')} found in ${dir}` };
  }
  const [x, y] = [iso3(langs.a), iso3(langs.b)];
  return {
    model: createGenericModel(),
    why: `no FreeDict dictionary for ${pairName(langs)} in ${dir} (Debian: dict-freedict-${x}-${y} or dict-freedict-${y}-${x}; or set DICT_DIR): generic signals + length`,
  };
}

/** The model for `name` and the pair, with the reason it was chosen. */
export async function chooseModel(
  name: ModelName | string,
  langs: { a: Lang; b: Lang },
  neural: ModelOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): Promise<ModelChoice> {
  const lexical = (): SimilarityModel => createLexicalModel(neural.learned ? { learned: neural.learned } : {});
  const withTable = neural.learned ? ' + the table learnt from confirmed rows' : '';
  const neuralOpts = {
    ...(neural.modelId !== undefined ? { modelId: neural.modelId } : {}),
    ...(neural.blend !== undefined ? { blend: neural.blend } : {}),
    // The blend's lexical model, passed in: the neural module cannot import the aligner (a cycle).
    aligner: { getModel: async (n: string, l: { a: Lang; b: Lang }) => (await chooseModel(n, l, {}, env)).model, scoreUnit },
  };
  switch (name) {
    case 'lexical': {
      if (isZhEnPair(langs)) return { model: lexical(), reason: `lexical: zh–en CC-CEDICT dictionary model${withTable}` };
      const d = dictionaryModel(langs, env);
      return { model: d.model, reason: `lexical: ${d.why}` };
    }
    case 'generic':
      return { model: createGenericModel(), reason: 'generic: dictionary-free signals (numbers, names, cognates, punctuation, self-training) + length' };
    case 'length':
      return { model: createLengthModel(), reason: 'length: Gale–Church sentence lengths only' };
    case 'neural':
      return { model: await (await loadNeural()).createNeuralModel(neuralOpts), reason: 'neural: asked for' };
    case 'auto': {
      const mod = await loadNeural();
      if (mod.neuralModelInstalled(neuralOpts)) {
        const model = await mod.createNeuralModel(neuralOpts);
        return { model, reason: `auto: neural model installed (${model.name})` };
      }
      if (isZhEnPair(langs)) return { model: lexical(), reason: `auto: no neural model installed; zh–en CC-CEDICT dictionary model${withTable}` };
      const d = dictionaryModel(langs, env);
      return { model: d.model, reason: `auto: no neural model installed; ${d.why}` };
    }
    default:
      throw new AlignInputError(`unknown model "${name}": expected one of ${MODEL_NAMES.join(', ')}`);
  }
}

/**
 * The aligner's front door: pick a similarity model, align two texts or two TextSides.
 * The neural model (neural/) is imported lazily: it loads transformers.js and ONNX, which the other
 * models never need, and this module works where no neural model is installed.
 */
import type { AlignmentResult, Lang, SimilarityModel } from '../domain.js';
import { buildSide, detectLang } from '../text/index.js';
import { alignDocument, type ProgressFn } from './document.js';
import { createLengthModel } from './length.js';
import { createLexicalModel } from './lexical/model.js';

export { alignSentences, alignLengths, type AlignSentencesOptions, type DpWeights } from './dp.js';
export { alignDocument, alignSentenceLists, type AlignDocumentOptions, type ProgressFn } from './document.js';
export { weightsFor } from './weights.js';

export type ModelName = 'auto' | 'lexical' | 'length' | 'neural';
export const MODEL_NAMES: readonly ModelName[] = ['auto', 'lexical', 'length', 'neural'];

/** A mistake in what was asked of the aligner (unknown model, same language twice, empty side). */
export class AlignInputError extends Error {
  override readonly name = 'AlignInputError';
}

/** Loaded on demand: transformers.js and ONNX Runtime cost start-up time that lexical runs never need. */
const loadNeural = (): Promise<typeof import('./neural/index.js')> => import('./neural/index.js');

/** Options of the neural model (ignored by the others). */
export interface NeuralChoice {
  /** Model id under MODEL_DIR (default EMBED_MODEL or Xenova/LaBSE). */
  modelId?: string;
  /** Weight in [0, 1] of the lexical score blended into the cosine (default EMBED_BLEND or 0). */
  blend?: number;
}

const isZh = (l: Lang): boolean => /^zh/i.test(l);
const isEn = (l: Lang): boolean => /^en/i.test(l);

/** 'auto' → neural if installed, else lexical for zh/en, else length. */
export async function getModel(name: ModelName | string, langs: { a: Lang; b: Lang }, neural: NeuralChoice = {}): Promise<SimilarityModel> {
  const neuralOpts = {
    ...(neural.modelId !== undefined ? { modelId: neural.modelId } : {}),
    ...(neural.blend !== undefined ? { blend: neural.blend } : {}),
  };
  switch (name) {
    case 'lexical':
      return createLexicalModel();
    case 'length':
      return createLengthModel();
    case 'neural': {
      return (await loadNeural()).createNeuralModel(neuralOpts);
    }
    case 'auto': {
      const mod = await loadNeural();
      if (mod.neuralModelInstalled(neuralOpts)) return mod.createNeuralModel(neuralOpts);
      const zhEn = (isZh(langs.a) && isEn(langs.b)) || (isEn(langs.a) && isZh(langs.b));
      return zhEn ? createLexicalModel() : createLengthModel();
    }
    default:
      throw new AlignInputError(`unknown model "${name}": expected one of ${MODEL_NAMES.join(', ')}`);
  }
}

export interface AlignTextsOptions {
  aLang?: Lang;
  bLang?: Lang;
  model?: ModelName | string;
  presplit?: boolean;
  /** Options of the neural model (with 'neural' or 'auto'). */
  neural?: NeuralChoice;
  onProgress?: ProgressFn;
}

/** Text pipeline + model + DP: two raw texts (already decoded) in, an AlignmentResult out. */
export async function alignTexts(aText: string, bText: string, opts: AlignTextsOptions = {}): Promise<AlignmentResult> {
  const aLang = opts.aLang ?? detectLang(aText);
  const bLang = opts.bLang ?? detectLang(bText);
  if (!opts.aLang && !opts.bLang && aLang === bLang) {
    throw new AlignInputError(
      `both texts look like the same language (${aLang}); give one Chinese and one English text, or set the languages explicitly`,
    );
  }
  const presplit = opts.presplit ?? false;
  const a = buildSide(aText, aLang, { presplit });
  const b = buildSide(bText, bLang, { presplit });
  if (a.sentences.length === 0) throw new AlignInputError('the first text has no sentences');
  if (b.sentences.length === 0) throw new AlignInputError('the second text has no sentences');
  const model = await getModel(opts.model ?? 'auto', { a: aLang, b: bLang }, opts.neural);
  // Presplit text (one sentence per line) has no paragraph structure: align it as one sequence.
  return alignDocument(a, b, model, { whole: presplit, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
}

/**
 * The aligner's front door: pick a similarity model, align two texts or two TextSides.
 * The neural model (neural/) is imported lazily (choose.ts): it loads transformers.js and ONNX, which
 * the other models never need, and this module works where no neural model is installed.
 */
import type { AlignmentResult, Lang, SimilarityModel } from '../domain.js';
import { buildSide, detectLang } from '../text/index.js';
import { alignDocument, type ProgressFn } from './document.js';
import { AlignInputError, chooseModel, type ModelChoice, type ModelName, type ModelOptions, type NeuralChoice } from './choose.js';
import type { LearnedLexicon } from './lexical/learned.js';

export { alignSentences, alignLengths, confidencesOf, sentenceLength, type AlignSentencesOptions, type DpWeights } from './dp.js';
export { alignDocument, alignSentenceLists, alignStretches, scoreBeads, type AlignDocumentOptions, type ProgressFn, type Stretch } from './document.js';
export { weightsFor } from './weights.js';
export { AlignInputError, chooseModel, MODEL_NAMES, type ModelChoice, type ModelName, type ModelOptions, type NeuralChoice } from './choose.js';
export type { LearnedCandidate, LearnedLexicon } from './lexical/learned.js';

/** The model for `name` and the pair (see choose.ts: 'auto' takes the best one available). */
export async function getModel(name: ModelName | string, langs: { a: Lang; b: Lang }, neural: ModelOptions = {}): Promise<SimilarityModel> {
  return (await chooseModel(name, langs, neural)).model;
}

export interface AlignTextsOptions {
  aLang?: Lang;
  bLang?: Lang;
  model?: ModelName | string;
  presplit?: boolean;
  /** Options of the neural model (with 'neural' or 'auto'). */
  neural?: NeuralChoice;
  /** A table learnt from confirmed rows, for the zh–en dictionary model. */
  learned?: LearnedLexicon;
  onProgress?: ProgressFn;
  /** Told which model was chosen and why (the CLI prints it). */
  onModel?: (choice: ModelChoice) => void;
}

/** Text pipeline + model + DP: two raw texts (already decoded) in, an AlignmentResult out. */
export async function alignTexts(aText: string, bText: string, opts: AlignTextsOptions = {}): Promise<AlignmentResult> {
  const aLang = opts.aLang ?? detectLang(aText);
  const bLang = opts.bLang ?? detectLang(bText);
  if (!opts.aLang && !opts.bLang && aLang === bLang) {
    throw new AlignInputError(
      `both texts look like the same language (${aLang}); give texts in two languages, or set the languages explicitly`,
    );
  }
  const presplit = opts.presplit ?? false;
  const a = buildSide(aText, aLang, { presplit });
  const b = buildSide(bText, bLang, { presplit });
  if (a.sentences.length === 0) throw new AlignInputError('the first text has no sentences');
  if (b.sentences.length === 0) throw new AlignInputError('the second text has no sentences');
  const choice = await chooseModel(opts.model ?? 'auto', { a: aLang, b: bLang }, { ...opts.neural, ...(opts.learned ? { learned: opts.learned } : {}) });
  opts.onModel?.(choice);
  const model = choice.model;
  // Presplit text (one sentence per line) has no paragraph structure: align it as one sequence.
  return alignDocument(a, b, model, { whole: presplit, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
}

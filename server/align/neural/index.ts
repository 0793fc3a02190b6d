/**
 * Neural (sentence-embedding) similarity for the aligner. Importing this module is cheap: ONNX
 * Runtime and transformers.js load only when a model is created.
 */
export { createNeuralModel, type NeuralModel, type NeuralModelOptions, type NeuralStats } from './model.js';
export {
  ModelNotInstalledError,
  ModelLoadError,
  InvalidModelIdError,
  neuralModelInstalled,
  resolveModel,
  defaultModelDir,
  defaultModelId,
  validateModelId,
  type NeuralLocation,
  type ResolvedModel,
} from './config.js';
export { KNOWN_MODELS, DEFAULT_MODEL_ID, knownModel, type KnownModel, type PoolingKind } from './known-models.js';
export { EmbeddingWorker, EmbeddingQueueFullError, type EmbeddingWorkerOptions } from './embedding-worker.js';
export type { Encoder, EncoderInfo, EncoderOptions } from './encoder.js';

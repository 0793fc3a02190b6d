/**
 * Where models live and which one to use: resolved from options, then environment, then defaults.
 * Everything here is file-system only and fast, so `neuralModelInstalled` can run on every
 * `--model auto` without loading ONNX Runtime.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_MODEL_ID, knownModel, type PoolingKind } from './known-models.js';
import { projectRoot } from '../../project-root.js';

export interface NeuralLocation {
  /** Folder holding <org>/<name>/ model folders. */
  modelDir?: string;
  /** Hub-style id, e.g. 'Xenova/LaBSE'. */
  modelId?: string;
}

export interface ResolvedModel {
  modelDir: string;
  modelId: string;
  /** <modelDir>/<org>/<name> */
  folder: string;
  /** Whether onnx/model_quantized.onnx (true) or onnx/model.onnx (false) is loaded. */
  quantized: boolean;
  pooling: PoolingKind;
  prefix: string;
}

const root = projectRoot();

export function defaultModelDir(): string {
  return resolve(process.env.MODEL_DIR || join(root, 'models'));
}

export function defaultModelId(): string {
  return process.env.EMBED_MODEL || DEFAULT_MODEL_ID;
}

export function remoteAllowedByEnv(): boolean {
  return process.env.ALLOW_REMOTE_MODELS === '1';
}

/** A model id that is not ORG/NAME of safe characters (a user's mistake, not a bug). */
export class InvalidModelIdError extends Error {
  override readonly name = 'InvalidModelIdError';
  constructor(readonly modelId: string) {
    super(`invalid model id "${modelId}": expected ORG/NAME, e.g. ${DEFAULT_MODEL_ID}`);
  }
}

/** 'org/name' or 'name' made of safe characters: a model id never escapes the model folder. */
export function validateModelId(id: string): string {
  if (!/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)?$/.test(id) || id.split('/').some((p) => p === '.' || p === '..')) {
    throw new InvalidModelIdError(id);
  }
  return id;
}

export class ModelNotInstalledError extends Error {
  override readonly name = 'ModelNotInstalledError';
  constructor(
    readonly modelId: string,
    readonly modelDir: string,
  ) {
    const known = knownModel(modelId);
    const size = known ? ` (~${known.downloadMB} MB download)` : '';
    super(
      `no sentence-embedding model "${modelId}" in ${modelDir}. ` +
        `Install it with: npm run model:fetch -- ${modelId}${size}` +
        ` (or run with ALLOW_REMOTE_MODELS=1 to download it on first use; MODEL_DIR / EMBED_MODEL select another folder or model).`,
    );
  }
}

/** The model's files are there but cannot be loaded (truncated download, corrupt ONNX, bad JSON). */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(modelId: string, folder: string, cause: string) {
    super(`cannot load model "${modelId}" from ${folder}: ${cause}. Reinstall it with: npm run model:fetch -- ${modelId} --force`);
  }
}

function modelFolder(modelDir: string, modelId: string): string {
  return join(modelDir, ...modelId.split('/'));
}

function onnxFile(folder: string, quantized: boolean): string {
  return join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx');
}

/** True when config, tokenizer and an ONNX file of the model are on disk (no model is loaded). */
export function neuralModelInstalled(opts: NeuralLocation = {}): boolean {
  const modelDir = resolve(opts.modelDir ?? defaultModelDir());
  let modelId: string;
  try {
    modelId = validateModelId(opts.modelId ?? defaultModelId());
  } catch {
    return false;
  }
  const folder = modelFolder(modelDir, modelId);
  return (
    existsSync(join(folder, 'config.json')) &&
    existsSync(join(folder, 'tokenizer.json')) &&
    (existsSync(onnxFile(folder, true)) || existsSync(onnxFile(folder, false)))
  );
}

/**
 * Pooling for a model: the known-models table first, then a sentence-transformers
 * 1_Pooling/config.json in the folder, else mean pooling (what most sentence-transformers use).
 */
function poolingFor(modelId: string, folder: string): PoolingKind {
  const known = knownModel(modelId);
  if (known) return known.pooling;
  try {
    const cfg = JSON.parse(readFileSync(join(folder, '1_Pooling', 'config.json'), 'utf8')) as Record<string, unknown>;
    if (cfg.pooling_mode_cls_token === true) return 'cls';
  } catch {
    // no sentence-transformers pooling config: fall through
  }
  return 'mean';
}

export function resolveModel(
  opts: NeuralLocation & { pooling?: PoolingKind; quantized?: boolean; prefix?: string } = {},
): ResolvedModel {
  const modelDir = resolve(opts.modelDir ?? defaultModelDir());
  const modelId = validateModelId(opts.modelId ?? defaultModelId());
  const folder = modelFolder(modelDir, modelId);
  // Prefer the quantised file (transformers.js' default) when both or neither are present.
  const quantized = opts.quantized ?? (existsSync(onnxFile(folder, true)) || !existsSync(onnxFile(folder, false)));
  return {
    modelDir,
    modelId,
    folder,
    quantized,
    pooling: opts.pooling ?? poolingFor(modelId, folder),
    prefix: opts.prefix ?? knownModel(modelId)?.prefix ?? '',
  };
}

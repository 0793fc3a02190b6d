/**
 * In-process sentence encoder on @xenova/transformers: tokenise in length-sorted batches, run the
 * ONNX model, pool, L2-normalise. Runs on whatever thread imports it: the EmbeddingWorker loads it
 * in a worker thread so the server's event loop stays free.
 */
import { ModelLoadError, ModelNotInstalledError, neuralModelInstalled, resolveModel, type ResolvedModel } from './config.js';
import type { PoolingKind } from './known-models.js';

export interface EncoderOptions {
  modelDir?: string;
  modelId?: string;
  /** Network allowed for missing files (files then land in modelDir). Default: ALLOW_REMOTE_MODELS === '1'. */
  allowRemote?: boolean;
  pooling?: PoolingKind;
  quantized?: boolean;
  prefix?: string;
  /** Sentences per inference call. */
  batchSize?: number;
  /** ONNX Runtime intra-op threads; default: ONNX Runtime's (all cores). */
  threads?: number;
}

/** What the encoder actually does, reported once so logs say which pooling was used. */
export interface EncoderInfo {
  modelId: string;
  /** Pooling asked for (from the known-models table or options). */
  pooling: PoolingKind;
  /** Pooling applied: 'pooler' falls back to 'cls' when the graph has no pooler_output. */
  applied: 'pooler_output' | 'cls' | 'mean';
  dimension: number;
  quantized: boolean;
  prefix: string;
}

export type ProgressFn = (done: number, total: number) => void;

export interface Encoder {
  readonly info: EncoderInfo;
  /** One unit-length vector per text, in input order. */
  embed(texts: readonly string[], onProgress?: ProgressFn): Promise<Float32Array[]>;
  close(): Promise<void>;
}

// Narrow views of the transformers.js objects we use (its own typings are mostly `any`).
interface TensorLike {
  dims: number[];
  data: ArrayLike<number | bigint>;
}
interface TokenizerFn {
  (texts: string[], opts: { padding: boolean; truncation: boolean }): Record<string, TensorLike>;
  model_max_length?: number;
}
interface ModelLike {
  (inputs: Record<string, TensorLike>): Promise<Record<string, TensorLike | undefined>>;
  session: { outputNames: string[] };
  config: { hidden_size?: number; max_position_embeddings?: number; model_type?: string };
  dispose(): Promise<unknown>;
}

export function l2normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

/** Row `b` of a [B,S,H] tensor pooled to [H]: CLS (position 0) or masked mean. */
function poolHidden(hidden: TensorLike, mask: TensorLike, b: number, kind: 'cls' | 'mean'): Float32Array {
  const [, seq = 0, dim = 0] = hidden.dims;
  const data = hidden.data as Float32Array;
  const out = new Float32Array(dim);
  const base = b * seq * dim;
  if (kind === 'cls') {
    out.set(data.subarray(base, base + dim));
    return out;
  }
  let count = 0;
  for (let t = 0; t < seq; t++) {
    if (Number(mask.data[b * seq + t]) === 0) continue;
    count++;
    const off = base + t * dim;
    for (let h = 0; h < dim; h++) out[h]! += data[off + h]!;
  }
  if (count > 0) for (let h = 0; h < dim; h++) out[h]! /= count;
  return out;
}

interface SessionFactory {
  create(model: unknown, options?: Record<string, unknown>): Promise<unknown>;
}
let sessionThreads: number | undefined;
let patched = false;

/**
 * transformers.js 2.x creates sessions with default options (every core busy-spinning); wrapping
 * InferenceSession.create is the only way to cap the thread count, e.g. to leave a core free for
 * the server's event loop.
 */
function limitThreads(factory: SessionFactory, threads: number | undefined): void {
  sessionThreads = threads;
  if (patched) return;
  patched = true;
  const create = factory.create.bind(factory);
  factory.create = (model, options = {}) =>
    create(model, sessionThreads ? { ...options, intraOpNumThreads: sessionThreads, interOpNumThreads: 1 } : options);
}

/**
 * Runs a model load with console.warn/error held back: on failure transformers.js prints stack
 * traces of its own, and the caller gets one clear error instead; on success the notices are shown.
 */
async function quietly<T>(load: () => Promise<T>, wrap: (e: unknown, detail: string) => Error): Promise<T> {
  const held: Array<['warn' | 'error', unknown[]]> = [];
  const { warn, error } = console;
  console.warn = (...a: unknown[]) => void held.push(['warn', a]);
  console.error = (...a: unknown[]) => void held.push(['error', a]);
  let result: T;
  try {
    result = await load();
  } catch (e) {
    // The thrown error can be vague ("Can't create a session"); the last logged error says why.
    const logged = held.flatMap(([, args]) => args).filter((a): a is Error => a instanceof Error);
    throw wrap(e, logged[logged.length - 1]?.message ?? '');
  } finally {
    console.warn = warn;
    console.error = error;
  }
  for (const [kind, args] of held) console[kind](...args);
  return result;
}

export async function loadEncoder(opts: EncoderOptions = {}): Promise<Encoder> {
  const m: ResolvedModel = resolveModel(opts);
  const allowRemote = opts.allowRemote ?? process.env.ALLOW_REMOTE_MODELS === '1';
  // Checked before importing transformers.js so a missing model fails fast and offline.
  if (!allowRemote && !neuralModelInstalled({ modelDir: m.modelDir, modelId: m.modelId })) {
    throw new ModelNotInstalledError(m.modelId, m.modelDir);
  }
  const tf = await import('@xenova/transformers');
  tf.env.localModelPath = `${m.modelDir}/`;
  tf.env.allowLocalModels = true;
  tf.env.allowRemoteModels = allowRemote;
  // Downloads are cached under the model folder's own layout (<modelDir>/<org>/<name>/…), which
  // is exactly where local loading and neuralModelInstalled look next time.
  tf.env.cacheDir = m.modelDir;
  tf.env.useFSCache = true;
  if (opts.threads !== undefined) {
    // The same module instance transformers.js uses (a dependency of it, hoisted beside it).
    const spec = 'onnxruntime-node';
    const ort = (await import(spec).catch(() => null)) as { default?: { InferenceSession?: SessionFactory }; InferenceSession?: SessionFactory } | null;
    const factory = ort?.default?.InferenceSession ?? ort?.InferenceSession;
    if (factory) limitThreads(factory, opts.threads);
  }
  const pretrained = { quantized: m.quantized, local_files_only: !allowRemote };
  const { tokenizer, model } = await quietly(
    async () => ({
      tokenizer: (await tf.AutoTokenizer.from_pretrained(m.modelId, pretrained)) as unknown as TokenizerFn,
      model: (await tf.AutoModel.from_pretrained(m.modelId, pretrained)) as unknown as ModelLike,
    }),
    (e, detail) => {
      const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0] || 'unknown error';
      const why = detail.split('\n')[0] ?? '';
      return new ModelLoadError(m.modelId, m.folder, why && why !== msg ? `${msg} (${why})` : msg);
    },
  );

  const hasPooler = model.session.outputNames.includes('pooler_output');
  const applied: EncoderInfo['applied'] = m.pooling === 'mean' ? 'mean' : m.pooling === 'pooler' && hasPooler ? 'pooler_output' : 'cls';
  const info: EncoderInfo = {
    modelId: m.modelId,
    pooling: m.pooling,
    applied,
    dimension: model.config.hidden_size ?? 0,
    quantized: m.quantized,
    prefix: m.prefix,
  };
  const batchSize = Math.max(1, opts.batchSize ?? 16);
  // Some tokenizer configs say "no limit" (1e30); the position table is the real limit
  // (RoBERTa-family models reserve two positions for padding offsets). Set on the tokenizer, not
  // passed as max_length, which would pad every batch to that length.
  const positions = (model.config.max_position_embeddings ?? 512) - (/roberta|mpnet/.test(model.config.model_type ?? '') ? 2 : 0);
  const declared = tokenizer.model_max_length;
  if (!(declared !== undefined && declared > 0 && declared <= positions)) tokenizer.model_max_length = positions;

  async function embedBatch(texts: string[]): Promise<Float32Array[]> {
    const inputs = tokenizer(texts.map((t) => m.prefix + t), { padding: true, truncation: true });
    const out = await model(inputs);
    const mask = inputs.attention_mask;
    const pooled = out.pooler_output;
    const hidden = out.last_hidden_state;
    const result: Float32Array[] = [];
    for (let b = 0; b < texts.length; b++) {
      let v: Float32Array;
      if (applied === 'pooler_output' && pooled) {
        const dim = pooled.dims[1] ?? 0;
        v = Float32Array.from((pooled.data as Float32Array).subarray(b * dim, (b + 1) * dim));
      } else {
        if (!hidden || !mask) throw new Error(`model ${m.modelId} returned no last_hidden_state`);
        v = poolHidden(hidden, mask, b, applied === 'mean' ? 'mean' : 'cls');
      }
      result.push(l2normalize(v));
    }
    return result;
  }
  // Configs without hidden_size: learn the dimension from one probe (the cache needs it up front).
  if (info.dimension === 0) info.dimension = (await embedBatch(['dimension probe']))[0]?.length ?? 0;

  return {
    info,
    async embed(texts, onProgress) {
      // Longest first and batched by length, so each batch pads to similar lengths.
      const order = texts.map((_, i) => i).sort((x, y) => texts[y]!.length - texts[x]!.length || x - y);
      const out: Float32Array[] = new Array<Float32Array>(texts.length);
      for (let s = 0; s < order.length; s += batchSize) {
        const idx = order.slice(s, s + batchSize);
        const vecs = await embedBatch(idx.map((i) => texts[i]!));
        idx.forEach((i, k) => {
          out[i] = vecs[k]!;
        });
        onProgress?.(Math.min(s + batchSize, order.length), order.length);
      }
      return out;
    },
    async close() {
      await model.dispose();
    },
  };
}

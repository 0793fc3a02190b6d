/**
 * The `neural` SimilarityModel: window embeddings from a sentence encoder (in a worker thread by
 * default), cached per text, scored by cosine; optionally blended with the lexical model.
 */
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { BeadScorer, Lang, SimilarityModel } from '../../domain.js';
import { ModelNotInstalledError, neuralModelInstalled, remoteAllowedByEnv, resolveModel } from './config.js';
import { EmbeddingCache, textKey } from './cache.js';
import { EmbeddingWorker } from './embedding-worker.js';
import { loadEncoder, type Encoder, type EncoderInfo, type EncoderOptions } from './encoder.js';
import { BlendScorer, WindowScorer, windowTexts } from './windows.js';

export interface NeuralModelOptions extends EncoderOptions {
  /** Weight of the lexical score in [0, 1]; default EMBED_BLEND or 0 (pure embeddings). */
  blend?: number;
  /** Lexical model for the blend; default: getModel('lexical') from the aligner, loaded on demand. */
  lexical?: SimilarityModel;
  /** Lexical score of a typical correct bead, mapped to 1 before blending; default: the aligner's scoreUnit. */
  lexicalUnit?: number;
  /**
   * The aligner's getModel and scoreUnit, for the defaults above (choose.ts passes them). Without
   * them they are imported on demand, which works module by module but not from the CLI bundle.
   */
  aligner?: AlignerLink;
  /** Run inference in a worker thread (default true) or on the calling thread. */
  worker?: boolean;
  /**
   * Longest run of sentences embedded as one window (the DP's largest bead side). Default 4, or
   * EMBED_MAX_WINDOW; 1 embeds single sentences only (4× less inference, longer runs use means).
   */
  maxWindow?: number;
  /** Disk cache folder; default EMBED_CACHE_DIR or <modelDir>/.cache/embeddings; null (or EMBED_CACHE_DIR=none) = memory only. */
  cacheDir?: string | null;
  /** Bounded queue of the worker. */
  maxQueue?: number;
  /** Use this encoder instead of loading one (tests, benches). */
  encoder?: Encoder;
  onProgress?: (p: { done: number; total: number }) => void;
  /** Where one-line notices go (pooling used, cache problems). Default: stderr. */
  log?: (message: string) => void;
}

export interface NeuralStats {
  /** Texts sent to the encoder (cache misses). */
  inferred: number;
  /** Texts answered from the cache. */
  cached: number;
  /** Encoder calls. */
  calls: number;
}

export interface NeuralModel extends SimilarityModel {
  readonly info: EncoderInfo;
  readonly stats: NeuralStats;
  readonly cache: EmbeddingCache;
  /** Unit vectors for these texts, through the cache. */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
  close(): Promise<void>;
}

type GetModel = (name: string, langs: { a: Lang; b: Lang }) => Promise<SimilarityModel>;

export interface AlignerLink {
  getModel: GetModel;
  scoreUnit: (model: string) => number;
}

async function defaultLexical(langs: { a: Lang; b: Lang }, aligner: AlignerLink | undefined): Promise<SimilarityModel> {
  if (aligner) return aligner.getModel('lexical', langs);
  // Resolved at run time: the aligner imports this module, so a static import would be circular.
  const spec = '../index.js';
  const mod = (await import(spec).catch(() => ({}))) as { getModel?: GetModel };
  if (typeof mod.getModel !== 'function') throw new Error('blend needs the lexical model (server/align getModel), which is not available');
  return mod.getModel('lexical', langs);
}

async function defaultLexicalUnit(name: string, aligner: AlignerLink | undefined): Promise<number> {
  if (aligner) return aligner.scoreUnit(name);
  const spec = '../weights.js';
  const mod = (await import(spec).catch(() => ({}))) as { scoreUnit?: (model: string) => number };
  return mod.scoreUnit?.(name) ?? 1;
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got "${v}"`);
  return n;
}

function defaultCacheDir(modelDir: string): string | null {
  const env = process.env.EMBED_CACHE_DIR;
  if (env === 'none') return null;
  return env ? resolve(env) : join(modelDir, '.cache', 'embeddings');
}

function weightsStamp(folder: string, quantized: boolean): string {
  try {
    const st = statSync(join(folder, 'onnx', quantized ? 'model_quantized.onnx' : 'model.onnx'));
    // Size and modification time: weights replaced by a same-size file (a re-export, a fine-tune of
    // the same architecture) must not be answered with the old model's vectors.
    return `${st.size}-${Math.floor(st.mtimeMs)}`;
  } catch {
    return 'remote';
  }
}

/**
 * Loaded encoders are shared by configuration: a server that creates a model per alignment loads
 * LaBSE once, not once per request. Each model's close() releases its use.
 */
interface SharedEncoder {
  encoder: Promise<Encoder>;
  users: number;
}
const encoders = new Map<string, SharedEncoder>();

async function acquireEncoder(
  key: string,
  load: () => Promise<Encoder>,
): Promise<{ encoder: Encoder; release: () => Promise<void>; fresh: boolean }> {
  let s = encoders.get(key);
  const fresh = !s;
  if (!s) {
    const created: SharedEncoder = { encoder: load(), users: 0 };
    created.encoder.catch(() => {
      if (encoders.get(key) === created) encoders.delete(key);
    });
    encoders.set(key, created);
    s = created;
  }
  const shared = s;
  shared.users++;
  let encoder: Encoder;
  try {
    encoder = await shared.encoder;
  } catch (e) {
    shared.users--;
    throw e;
  }
  let released = false;
  const release = async (): Promise<void> => {
    if (released) return;
    released = true;
    if (--shared.users > 0) return;
    if (encoders.get(key) === shared) encoders.delete(key);
    await encoder.close();
  };
  return { encoder, release, fresh };
}

/** Disk-backed caches are shared per file, so every model instance sees what the others embedded. */
const caches = new Map<string, EmbeddingCache>();
function sharedCache(opts: ConstructorParameters<typeof EmbeddingCache>[0]): EmbeddingCache {
  const cache = new EmbeddingCache(opts);
  if (!cache.file) return cache;
  const existing = caches.get(cache.file);
  if (existing) return existing;
  caches.set(cache.file, cache);
  return cache;
}

export async function createNeuralModel(opts: NeuralModelOptions = {}): Promise<NeuralModel> {
  const resolved = resolveModel(opts);
  const allowRemote = opts.allowRemote ?? remoteAllowedByEnv();
  const log = opts.log ?? ((m: string) => void process.stderr.write(`[neural] ${m}\n`));
  // File-system check first: no worker, no ONNX Runtime, no network when nothing is installed.
  if (!opts.encoder && !allowRemote && !neuralModelInstalled(resolved)) {
    throw new ModelNotInstalledError(resolved.modelId, resolved.modelDir);
  }
  const blend = Math.min(1, Math.max(0, opts.blend ?? envNumber('EMBED_BLEND') ?? 0));
  const maxWindow = Math.min(8, Math.max(1, Math.floor(opts.maxWindow ?? envNumber('EMBED_MAX_WINDOW') ?? 4)));
  const encoderOptions: EncoderOptions = {
    modelDir: resolved.modelDir,
    modelId: resolved.modelId,
    allowRemote,
    pooling: resolved.pooling,
    quantized: resolved.quantized,
    prefix: resolved.prefix,
    ...(opts.batchSize !== undefined ? { batchSize: opts.batchSize } : {}),
    ...((opts.threads ?? envNumber('EMBED_THREADS')) !== undefined ? { threads: opts.threads ?? envNumber('EMBED_THREADS') } : {}),
  };
  const inWorker = opts.worker !== false;
  const workerOptions = { ...encoderOptions, ...(opts.maxQueue !== undefined ? { maxQueue: opts.maxQueue } : {}) };
  const { encoder, release, fresh } = opts.encoder
    ? { encoder: opts.encoder, release: () => opts.encoder!.close(), fresh: true }
    : await acquireEncoder(JSON.stringify({ inWorker, ...workerOptions }), () =>
        inWorker ? EmbeddingWorker.start(workerOptions) : loadEncoder(encoderOptions),
      );
  const info = encoder.info;
  if (fresh) {
    const fallback = info.pooling === 'pooler' && info.applied === 'cls' ? ' (graph has no pooler_output: CLS vector instead)' : '';
    log(`${info.modelId}: ${info.applied} pooling${fallback}, ${info.dimension} dims${info.prefix ? `, prefix "${info.prefix}"` : ''}`);
  }

  const cache = sharedCache({
    dir: opts.cacheDir !== undefined ? opts.cacheDir : defaultCacheDir(resolved.modelDir),
    namespace: [info.modelId, info.applied, info.quantized ? 'q' : 'f', textKey(info.prefix).slice(0, 8), weightsStamp(resolved.folder, info.quantized), `d${info.dimension}`].join('__'),
    dimension: info.dimension,
    onError: log,
  });
  const stats: NeuralStats = { inferred: 0, cached: 0, calls: 0 };
  let lexical: SimilarityModel | undefined = opts.lexical;

  async function embed(texts: readonly string[]): Promise<Float32Array[]> {
    const found = new Map<string, Float32Array>();
    const missing: string[] = [];
    for (const t of new Set(texts)) {
      const v = cache.get(t);
      if (v) found.set(t, v);
      else missing.push(t);
    }
    stats.cached += found.size;
    if (missing.length > 0) {
      stats.calls++;
      stats.inferred += missing.length;
      const vecs = await encoder.embed(missing, (done, total) => opts.onProgress?.({ done, total }));
      cache.setMany(missing.map((t, i) => [t, vecs[i]!] as const));
      missing.forEach((t, i) => {
        found.set(t, vecs[i]!);
      });
    }
    return texts.map((t) => found.get(t)!);
  }

  return {
    name: `neural:${info.modelId}`,
    info,
    stats,
    cache,
    embed,
    async prepare(a: readonly string[], b: readonly string[], langs: { a: Lang; b: Lang }): Promise<BeadScorer> {
      const wa = windowTexts(a, langs.a, maxWindow);
      const wb = windowTexts(b, langs.b, maxWindow);
      const flat = [...wa.flat(), ...wb.flat()];
      const vecs = await embed(flat);
      let k = 0;
      const take = (rows: string[][]): Float32Array[][] => rows.map((row) => row.map(() => vecs[k++]!));
      const neural = new WindowScorer(take(wa), take(wb));
      if (blend === 0) return neural;
      lexical ??= await defaultLexical(langs, opts.aligner);
      const unit = opts.lexicalUnit ?? (await defaultLexicalUnit(lexical.name, opts.aligner));
      return new BlendScorer(neural, await lexical.prepare(a, b, langs), blend, unit);
    },
    /** Releases this model's use of the encoder; the encoder is freed when no model uses it. */
    close: release,
  };
}

/**
 * Runs encoders in a worker thread so inference never blocks the caller's event loop (the review
 * server keeps answering while a document is embedded). Each EmbeddingWorker is a handle with its
 * own bounded FIFO queue; a full queue rejects at once rather than piling up.
 *
 * One inference thread serves the whole process and is never terminated: onnxruntime-node's
 * native addon cannot be loaded again in a new thread once a thread that loaded it has exited
 * ("Module did not self-register"). The idle thread is unref'd, so it does not keep a CLI alive.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { workerFile } from '../../bundle.js';
import { ModelNotInstalledError } from './config.js';
import type { Encoder, EncoderInfo, EncoderOptions, ProgressFn } from './encoder.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

export class EmbeddingQueueFullError extends Error {
  override readonly name = 'EmbeddingQueueFullError';
  constructor(limit: number) {
    super(`embedding queue is full (${limit} jobs waiting); try again when the current alignment finishes`);
  }
}

export interface EmbeddingWorkerOptions extends EncoderOptions {
  /** Jobs allowed in this handle's queue including the running one. Default 8. */
  maxQueue?: number;
}

interface Job {
  id: number;
  texts: string[];
  onProgress: ProgressFn | undefined;
  resolve: (v: Float32Array[]) => void;
  reject: (e: Error) => void;
}

interface Client {
  onMessage(m: FromWorker): void;
  onFatal(e: Error): void;
}

interface SharedThread {
  worker: Worker;
  clients: Map<number, Client>;
  /** Handles with work in the thread; the thread is ref'd only while this is > 0. */
  busy: number;
}

let shared: SharedThread | null = null;
let nextEncoderId = 1;

/**
 * The worker script beside this module: worker.js when running from dist/; under tsx or vitest it
 * is worker.ts, loaded through tsx's require hook (Node 20 does not apply `--import tsx` ESM hooks
 * to a worker's entry, the CJS hook works in any thread).
 */
function spawnWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new Worker(workerFile(here, './worker.js', 'embedding-worker'));
  const tsxApi = createRequire(here).resolve('tsx/cjs/api');
  const entry = fileURLToPath(new URL('./worker.ts', here));
  const boot = `require(${JSON.stringify(tsxApi)}).require(${JSON.stringify(entry)}, ${JSON.stringify(entry)});`;
  return new Worker(boot, { eval: true });
}

function thread(): SharedThread {
  if (shared) return shared;
  const t: SharedThread = { worker: spawnWorker(), clients: new Map(), busy: 0 };
  t.worker.on('message', (m: FromWorker) => t.clients.get(m.encoder)?.onMessage(m));
  const fatal = (e: Error): void => {
    if (shared === t) shared = null;
    for (const c of [...t.clients.values()]) c.onFatal(e);
    t.clients.clear();
  };
  t.worker.on('error', fatal);
  t.worker.on('exit', (code) => fatal(new Error(`embedding worker exited (code ${code})`)));
  t.worker.unref();
  shared = t;
  return t;
}

function busy(t: SharedThread, delta: number): void {
  t.busy += delta;
  if (t.busy > 0) t.worker.ref();
  else t.worker.unref();
}

function toError(m: Extract<FromWorker, { type: 'error' }>): Error {
  if (m.name === 'ModelNotInstalledError' && m.modelId && m.modelDir) return new ModelNotInstalledError(m.modelId, m.modelDir);
  const e = new Error(m.message);
  e.name = m.name;
  return e;
}

export class EmbeddingWorker implements Encoder {
  private readonly queue: Job[] = [];
  private running: Job | null = null;
  private nextJob = 1;
  private closed = false;
  private failure: Error | null = null;

  private constructor(
    private readonly t: SharedThread,
    private readonly encoderId: number,
    readonly info: EncoderInfo,
    private readonly maxQueue: number,
  ) {
    t.clients.set(encoderId, { onMessage: (m) => this.onMessage(m), onFatal: (e) => this.fail(e) });
  }

  /** Loads the model in the inference thread; rejects (ModelNotInstalledError …) if it cannot. */
  static async start(opts: EmbeddingWorkerOptions = {}): Promise<EmbeddingWorker> {
    const { maxQueue = 8, ...rest } = opts;
    // Leave one core to the calling thread's event loop.
    const options: EncoderOptions = { ...rest, threads: rest.threads ?? Math.max(1, availableParallelism() - 1) };
    const t = thread();
    const encoder = nextEncoderId++;
    busy(t, +1);
    try {
      const info = await new Promise<EncoderInfo>((resolve, reject) => {
        t.clients.set(encoder, {
          onMessage: (m) => {
            if (m.type === 'ready') resolve(m.info);
            else if (m.type === 'error') reject(toError(m));
          },
          onFatal: reject,
        });
        t.worker.postMessage({ type: 'init', encoder, options } satisfies ToWorker);
      });
      return new EmbeddingWorker(t, encoder, info, Math.max(1, maxQueue));
    } catch (e) {
      t.clients.delete(encoder);
      throw e;
    } finally {
      busy(t, -1);
    }
  }

  /** Jobs queued or running in this handle. */
  get pending(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  embed(texts: readonly string[], onProgress?: ProgressFn): Promise<Float32Array[]> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('embedding worker is closed'));
    if (texts.length === 0) return Promise.resolve([]);
    if (this.pending >= this.maxQueue) return Promise.reject(new EmbeddingQueueFullError(this.maxQueue));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextJob++, texts: [...texts], onProgress, resolve, reject });
      this.pump();
    });
  }

  /** Frees this handle's model in the thread; the thread itself stays for later handles. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const dropped = this.running ? [this.running, ...this.queue.splice(0)] : this.queue.splice(0);
    if (this.running) busy(this.t, -1);
    this.running = null;
    for (const j of dropped) j.reject(new Error('embedding worker closed'));
    this.t.clients.delete(this.encoderId);
    if (!this.failure) this.t.worker.postMessage({ type: 'dispose', encoder: this.encoderId } satisfies ToWorker);
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const job = this.queue.shift()!;
    this.running = job;
    busy(this.t, +1);
    this.t.worker.postMessage({ type: 'embed', encoder: this.encoderId, job: job.id, texts: job.texts } satisfies ToWorker);
  }

  private onMessage(m: FromWorker): void {
    const job = this.running;
    if (!job || !('job' in m) || m.job !== job.id) return;
    if (m.type === 'progress') {
      job.onProgress?.(m.done, m.total);
      return;
    }
    this.running = null;
    busy(this.t, -1);
    if (m.type === 'result') {
      const out: Float32Array[] = [];
      for (let i = 0; i < job.texts.length; i++) out.push(m.data.subarray(i * m.dim, (i + 1) * m.dim));
      job.resolve(out);
    } else if (m.type === 'error') {
      job.reject(toError(m));
    }
    this.pump();
  }

  private fail(e: Error): void {
    this.failure = e;
    const jobs = this.running ? [this.running, ...this.queue.splice(0)] : this.queue.splice(0);
    this.running = null;
    for (const j of jobs) j.reject(e);
  }
}

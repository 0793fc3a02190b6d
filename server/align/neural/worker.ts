/**
 * Inference-thread entry: holds the encoders of all EmbeddingWorker handles and runs their
 * messages one at a time, posting progress per batch. Never imported by the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { ModelNotInstalledError } from './config.js';
import { loadEncoder, type Encoder } from './encoder.js';
import type { FromWorker, ToWorker } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

const encoders = new Map<number, Encoder>();
const post = (m: FromWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(m, transfer);

function errorMessage(encoder: number, job: number | null, err: unknown): FromWorker {
  if (err instanceof ModelNotInstalledError) {
    return { type: 'error', encoder, job, name: err.name, message: err.message, modelId: err.modelId, modelDir: err.modelDir };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { type: 'error', encoder, job, name: e.name, message: e.message };
}

async function handle(msg: ToWorker): Promise<void> {
  if (msg.type === 'init') {
    const enc = await loadEncoder(msg.options);
    encoders.set(msg.encoder, enc);
    post({ type: 'ready', encoder: msg.encoder, info: enc.info });
  } else if (msg.type === 'embed') {
    const enc = encoders.get(msg.encoder);
    if (!enc) throw new Error('encoder not initialised');
    const progress = (done: number, total: number): void => post({ type: 'progress', encoder: msg.encoder, job: msg.job, done, total });
    const vecs = await enc.embed(msg.texts, progress);
    const dim = vecs[0]?.length ?? enc.info.dimension;
    const data = new Float32Array(vecs.length * dim);
    vecs.forEach((v, i) => {
      data.set(v, i * dim);
    });
    post({ type: 'result', encoder: msg.encoder, job: msg.job, dim, data }, [data.buffer as ArrayBuffer]);
  } else {
    await encoders.get(msg.encoder)?.close();
    encoders.delete(msg.encoder);
  }
}

// Messages are chained so a second job waits for the first instead of interleaving batches.
let chain: Promise<void> = Promise.resolve();
port.on('message', (msg: ToWorker) => {
  chain = chain.then(() =>
    handle(msg).catch((err: unknown) => post(errorMessage(msg.encoder, msg.type === 'embed' ? msg.job : null, err))),
  );
});

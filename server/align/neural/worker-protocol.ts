/**
 * Messages between EmbeddingWorker handles (main thread) and worker.ts (the inference thread).
 * One thread serves every handle of the process: each handle owns an encoder inside it, by id.
 */
import type { EncoderInfo, EncoderOptions } from './encoder.js';

export type ToWorker =
  | { type: 'init'; encoder: number; options: EncoderOptions }
  | { type: 'embed'; encoder: number; job: number; texts: string[] }
  | { type: 'dispose'; encoder: number };

export type FromWorker =
  | { type: 'ready'; encoder: number; info: EncoderInfo }
  | { type: 'progress'; encoder: number; job: number; done: number; total: number }
  /** Vectors packed row-major into one buffer (transferred, not copied). */
  | { type: 'result'; encoder: number; job: number; dim: number; data: Float32Array }
  | { type: 'error'; encoder: number; job: number | null; name: string; message: string; modelId?: string; modelDir?: string };

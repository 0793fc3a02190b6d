/**
 * Embedding cache: memory map in front of an append-only binary file per model variant, so a text
 * is embedded once and re-aligning a document costs no inference. Record layout: 32-byte SHA-256
 * of the text, then `dimension` little-endian float32. A torn last record (crash mid-write) is
 * cut off on load. The cache only ever saves time: disk errors are reported and otherwise ignored.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddingCacheOptions {
  /** Folder for the cache files; null keeps the cache in memory only. */
  dir: string | null;
  /** Identifies model + pooling + prefix + weights; one file per namespace. */
  namespace: string;
  dimension: number;
  /** Oldest entries are dropped from memory beyond this (they stay on disk). Default 100k. */
  maxMemoryEntries?: number;
  onError?: (message: string) => void;
}

const HASH_BYTES = 32;

export function textKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export class EmbeddingCache {
  private readonly mem = new Map<string, Float32Array>();
  private loaded = false;
  readonly file: string | null;

  constructor(private readonly opts: EmbeddingCacheOptions) {
    this.file = opts.dir ? join(opts.dir, `${opts.namespace.replace(/[^\w.-]+/g, '_')}.f32`) : null;
  }

  get size(): number {
    this.load();
    return this.mem.size;
  }

  get(text: string): Float32Array | undefined {
    this.load();
    const k = textKey(text);
    const v = this.mem.get(k);
    if (v) {
      // Refresh recency for the memory bound.
      this.mem.delete(k);
      this.mem.set(k, v);
    }
    return v;
  }

  /** Adds vectors to memory and appends them to the file in one write. */
  setMany(entries: ReadonlyArray<readonly [string, Float32Array]>): void {
    this.load();
    const dim = this.opts.dimension;
    const rec = HASH_BYTES + dim * 4;
    const buf = Buffer.alloc(entries.length * rec);
    let n = 0;
    for (const [text, vec] of entries) {
      if (vec.length !== dim) throw new Error(`embedding has ${vec.length} dims, cache expects ${dim}`);
      const k = textKey(text);
      if (this.mem.has(k)) continue;
      this.remember(k, vec);
      const off = n * rec;
      buf.write(k, off, 'hex');
      Buffer.from(vec.buffer, vec.byteOffset, vec.byteLength).copy(buf, off + HASH_BYTES);
      n++;
    }
    if (!this.file || n === 0) return;
    try {
      mkdirSync(this.opts.dir!, { recursive: true });
      appendFileSync(this.file, buf.subarray(0, n * rec));
    } catch (e) {
      this.opts.onError?.(`embedding cache not written (${(e as Error).message})`);
    }
  }

  private remember(k: string, v: Float32Array): void {
    this.mem.set(k, v);
    const max = this.opts.maxMemoryEntries ?? 100_000;
    while (this.mem.size > max) {
      const oldest = this.mem.keys().next().value;
      if (oldest === undefined) break;
      this.mem.delete(oldest);
    }
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    if (!this.file || !existsSync(this.file)) return;
    try {
      const data = readFileSync(this.file);
      const rec = HASH_BYTES + this.opts.dimension * 4;
      const whole = data.length - (data.length % rec);
      // A torn last record: cut it off, or every record appended later would be read out of step.
      if (whole !== data.length) truncateSync(this.file, whole);
      for (let off = 0; off + rec <= whole; off += rec) {
        const k = data.toString('hex', off, off + HASH_BYTES);
        // Copy out: Float32Array views need 4-byte alignment, records are only 4-byte aligned by luck.
        const v = new Float32Array(this.opts.dimension);
        Buffer.from(v.buffer).set(data.subarray(off + HASH_BYTES, off + rec));
        this.remember(k, v);
      }
    } catch (e) {
      this.opts.onError?.(`embedding cache not read (${(e as Error).message})`);
    }
  }
}

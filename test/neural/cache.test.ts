import { afterAll, describe, expect, it } from 'vitest';
import { appendFileSync, readdirSync, statSync } from 'node:fs';
import { EmbeddingCache } from '../../server/align/neural/cache.js';
import { scratchDir } from './helpers.js';

const scratch = scratchDir();
afterAll(() => scratch.cleanup());
const vec = (seed: number): Float32Array => Float32Array.from({ length: 4 }, (_, i) => seed + i / 10);

describe('EmbeddingCache', () => {
  it('round-trips vectors through the file and ignores a torn last record', () => {
    const opts = { dir: scratch.dir, namespace: 'org/model__mean', dimension: 4 };
    const c1 = new EmbeddingCache(opts);
    c1.setMany([['一', vec(1)], ['two', vec(2)]]);
    c1.setMany([['two', vec(9)]]); // already cached: not appended again
    const file = c1.file!;
    expect(readdirSync(scratch.dir)).toEqual(['org_model__mean.f32']);
    expect(statSync(file).size).toBe(2 * (32 + 16));
    appendFileSync(file, Buffer.alloc(20, 7)); // a crash mid-write
    const c2 = new EmbeddingCache(opts);
    expect(c2.size).toBe(2);
    expect(Array.from(c2.get('一')!)).toEqual(Array.from(vec(1)));
    expect(Array.from(c2.get('two')!)).toEqual(Array.from(vec(2)));
    expect(c2.get('three')).toBeUndefined();
  });

  it('cuts a torn last record off on load, so records appended afterwards are read back correctly', () => {
    const opts = { dir: scratch.dir, namespace: 'org/torn__mean', dimension: 4 };
    const c1 = new EmbeddingCache(opts);
    c1.setMany([['a', vec(1)]]);
    appendFileSync(c1.file!, Buffer.alloc(20, 7)); // a crash mid-write
    const c2 = new EmbeddingCache(opts);
    expect(c2.size).toBe(1);
    c2.setMany([['b', vec(2)]]); // appended after the torn bytes unless they were cut off
    expect(statSync(c1.file!).size).toBe(2 * (32 + 16));
    const c3 = new EmbeddingCache(opts);
    expect(c3.size).toBe(2);
    expect(Array.from(c3.get('a')!)).toEqual(Array.from(vec(1)));
    expect(Array.from(c3.get('b')!)).toEqual(Array.from(vec(2)));
  });

  it('keeps at most maxMemoryEntries in memory, least recently used out first', () => {
    const c = new EmbeddingCache({ dir: null, namespace: 'm', dimension: 4, maxMemoryEntries: 2 });
    c.setMany([['a', vec(1)], ['b', vec(2)]]);
    c.get('a');
    c.setMany([['c', vec(3)]]);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBeDefined();
    expect(c.get('c')).toBeDefined();
  });

  it('rejects a vector of the wrong dimension', () => {
    const c = new EmbeddingCache({ dir: null, namespace: 'm', dimension: 4 });
    expect(() => c.setMany([['x', new Float32Array(3)]])).toThrow(/3 dims/);
  });
});

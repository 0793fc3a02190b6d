import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEncoder, type Encoder } from '../../server/align/neural/encoder.js';
import { fixtureModel, maxAbsDiff, noPoolerModel, norm, scratchDir } from './helpers.js';

const SENTENCES = [
  'The cat sat on the mat.',
  '金砖国家外长会晤。',
  'The Ministers exchanged views on major international and regional issues.',
  '外长们就政治、安全、经贸、金融、可持续发展等重大国际和地区问题交换了意见。',
  'ok',
];

let pooler: Encoder;
const scratch = scratchDir();

beforeAll(async () => {
  pooler = await loadEncoder({ ...fixtureModel(), pooling: 'pooler', batchSize: 8 });
});
afterAll(async () => {
  await pooler.close();
  scratch.cleanup();
});

describe('encoder on the fixture model', () => {
  it('returns one unit-length vector of the model dimension per text, in input order', async () => {
    const vecs = await pooler.embed(SENTENCES);
    expect(vecs).toHaveLength(SENTENCES.length);
    for (const v of vecs) {
      expect(v.length).toBe(32);
      expect(norm(v)).toBeCloseTo(1, 5);
    }
    // Input order is kept although batches are sorted by length.
    const again = await pooler.embed([SENTENCES[3]!, SENTENCES[0]!]);
    expect(maxAbsDiff(again[0]!, vecs[3]!)).toBeLessThan(1e-6);
    expect(maxAbsDiff(again[1]!, vecs[0]!)).toBeLessThan(1e-6);
  });

  it('gives a sentence the same vector alone and inside a padded batch', async () => {
    for (const pooling of ['pooler', 'cls', 'mean'] as const) {
      const enc = pooling === 'pooler' ? pooler : await loadEncoder({ ...fixtureModel(), pooling, batchSize: 8 });
      const batch = await enc.embed(SENTENCES);
      for (let i = 0; i < SENTENCES.length; i++) {
        const [alone] = await enc.embed([SENTENCES[i]!]);
        expect(maxAbsDiff(alone!, batch[i]!), `${pooling} #${i}`).toBeLessThan(1e-5);
      }
      if (enc !== pooler) await enc.close();
    }
  });

  it('applies the requested pooling: pooler_output, CLS and mean differ', async () => {
    const cls = await loadEncoder({ ...fixtureModel(), pooling: 'cls' });
    const mean = await loadEncoder({ ...fixtureModel(), pooling: 'mean' });
    expect(pooler.info.applied).toBe('pooler_output');
    expect(cls.info.applied).toBe('cls');
    expect(mean.info.applied).toBe('mean');
    const text = [SENTENCES[2]!];
    const [p] = await pooler.embed(text);
    const [c] = await cls.embed(text);
    const [m] = await mean.embed(text);
    expect(maxAbsDiff(p!, c!)).toBeGreaterThan(1e-3);
    expect(maxAbsDiff(c!, m!)).toBeGreaterThan(1e-3);
    await cls.close();
    await mean.close();
  });

  it('falls back to the CLS vector when the graph has no pooler_output', async () => {
    const loc = noPoolerModel(scratch.dir);
    const enc = await loadEncoder({ ...loc, pooling: 'pooler' });
    const cls = await loadEncoder({ ...loc, pooling: 'cls' });
    expect(enc.info.pooling).toBe('pooler');
    expect(enc.info.applied).toBe('cls');
    const [a] = await enc.embed(['hello world']);
    const [b] = await cls.embed(['hello world']);
    expect(maxAbsDiff(a!, b!)).toBeLessThan(1e-7);
    await enc.close();
    await cls.close();
  });

  it('truncates long texts to the position table even when the tokenizer declares no limit', async () => {
    const { modelDir, modelId } = fixtureModel();
    const copy = join(scratch.dir, 'nolimit');
    cpSync(join(modelDir, modelId), join(copy, 'org', 'nolimit'), { recursive: true });
    const cfgPath = join(copy, 'org', 'nolimit', 'tokenizer_config.json');
    writeFileSync(cfgPath, JSON.stringify({ ...JSON.parse(readFileSync(cfgPath, 'utf8')), model_max_length: 1e30 }));
    const enc = await loadEncoder({ modelDir: copy, modelId: 'org/nolimit', pooling: 'mean' });
    const long = 'the ministers exchanged views on trade '.repeat(100);
    const [v, short] = await enc.embed([long, 'hello']);
    expect(norm(v!)).toBeCloseTo(1, 5);
    // The short text in the same batch is unaffected by the long one.
    const [alone] = await enc.embed(['hello']);
    expect(maxAbsDiff(alone!, short!)).toBeLessThan(1e-5);
    await enc.close();
  });

  it('prepends the model prefix (e5 "query: ") before tokenising', async () => {
    const prefixed = await loadEncoder({ ...fixtureModel(), pooling: 'mean', prefix: 'query: ' });
    const plain = await loadEncoder({ ...fixtureModel(), pooling: 'mean' });
    const [x] = await prefixed.embed(['hello world']);
    const [y] = await plain.embed(['query: hello world']);
    expect(maxAbsDiff(x!, y!)).toBeLessThan(1e-6);
    await prefixed.close();
    await plain.close();
  });
});

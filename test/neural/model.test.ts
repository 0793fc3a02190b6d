import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createNeuralModel,
  ModelNotInstalledError,
  neuralModelInstalled,
  resolveModel,
  type NeuralModel,
} from '../../server/align/neural/index.js';
import type { BeadScorer, SimilarityModel } from '../../server/domain.js';
import { fixtureModel, maxAbsDiff, scratchDir } from './helpers.js';

const EN = ['The cat sat on the mat.', 'It was a sunny day.', 'The Ministers met.', 'They discussed trade.', 'Then they left.'];
const ZH = ['猫坐在垫子上。', '那天阳光明媚。', '外长们举行了会晤。', '他们讨论了贸易。', '然后他们离开了。'];
const scratch = scratchDir();
const quiet = (): void => {};
const open: NeuralModel[] = [];
async function model(opts: Parameters<typeof createNeuralModel>[0] = {}): Promise<NeuralModel> {
  const m = await createNeuralModel({ ...fixtureModel(), pooling: 'pooler', worker: false, cacheDir: null, log: quiet, ...opts });
  open.push(m);
  return m;
}
afterAll(async () => {
  await Promise.all(open.map((m) => m.close()));
  scratch.cleanup();
});

describe('model folder checks', () => {
  it('neuralModelInstalled sees the fixture and not a missing or incomplete model', () => {
    expect(neuralModelInstalled(fixtureModel())).toBe(true);
    expect(neuralModelInstalled({ modelDir: scratch.dir, modelId: 'Xenova/LaBSE' })).toBe(false);
    const partial = join(scratch.dir, 'org', 'partial');
    mkdirSync(partial, { recursive: true });
    writeFileSync(join(partial, 'config.json'), '{}');
    writeFileSync(join(partial, 'tokenizer.json'), '{}');
    expect(neuralModelInstalled({ modelDir: scratch.dir, modelId: 'org/partial' })).toBe(false);
    expect(neuralModelInstalled({ modelDir: scratch.dir, modelId: '../../etc' })).toBe(false);
  });

  it('picks the pooling and prefix each known model was trained with', () => {
    const dir = scratch.dir;
    expect(resolveModel({ modelDir: dir, modelId: 'Xenova/LaBSE' }).pooling).toBe('pooler');
    expect(resolveModel({ modelDir: dir, modelId: 'Xenova/paraphrase-multilingual-MiniLM-L12-v2' }).pooling).toBe('mean');
    const e5 = resolveModel({ modelDir: dir, modelId: 'Xenova/multilingual-e5-small' });
    expect([e5.pooling, e5.prefix]).toEqual(['mean', 'query: ']);
    // Unknown model with a sentence-transformers pooling config asking for CLS.
    const st = join(dir, 'org', 'st-cls', '1_Pooling');
    mkdirSync(st, { recursive: true });
    writeFileSync(join(st, 'config.json'), JSON.stringify({ pooling_mode_cls_token: true, pooling_mode_mean_tokens: false }));
    expect(resolveModel({ modelDir: dir, modelId: 'org/st-cls' }).pooling).toBe('cls');
    expect(resolveModel({ modelDir: dir, modelId: 'org/unknown' }).pooling).toBe('mean');
  });
});

describe('offline behaviour', () => {
  const saved = process.env.ALLOW_REMOTE_MODELS;
  let calls: string[];
  beforeEach(() => {
    delete process.env.ALLOW_REMOTE_MODELS;
    calls = [];
    vi.stubGlobal('fetch', async (url: unknown) => {
      calls.push(String(url));
      throw new Error('network disabled in tests');
    });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    if (saved !== undefined) process.env.ALLOW_REMOTE_MODELS = saved;
  });

  it('throws ModelNotInstalledError within 1 s, with install instructions, without any request', async () => {
    const t0 = performance.now();
    const err = await createNeuralModel({ modelDir: scratch.dir, log: quiet }).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(ModelNotInstalledError);
    expect((err as Error).message).toContain('npm run model:fetch -- Xenova/LaBSE');
    expect((err as Error).message).toContain('470 MB');
    expect((err as Error).message).toContain('ALLOW_REMOTE_MODELS=1');
    expect(ms).toBeLessThan(1000);
    expect(calls).toEqual([]);
  });

  it('fails the same way through the worker', async () => {
    const err = await createNeuralModel({ modelDir: scratch.dir, modelId: 'Xenova/multilingual-e5-small', log: quiet }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelNotInstalledError);
    expect((err as Error).message).toContain('npm run model:fetch -- Xenova/multilingual-e5-small');
    expect(calls).toEqual([]);
  });

  it('loads and runs the fixture model with no request', async () => {
    const m = await model();
    const [v] = await m.embed(['hello world']);
    expect(v).toHaveLength(32);
    expect(calls).toEqual([]);
  });

  it('transformers.js itself does not fetch a missing file when remote models are off', async () => {
    const tf = await import('@xenova/transformers');
    tf.env.localModelPath = `${scratch.dir}/`;
    tf.env.allowRemoteModels = false;
    await expect(tf.AutoModel.from_pretrained('Xenova/LaBSE')).rejects.toThrow(/allowRemoteModels=false|not found locally/);
    expect(calls).toEqual([]);
  });
});

describe('cache', () => {
  it('embeds each distinct text once: preparing the same pair again costs no inference', async () => {
    const m = await model();
    await m.prepare(EN, ZH, { a: 'en', b: 'zh' });
    const first = { ...m.stats };
    // 5 sentences → 5 + 4 + 3 + 2 windows per side.
    expect(first.inferred).toBe(28);
    await m.prepare(EN, ZH, { a: 'en', b: 'zh' });
    expect(m.stats.inferred).toBe(first.inferred);
    expect(m.stats.calls).toBe(first.calls);
    expect(m.stats.cached).toBe(28);
  });

  it('persists to disk and is shared: another model instance re-aligns without inference', async () => {
    const cacheDir = join(scratch.dir, 'cache');
    const m1 = await model({ cacheDir });
    const fresh = await m1.embed([...EN, ...ZH]);
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    // One record per distinct text: 32-byte hash + 32 float32.
    expect(statSync(join(cacheDir, files[0]!)).size).toBe((EN.length + ZH.length) * (32 + 32 * 4));
    const m2 = await model({ cacheDir });
    const again = await m2.embed([...EN, ...ZH]);
    expect(m2.stats.inferred).toBe(0);
    expect(m2.stats.calls).toBe(0);
    fresh.forEach((v, i) => {
      expect(maxAbsDiff(v, again[i]!)).toBe(0);
    });
    // Different pooling = different namespace: no stale vectors.
    const m3 = await model({ cacheDir, pooling: 'mean' });
    await m3.embed(EN);
    expect(m3.stats.inferred).toBe(EN.length);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});

describe('cache keys', () => {
  it('weights replaced by a file of the same size get a fresh cache, not the old vectors', async () => {
    const { writeFixtureModel } = await import('../../scripts/make-fixture-model.js');
    const { utimesSync } = await import('node:fs');
    const root = join(scratch.dir, 'same-size');
    const modelId = 'fixture/tiny-bert-swap';
    writeFixtureModel(root, modelId);
    const cacheDir = join(scratch.dir, 'cache-swap');
    const m1 = await model({ modelDir: root, modelId, cacheDir });
    await m1.embed(EN);
    expect(m1.stats.inferred).toBe(EN.length);
    // Same size, new file (a re-export or a fine-tune of the same architecture): only its time differs.
    const onnx = join(root, ...modelId.split('/'), 'onnx', 'model_quantized.onnx');
    const size = statSync(onnx).size;
    utimesSync(onnx, new Date(), new Date(Date.now() + 60_000));
    expect(statSync(onnx).size).toBe(size);
    const m2 = await model({ modelDir: root, modelId, cacheDir });
    await m2.embed(EN);
    expect(m2.stats.inferred).toBe(EN.length);
    expect(readdirSync(cacheDir)).toHaveLength(2);
  });
});

describe('broken model files', () => {
  it('a corrupt ONNX file or config gives one clear ModelLoadError, directly and through the worker', async () => {
    const { writeFixtureModel } = await import('../../scripts/make-fixture-model.js');
    const root = join(scratch.dir, 'broken');
    const modelId = 'fixture/tiny-bert-broken';
    const folder = writeFixtureModel(root, modelId);
    writeFileSync(join(folder, 'onnx', 'model_quantized.onnx'), 'not a protobuf');
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      for (const worker of [false, true]) {
        const err = (await createNeuralModel({ modelDir: root, modelId, worker, cacheDir: null, log: quiet }).catch((e: unknown) => e)) as Error;
        expect(err.name).toBe('ModelLoadError');
        expect(err.message).toMatch(/^cannot load model "fixture\/tiny-bert-broken" from .*: .*protobuf.*model:fetch -- fixture\/tiny-bert-broken --force$/);
      }
      expect(errors).not.toHaveBeenCalled(); // transformers.js' own stack traces are held back
      writeFileSync(join(folder, 'config.json'), '{');
      const err = (await createNeuralModel({ modelDir: root, modelId, worker: false, cacheDir: null, log: quiet }).catch((e: unknown) => e)) as Error;
      expect(err.name).toBe('ModelLoadError');
      expect(err.message).toMatch(/JSON/);
    } finally {
      errors.mockRestore();
    }
  });
});

describe('encoder sharing', () => {
  it('loads an encoder once per configuration and frees it when the last model closes', async () => {
    const m1 = await createNeuralModel({ ...fixtureModel(), pooling: 'cls', worker: false, cacheDir: null, log: quiet });
    const m2 = await createNeuralModel({ ...fixtureModel(), pooling: 'cls', worker: false, cacheDir: null, log: quiet });
    expect(m2.info).toBe(m1.info);
    const [before] = await m2.embed(['shared encoder']);
    await m1.close();
    const [after] = await m2.embed(['shared encoder again']);
    expect(before).toHaveLength(32);
    expect(after).toHaveLength(32);
    await m2.close();
    const m3 = await createNeuralModel({ ...fixtureModel(), pooling: 'cls', worker: false, cacheDir: null, log: quiet });
    expect(m3.info).not.toBe(m1.info);
    await m3.close();
  });
});

describe('scorer', () => {
  it('scores windows by cosine: identical text scores 1, merges are found through windows', async () => {
    const m = await model();
    // b merges a[2] and a[3] into one sentence.
    const b = [EN[0]!, EN[1]!, `${EN[2]} ${EN[3]}`, EN[4]!];
    const s: BeadScorer = await m.prepare(EN, b, { a: 'en', b: 'en' });
    expect(s.score(0, 1, 0, 1)).toBeCloseTo(1, 5);
    expect(s.score(2, 4, 2, 3)).toBeCloseTo(1, 5);
    expect(s.score(2, 4, 2, 3)).toBeGreaterThan(s.score(2, 3, 2, 3));
    for (const [a0, a1, b0, b1] of [[0, 1, 1, 2], [0, 5, 0, 4], [1, 2, 3, 4]] as const) {
      const v = s.score(a0, a1, b0, b1);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    // Ranges longer than the precomputed windows fall back to the mean of sentence vectors.
    expect(s.score(0, 5, 0, 4)).toBeGreaterThan(0.5);
  });

  it('joins Chinese windows without spaces', async () => {
    const m = await model();
    const s = await m.prepare(ZH, [ZH[0]! + ZH[1]!], { a: 'zh', b: 'zh' });
    expect(s.score(0, 2, 0, 1)).toBeCloseTo(1, 5);
  });

  it('blends with a lexical model passed in', async () => {
    const lexical: SimilarityModel = {
      name: 'stub-lexical',
      // Scale like a lexical model: 8 for the diagonal, 16 (clamped to 1 after /8) for longer beads.
      prepare: async () => ({ score: (a0: number, a1: number, b0: number) => (a0 === b0 ? 8 * (a1 - a0) : 0) }),
    };
    const pure = await (await model()).prepare(EN, ZH, { a: 'en', b: 'zh' });
    const blended = await (await model({ blend: 0.25, lexical, lexicalUnit: 8 })).prepare(EN, ZH, { a: 'en', b: 'zh' });
    expect(blended.score(1, 2, 1, 2)).toBeCloseTo(0.75 * pure.score(1, 2, 1, 2) + 0.25, 6);
    expect(blended.score(1, 2, 2, 3)).toBeCloseTo(0.75 * pure.score(1, 2, 2, 3), 6);
    expect(blended.score(1, 3, 1, 2)).toBeCloseTo(0.75 * pure.score(1, 3, 1, 2) + 0.25, 6);
  });

  it("blends with the aligner's lexical model by default (EMBED_BLEND)", async () => {
    process.env.EMBED_BLEND = '0.5';
    try {
      const m = await model();
      const pure = await (await model({ blend: 0 })).prepare(EN, ZH, { a: 'en', b: 'zh' });
      const s = await m.prepare(EN, ZH, { a: 'en', b: 'zh' });
      // Blended = half the cosine plus half a [0, 1] lexical score.
      for (const [a0, b0] of [[0, 0], [1, 1], [0, 3]] as const) {
        const lex = (s.score(a0, a0 + 1, b0, b0 + 1) - 0.5 * pure.score(a0, a0 + 1, b0, b0 + 1)) / 0.5;
        expect(lex).toBeGreaterThanOrEqual(-1e-9);
        expect(lex).toBeLessThanOrEqual(1 + 1e-9);
      }
      // The dictionary knows 猫/cat, 贸易/trade: the right pair gets lexical evidence the wrong one lacks.
      expect(s.score(0, 1, 0, 1) - 0.5 * pure.score(0, 1, 0, 1)).toBeGreaterThan(s.score(0, 1, 3, 4) - 0.5 * pure.score(0, 1, 3, 4));
    } finally {
      delete process.env.EMBED_BLEND;
    }
  });

  it('embeds single sentences only with maxWindow 1 and scores longer ranges by mean vectors', async () => {
    const m = await model({ maxWindow: 1 });
    const s = await m.prepare(EN, [EN[0]!, `${EN[1]} ${EN[2]}`], { a: 'en', b: 'en' });
    // b[0] equals a[0] and is embedded once.
    expect(m.stats.inferred).toBe(EN.length + 1);
    expect(s.score(0, 1, 0, 1)).toBeCloseTo(1, 5);
    // [1, 3) is not precomputed: it is the renormalised mean of the two sentence vectors.
    const [v1, v2, joined] = await m.embed([EN[1]!, EN[2]!, `${EN[1]} ${EN[2]}`]);
    const mean = v1!.map((x, i) => x + v2![i]!);
    const len = Math.hypot(...mean);
    const want = mean.reduce((acc, x, i) => acc + (x / len) * joined![i]!, 0);
    expect(s.score(1, 3, 1, 2)).toBeCloseTo(Math.max(0, want), 6);
    expect(m.stats.inferred).toBe(EN.length + 1);
  });
});

import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { alignSentences, getModel, weightsFor } from '../../server/align/index.js';
import { createNeuralModel, type NeuralModel } from '../../server/align/neural/index.js';
import { fixtureModel, scratchDir } from './helpers.js';

const A = [
  'The Ministers met in Moscow.',
  'They discussed trade and finance.',
  'The pandemic was on the agenda.',
  'They agreed to support the health initiatives.',
  'The meeting was held via videoconferencing.',
  'A statement was issued.',
];
// b: a[1] split in two, a[3] and a[4] merged, the rest identical.
const B = [A[0]!, 'They discussed trade', 'and finance.', A[2]!, `${A[3]} ${A[4]}`, A[5]!];

const scratch = scratchDir();
const models: NeuralModel[] = [];
afterAll(async () => {
  await Promise.all(models.map((m) => m.close()));
  scratch.cleanup();
});

describe('the aligner fed by neural similarities', () => {
  it('recovers 1-1, 1-2 and 2-1 beads from window cosines', async () => {
    const m = await createNeuralModel({ ...fixtureModel(), worker: false, cacheDir: null, log: () => {} });
    models.push(m);
    const scorer = await m.prepare(A, B, { a: 'en', b: 'en' });
    const beads = alignSentences(A, B, scorer, { weights: weightsFor(m.name) });
    expect(beads.map((x) => [x.a, x.b])).toEqual([
      [[0], [0]],
      [[1], [1, 2]],
      [[2], [3]],
      [[3, 4], [4]],
      [[5], [5]],
    ]);
    for (const x of beads) {
      expect(x.confidence).toBeGreaterThanOrEqual(0);
      expect(x.confidence).toBeLessThanOrEqual(1);
    }
  });

  describe('getModel', () => {
    const saved = { dir: process.env.MODEL_DIR, id: process.env.EMBED_MODEL };
    afterEach(() => {
      for (const [k, v] of [['MODEL_DIR', saved.dir], ['EMBED_MODEL', saved.id]] as const) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    });

    it("'auto' picks the neural model when one is installed (MODEL_DIR / EMBED_MODEL)", async () => {
      const { modelDir, modelId } = fixtureModel();
      process.env.MODEL_DIR = modelDir;
      process.env.EMBED_MODEL = modelId;
      const m = await getModel('auto', { a: 'en', b: 'zh' });
      models.push(m as NeuralModel);
      expect(m.name).toBe(`neural:${modelId}`);
    });

    it("'auto' falls back to lexical and 'neural' fails fast when no model is installed", async () => {
      process.env.MODEL_DIR = scratch.dir;
      delete process.env.EMBED_MODEL;
      const auto = await getModel('auto', { a: 'en', b: 'zh' });
      expect(auto.name).not.toMatch(/^neural/);
      const t0 = performance.now();
      await expect(getModel('neural', { a: 'en', b: 'zh' })).rejects.toThrow(/npm run model:fetch -- Xenova\/LaBSE/);
      expect(performance.now() - t0).toBeLessThan(1000);
    });
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, request, Agent, type Server } from 'node:http';
import { EmbeddingQueueFullError, EmbeddingWorker, ModelNotInstalledError, createNeuralModel } from '../../server/align/neural/index.js';
import { loadEncoder } from '../../server/align/neural/encoder.js';
import { fixtureModel, maxAbsDiff, scratchDir } from './helpers.js';

const TEXTS = ['The cat sat on the mat.', '金砖国家外长会晤。', 'hello world', '你好，世界'];
let worker: EmbeddingWorker;
const scratch = scratchDir();

beforeAll(async () => {
  worker = await EmbeddingWorker.start({ ...fixtureModel(), pooling: 'pooler', maxQueue: 2 });
});
afterAll(async () => {
  await worker.close();
  scratch.cleanup();
});

describe('EmbeddingWorker', () => {
  it('gives the same vectors as the in-thread encoder', async () => {
    const local = await loadEncoder({ ...fixtureModel(), pooling: 'pooler' });
    const want = await local.embed(TEXTS);
    const got = await worker.embed(TEXTS);
    expect(worker.info.applied).toBe('pooler_output');
    got.forEach((v, i) => {
      expect(maxAbsDiff(v, want[i]!)).toBeLessThan(1e-6);
    });
    await local.close();
  });

  it('reports progress per batch up to the total', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `sentence number ${i}`);
    const seen: Array<[number, number]> = [];
    const out = await worker.embed(texts, (done, total) => seen.push([done, total]));
    expect(out).toHaveLength(50);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.at(-1)).toEqual([50, 50]);
    for (let i = 1; i < seen.length; i++) expect(seen[i]![0]).toBeGreaterThan(seen[i - 1]![0]);
  });

  it('bounds its queue: a job beyond maxQueue is rejected at once, queued jobs finish in order', async () => {
    const order: number[] = [];
    const a = worker.embed(['first job'] ).then((v) => {
      order.push(1);
      return v;
    });
    const b = worker.embed(['second job']).then((v) => {
      order.push(2);
      return v;
    });
    expect(worker.pending).toBe(2);
    await expect(worker.embed(['third job'])).rejects.toBeInstanceOf(EmbeddingQueueFullError);
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
    expect(worker.pending).toBe(0);
  });

  it('reports a missing model as ModelNotInstalledError from the worker thread', async () => {
    const err = await EmbeddingWorker.start({ modelDir: scratch.dir, modelId: 'Xenova/LaBSE' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelNotInstalledError);
  });

  it('rejects work after close', async () => {
    const w = await EmbeddingWorker.start(fixtureModel());
    await w.close();
    await expect(w.embed(['x'])).rejects.toThrow(/closed/);
  });

  it('serves a new handle after another was closed (one inference thread per process)', async () => {
    const first = await EmbeddingWorker.start(fixtureModel());
    const [x] = await first.embed(['hello world']);
    await first.close();
    const second = await EmbeddingWorker.start(fixtureModel());
    const [y] = await second.embed(['hello world']);
    await second.close();
    expect(maxAbsDiff(x!, y!)).toBe(0);
  });

  it('is what createNeuralModel uses by default, with progress', async () => {
    const progress: number[] = [];
    const m = await createNeuralModel({ ...fixtureModel(), cacheDir: null, log: () => {}, onProgress: (p) => progress.push(p.done) });
    const s = await m.prepare(['a b c', 'd e f'], ['a b c', 'x y z'], { a: 'en', b: 'en' });
    expect(s.score(0, 1, 0, 1)).toBeCloseTo(1, 5);
    expect(progress.length).toBeGreaterThan(0);
    await m.close();
  });
});

describe('responsiveness', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('answers health requests with p99 ≤ 100 ms while 2,000 sentences are embedded in the worker', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = (): Promise<void> =>
      new Promise((res, rej) => {
        const req = request({ host: '127.0.0.1', port, path: '/health', agent }, (r) => r.resume().on('end', () => res()));
        req.on('error', rej);
        req.end();
      });
    const doc = Array.from({ length: 2000 }, (_, i) =>
      i % 2 ? `外长们就第${i}项重大国际和地区问题交换了意见。` : `The Ministers exchanged views on issue number ${i} of the agenda.`,
    );
    let done = false;
    const lat: number[] = [];
    const poll = (async () => {
      while (!done) {
        const t = performance.now();
        await get();
        lat.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const vecs = await worker.embed(doc);
    done = true;
    await poll;
    agent.destroy();
    expect(vecs).toHaveLength(2000);
    lat.sort((x, y) => x - y);
    const p99 = lat[Math.ceil(0.99 * lat.length) - 1]!;
    expect(lat.length).toBeGreaterThan(20);
    expect(p99).toBeLessThanOrEqual(100);
  });
});

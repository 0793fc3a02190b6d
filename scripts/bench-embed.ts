/**
 * Embedding benchmark: sentences per second and peak memory for the installed model (or the tiny
 * fixture when none is installed, which it says), and the latency of a concurrent HTTP health
 * request while a document is embedded in the worker thread.
 *
 *   npm run bench:embed -- [--sentences 2000] [--model-id ID] [--model-dir DIR] [--fixture] [--batch-size 16]
 */
import { createServer, request, Agent, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createNeuralModel, neuralModelInstalled, resolveModel } from '../server/align/neural/index.js';
import { loadEncoder } from '../server/align/neural/encoder.js';
import { ensureFixtureModel, FIXTURE_DIR, FIXTURE_MODEL_ID } from './make-fixture-model.js';
import { parseCli, runCli, type CliSpec } from './cli-util.js';
import { percentile } from './bench-stats.js';
import { projectRoot } from '../server/project-root.js';

const spec: CliSpec = {
  command: 'npm run bench:embed --',
  description:
    'Measures, for the installed embedding model (the tiny test fixture if none is installed):\n' +
    '  1. sentences/second on the calling thread, and peak RSS;\n' +
    '  2. a 2-sided document (N English + N Chinese sentences, windows up to 4) embedded in the worker\n' +
    '     thread while a local HTTP health endpoint is polled: request latency p50/p99/max.',
  options: {
    sentences: { type: 'string', arg: 'N', default: '2000', help: 'sentences per side' },
    'model-id': { type: 'string', arg: 'ID', help: 'model to bench (default $EMBED_MODEL or Xenova/LaBSE)' },
    'model-dir': { type: 'string', arg: 'DIR', help: 'model folder (default $MODEL_DIR or models/)' },
    fixture: { type: 'boolean', help: 'use the tiny fixture model even if a real one is installed' },
    'batch-size': { type: 'string', arg: 'N', default: '16', help: 'sentences per inference call' },
  },
};

const root = projectRoot();

function parseArgs(argv: string[]) {
  const cli = parseCli(spec, argv);
  const modelDir = cli.string('model-dir');
  return {
    sentences: cli.number('sentences', { integer: true }) ?? 2000,
    modelId: cli.string('model-id'),
    modelDir: modelDir === undefined ? undefined : resolve(modelDir),
    fixture: cli.flag('fixture'),
    batchSize: cli.number('batch-size', { integer: true }) ?? 16,
  };
}

/** Distinct sentences from the demo corpus, numbered so repeats are not cache hits. */
function sentences(lang: 'en' | 'zh', n: number): string[] {
  const text = readFileSync(join(root, 'corpus', 'brics-fm-2020-09-04', `${lang}.txt`), 'utf8');
  const split = lang === 'zh' ? text.split(/(?<=[。！？])|\n+/) : text.split(/(?<=[.!?])\s+|\n+/);
  const base = split.map((s) => s.trim()).filter((s) => s.length > 3);
  return Array.from({ length: n }, (_, i) => `${base[i % base.length]} (${i})`);
}

function get(port: number, agent: Agent): Promise<void> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', agent }, (r) => {
      r.resume();
      r.on('end', () => res());
    });
    req.on('error', rej);
    req.end();
  });
}

const mb = (kb: number): string => (kb / 1024).toFixed(0);

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let loc = { modelDir: args.modelDir, modelId: args.modelId };
  let usingFixture = args.fixture;
  if (!usingFixture && !neuralModelInstalled(loc)) {
    const r = resolveModel(loc);
    process.stderr.write(`no model installed at ${r.folder}: benchmarking the tiny FIXTURE model instead (numbers say nothing about real models)\n`);
    usingFixture = true;
  }
  if (usingFixture) {
    ensureFixtureModel();
    loc = { modelDir: FIXTURE_DIR, modelId: FIXTURE_MODEL_ID };
  }
  const en = sentences('en', args.sentences);
  const zh = sentences('zh', args.sentences);
  const label = usingFixture ? `${loc.modelId} (fixture)` : resolveModel(loc).modelId;

  // 1. Throughput on this thread (no cache).
  const enc = await loadEncoder({ ...loc, batchSize: args.batchSize });
  const rssBefore = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  await enc.embed([...en, ...zh], (done, total) => {
    if (done === total || done % (args.batchSize * 50) === 0) process.stderr.write(`  thread: ${done}/${total}\r`);
  });
  const secs = (performance.now() - t0) / 1000;
  await enc.close();
  process.stderr.write('\n');
  console.log(`model: ${label}, pooling ${enc.info.applied}, ${enc.info.dimension} dims, batch ${args.batchSize}`);
  console.log(`in-thread: ${2 * args.sentences} sentences in ${secs.toFixed(2)} s = ${((2 * args.sentences) / secs).toFixed(0)} sentences/s; peak RSS ${mb(process.resourceUsage().maxRSS)} MB (before ${mb(rssBefore)} MB)`);

  // 2. Worker + concurrent health requests.
  const server: Server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'text/plain' });
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const model = await createNeuralModel({ ...loc, batchSize: args.batchSize, cacheDir: null, log: () => {} });
  let done = false;
  const lat: number[] = [];
  const poll = (async () => {
    while (!done) {
      const s = performance.now();
      await get(port, agent);
      lat.push(performance.now() - s);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const t1 = performance.now();
  await model.prepare(en, zh, { a: 'en', b: 'zh' });
  const wsecs = (performance.now() - t1) / 1000;
  done = true;
  await poll;
  await model.close();
  agent.destroy();
  server.close();
  const sorted = [...lat].sort((x, y) => x - y);
  console.log(
    `worker: ${args.sentences}+${args.sentences}-sentence document, ${model.stats.inferred} window texts in ${wsecs.toFixed(2)} s = ${(model.stats.inferred / wsecs).toFixed(0)} texts/s`,
  );
  console.log(
    `health during embedding: ${sorted.length} requests, p50 ${percentile(sorted, 50).toFixed(1)} ms, p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${(sorted.at(-1) ?? NaN).toFixed(1)} ms`,
  );
  console.log(`peak RSS (whole process, incl. worker): ${mb(process.resourceUsage().maxRSS)} MB`);
}

runCli(main);

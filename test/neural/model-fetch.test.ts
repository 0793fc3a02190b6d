import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { neuralModelInstalled, createNeuralModel } from '../../server/align/neural/index.js';
import { fixtureModel, scratchDir } from './helpers.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

function fetchCli(args: string[]): Promise<Run> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/model-fetch.ts', ...args],
      { cwd: join(import.meta.dirname, '..', '..'), timeout: 20_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - t0 });
      },
    );
  });
}

const scratch = scratchDir();

/** A local imitation of the hub: serves <model>/resolve/main/<file> from `modelDir`. */
async function fakeHub(modelDir: string): Promise<{ hub: Server; host: string }> {
  const hub = createServer((req, res) => {
    const m = /^\/([\w.-]+\/[\w.-]+)\/resolve\/main\/([\w./-]+)$/.exec(req.url ?? '');
    const file = m && !m[2]!.includes('..') ? join(modelDir, m[1]!, m[2]!) : '';
    if (!file || !existsSync(file)) return void res.writeHead(404).end();
    const body = readFileSync(file);
    res.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((r) => hub.listen(0, '127.0.0.1', r));
  return { hub, host: `http://127.0.0.1:${(hub.address() as { port: number }).port}/` };
}
let hanging: Server;
let hangingUrl = '';
beforeAll(async () => {
  // Accepts connections and never answers: the worst case for a download.
  hanging = createServer(() => {});
  await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
  hangingUrl = `http://127.0.0.1:${(hanging.address() as { port: number }).port}/`;
});
afterAll(async () => {
  hanging.closeAllConnections();
  await new Promise<void>((r) => hanging.close(() => r()));
  scratch.cleanup();
});

describe('npm run model:fetch', () => {
  it('fails within seconds with a clear one-line message when the hub does not answer', async () => {
    const r = await fetchCli(['Xenova/LaBSE', '--model-dir', scratch.dir, '--remote-host', hangingUrl, '--timeout', '500']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^model-fetch: could not download Xenova\/LaBSE from http:\/\/127\.0\.0\.1:\d+\/: .*no answer within 500 ms/m);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // tsx start-up (~1 s) + one 500 ms timeout; far below a hang.
    expect(r.ms).toBeLessThan(8000);
    expect(existsSync(join(scratch.dir, 'Xenova', 'LaBSE', 'onnx'))).toBe(false);
  });

  it('fails fast when nothing listens', async () => {
    const r = await fetchCli(['Xenova/LaBSE', '--model-dir', scratch.dir, '--remote-host', 'http://127.0.0.1:9/', '--timeout', '3000']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^model-fetch: could not download .*(ECONNREFUSED|fetch failed)/m);
    expect(r.ms).toBeLessThan(8000);
  });

  it('downloads a model into the model folder layout, with progress, from a hub-like server', async () => {
    const { modelDir, modelId } = fixtureModel();
    const { hub, host } = await fakeHub(modelDir);
    const target = join(scratch.dir, 'fetched');
    const r = await fetchCli([modelId, '--model-dir', target, '--remote-host', host]);
    hub.close();
    expect(r.stderr).toContain(`installed ${modelId} in ${join(target, modelId)}`);
    expect(r.stderr).toMatch(/onnx\/model_quantized\.onnx: [\d.]+ \/ [\d.]+ MB \(100%\)/);
    expect(r.code).toBe(0);
    expect(neuralModelInstalled({ modelDir: target, modelId })).toBe(true);
    const model = await createNeuralModel({ modelDir: target, modelId, worker: false, cacheDir: null, log: () => {} });
    expect((await model.embed(['hello']))[0]).toHaveLength(32);
    await model.close();
    // A second run sees the installed model and does not download.
    const again = await fetchCli([modelId, '--model-dir', target, '--remote-host', 'http://127.0.0.1:9/']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already installed');
  });

  it('--force downloads again over a broken install, and a failed download leaves no half model', async () => {
    const { modelDir, modelId } = fixtureModel();
    const { hub, host } = await fakeHub(modelDir);
    const target = join(scratch.dir, 'refetched');
    // A download into an empty folder that fails leaves nothing that looks installed.
    const failed = await fetchCli([modelId, '--model-dir', target, '--remote-host', 'http://127.0.0.1:9/', '--timeout', '3000']);
    expect(failed.code).toBe(1);
    expect(neuralModelInstalled({ modelDir: target, modelId })).toBe(false);
    expect(existsSync(target) ? readdirSync(target) : []).toEqual([]);
    const first = await fetchCli([modelId, '--model-dir', target, '--remote-host', host]);
    expect(first.code).toBe(0);
    const onnx = join(target, modelId, 'onnx', 'model_quantized.onnx');
    writeFileSync(onnx, 'truncated'); // a broken install: still "installed" by its file names
    const forced = await fetchCli([modelId, '--model-dir', target, '--remote-host', host, '--force']);
    hub.close();
    expect(forced.stderr).toContain(`installed ${modelId} in ${join(target, modelId)}`);
    expect(forced.code).toBe(0);
    expect(readFileSync(onnx)).toEqual(readFileSync(join(modelDir, modelId, 'onnx', 'model_quantized.onnx')));
    expect(readdirSync(target)).toEqual([modelId.split('/')[0]]); // no staging or old folders left
    const model = await createNeuralModel({ modelDir: target, modelId, worker: false, cacheDir: null, log: () => {} });
    expect((await model.embed(['hello']))[0]).toHaveLength(32);
    await model.close();
  });

  it('prints help and rejects bad arguments with exit code 2', async () => {
    const [help, bad] = await Promise.all([fetchCli(['--help']), fetchCli(['../../etc'])]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm run model:fetch -- [MODEL_ID]');
    expect(help.stdout).toContain('Xenova/LaBSE');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^model-fetch: invalid model id/);
  });
});

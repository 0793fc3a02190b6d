/**
 * Downloads a sentence-embedding model into the local model folder (default models/), the only
 * command that uses the network for models. Fails within seconds when the hub is unreachable.
 *
 *   npm run model:fetch -- [MODEL_ID] [--model-dir DIR] [--timeout MS] [--remote-host URL] [--force]
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { KNOWN_MODELS, knownModel } from '../server/align/neural/known-models.js';
import { defaultModelDir, defaultModelId, neuralModelInstalled, resolveModel, validateModelId } from '../server/align/neural/config.js';
import { CliError, UsageError, parseCli, runCli, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  command: 'npm run model:fetch --',
  args: '[MODEL_ID]',
  description:
    `Downloads MODEL_ID (default ${defaultModelId()}) from the Hugging Face Hub into the model folder,\n` +
    'in the layout the aligner loads offline: <model-dir>/<org>/<name>/{config.json, tokenizer*.json, onnx/…}.\n\n' +
    'Known models:\n' +
    KNOWN_MODELS.map((m) => `  ${m.id.padEnd(46)} ~${String(m.downloadMB).padStart(3)} MB  ${m.dimension} dims, ${m.pooling} pooling`).join('\n'),
  positionals: { min: 0, max: 1 },
  options: {
    'model-id': { type: 'string', arg: 'ID', help: 'the model (same as MODEL_ID)' },
    'model-dir': { type: 'string', arg: 'DIR', help: 'where models live (default: $MODEL_DIR or models/ in the project)' },
    timeout: { type: 'string', arg: 'MS', default: '15000', help: 'give up when the server has not answered a request within MS' },
    'remote-host': { type: 'string', arg: 'URL', help: 'hub or mirror to download from (default: $HF_ENDPOINT or https://huggingface.co/)' },
    unquantized: { type: 'boolean', help: 'fetch onnx/model.onnx (full precision, ~4x larger) instead of model_quantized.onnx' },
    force: { type: 'boolean', help: 'download even when the model is already installed' },
  },
};

interface Args {
  modelId: string;
  modelDir: string;
  timeoutMs: number;
  remoteHost: string;
  quantized: boolean;
  force: boolean;
}

function parseArgs(argv: string[]): Args {
  const cli = parseCli(spec, argv);
  if (cli.positionals[0] !== undefined && cli.string('model-id') !== undefined) throw new UsageError('give the model id once (MODEL_ID or --model-id)');
  let modelId: string;
  try {
    modelId = validateModelId(cli.positionals[0] ?? cli.string('model-id') ?? defaultModelId());
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const remoteHost = cli.string('remote-host') ?? (process.env.HF_ENDPOINT || 'https://huggingface.co/');
  if (!/^https?:\/\//.test(remoteHost)) throw new UsageError(`--remote-host must be an http(s) URL, got "${remoteHost}"`);
  const modelDir = cli.string('model-dir');
  return {
    modelId,
    modelDir: modelDir === undefined ? defaultModelDir() : resolve(modelDir),
    timeoutMs: cli.number('timeout') ?? 15_000,
    remoteHost: remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`,
    quantized: !cli.flag('unquantized'),
    force: cli.flag('force'),
  };
}

/**
 * fetch with a deadline on the response headers only: a slow 470 MB body is fine, a server that
 * never answers (or no network at all) is not.
 */
function fetchWithConnectTimeout(inner: typeof fetch, ms: number): typeof fetch {
  return async (input, init) => {
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(new Error(`no answer within ${ms} ms`)), ms);
    try {
      return await inner(input, { ...init, signal: ctl.signal });
    } finally {
      clearTimeout(timer);
    }
  };
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function folderBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

function describe(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  const cause = e.cause?.code ?? e.cause?.message ?? '';
  return cause && !e.message.includes(cause) ? `${e.message} (${cause})` : e.message;
}

interface ProgressInfo {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

async function run(args: Args): Promise<void> {
  const { modelId, modelDir } = args;
  if (!args.force && neuralModelInstalled({ modelDir, modelId })) {
    process.stderr.write(`${modelId} is already installed in ${resolveModel({ modelDir, modelId }).folder} (use --force to download again)\n`);
    return;
  }
  const known = knownModel(modelId);
  process.stderr.write(
    `downloading ${modelId} from ${args.remoteHost} into ${modelDir}` +
      (known ? ` (~${known.downloadMB} MB${args.quantized ? '' : ' quantised; full precision is ~4x'})` : '') +
      '\n',
  );
  globalThis.fetch = fetchWithConnectTimeout(globalThis.fetch, args.timeoutMs);
  const tf = await import('@xenova/transformers');
  // This command, and only this one, uses the network. Files land in a staging folder with the
  // model folder layout and move into place only once the model loads: an interrupted download
  // never looks installed, and --force really downloads again (transformers.js would otherwise
  // answer from the files already in the model folder, broken or not).
  const staging = join(modelDir, `.fetch-${process.pid}`);
  rmSync(staging, { recursive: true, force: true });
  tf.env.allowRemoteModels = true;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = `${staging}/`;
  tf.env.cacheDir = staging;
  tf.env.useFSCache = true;
  tf.env.remoteHost = args.remoteHost;
  try {
    await download(tf, args);
    const staged = resolveModel({ modelDir: staging, modelId }).folder;
    const folder = resolveModel({ modelDir, modelId }).folder;
    mkdirSync(dirname(folder), { recursive: true });
    const old = `${folder}.old-${process.pid}`;
    if (existsSync(folder)) renameSync(folder, old);
    renameSync(staged, folder);
    rmSync(old, { recursive: true, force: true });
    process.stderr.write(`installed ${modelId} in ${folder} (${mb(folderBytes(folder))} MB on disk)\n`);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function download(tf: typeof import('@xenova/transformers'), args: Args): Promise<void> {
  const { modelId } = args;

  // A terminal gets one updating line; logs get a line per 10 % per file.
  const tty = process.stderr.isTTY === true;
  let lastPrint = 0;
  const lastDecile = new Map<string, number>();
  const progress_callback = (p: ProgressInfo): void => {
    const file = p.file ?? '';
    if (p.status === 'progress' && p.total) {
      const loaded = p.loaded ?? 0;
      const pct = Math.floor((100 * loaded) / p.total);
      const line = `  ${file}: ${mb(loaded)} / ${mb(p.total)} MB (${pct}%)`;
      if (tty) {
        const now = Date.now();
        if (now - lastPrint < 200 && loaded < p.total) return;
        lastPrint = now;
        process.stderr.write(`\r${line}\x1b[K`);
      } else if (Math.floor(pct / 10) !== lastDecile.get(file)) {
        lastDecile.set(file, Math.floor(pct / 10));
        process.stderr.write(`${line}\n`);
      }
    } else if (p.status === 'done') {
      process.stderr.write(tty ? `\r  ${file}: done\x1b[K\n` : `  ${file}: done\n`);
    }
  };
  const options = { quantized: args.quantized, progress_callback };
  await tf.AutoTokenizer.from_pretrained(modelId, options);
  const model = await tf.AutoModel.from_pretrained(modelId, options);
  await model.dispose();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  try {
    await run(args);
  } catch (e) {
    throw new CliError(
      `could not download ${args.modelId} from ${args.remoteHost}: ${describe(e)}. ` +
        `Check the network (or set HF_ENDPOINT to a mirror), or copy an already downloaded model folder to ${join(args.modelDir, args.modelId)}.`,
    );
  }
}

runCli(main);

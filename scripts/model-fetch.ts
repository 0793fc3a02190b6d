/**
 * Downloads a sentence-embedding model into the local model folder (default models/), the only
 * command that uses the network for models. Fails within seconds when the hub is unreachable.
 *
 *   npm run model:fetch -- [MODEL_ID] [--model-dir DIR] [--timeout MS] [--remote-host URL] [--force]
 */
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { KNOWN_MODELS, knownModel } from '../server/align/neural/known-models.js';
import { defaultModelDir, defaultModelId, neuralModelInstalled, resolveModel, validateModelId } from '../server/align/neural/config.js';

const HELP = `Usage: npm run model:fetch -- [MODEL_ID] [options]

Downloads MODEL_ID (default ${defaultModelId()}) from the Hugging Face Hub into the model folder,
in the layout the aligner loads offline: <model-dir>/<org>/<name>/{config.json, tokenizer*.json, onnx/…}.

Options:
  --model-dir DIR      where models live (default: $MODEL_DIR or models/ in the project)
  --timeout MS         give up when the server has not answered a request within MS (default 15000)
  --remote-host URL    hub or mirror to download from (default: $HF_ENDPOINT or https://huggingface.co/)
  --unquantized        fetch onnx/model.onnx (full precision, ~4x larger) instead of model_quantized.onnx
  --force              download even when the model is already installed
  --help               this text

Known models:
${KNOWN_MODELS.map((m) => `  ${m.id.padEnd(46)} ~${String(m.downloadMB).padStart(3)} MB  ${m.dimension} dims, ${m.pooling} pooling`).join('\n')}
`;

class UsageError extends Error {}

interface Args {
  modelId: string;
  modelDir: string;
  timeoutMs: number;
  remoteHost: string;
  quantized: boolean;
  force: boolean;
}

function parseArgs(argv: string[]): Args | null {
  let modelId: string | undefined;
  let modelDir = defaultModelDir();
  let timeoutMs = 15_000;
  let remoteHost = process.env.HF_ENDPOINT || 'https://huggingface.co/';
  let quantized = true;
  let force = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    if (a === '--help' || a === '-h') return null;
    else if (a === '--model-dir') modelDir = resolve(value());
    else if (a === '--model-id') modelId = value();
    else if (a === '--timeout') {
      timeoutMs = Number(value());
      if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--timeout must be a positive number of milliseconds');
    } else if (a === '--remote-host') remoteHost = value();
    else if (a === '--unquantized') quantized = false;
    else if (a === '--force') force = true;
    else if (a.startsWith('-')) throw new UsageError(`unknown option ${a} (see --help)`);
    else if (modelId === undefined) modelId = a;
    else throw new UsageError(`unexpected argument "${a}" (one model id at a time)`);
  }
  try {
    modelId = validateModelId(modelId ?? defaultModelId());
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (!/^https?:\/\//.test(remoteHost)) throw new UsageError(`--remote-host must be an http(s) URL, got "${remoteHost}"`);
  return { modelId, modelDir, timeoutMs, remoteHost: remoteHost.endsWith('/') ? remoteHost : remoteHost + '/', quantized, force };
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
  // This command, and only this one, uses the network; files are cached in the model folder layout.
  tf.env.allowRemoteModels = true;
  tf.env.allowLocalModels = true;
  tf.env.localModelPath = modelDir + '/';
  tf.env.cacheDir = modelDir;
  tf.env.useFSCache = true;
  tf.env.remoteHost = args.remoteHost;

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
        process.stderr.write(line + '\n');
      }
    } else if (p.status === 'done') {
      process.stderr.write(tty ? `\r  ${file}: done\x1b[K\n` : `  ${file}: done\n`);
    }
  };
  const options = { quantized: args.quantized, progress_callback };
  await tf.AutoTokenizer.from_pretrained(modelId, options);
  const model = await tf.AutoModel.from_pretrained(modelId, options);
  await model.dispose();
  const folder = resolveModel({ modelDir, modelId }).folder;
  process.stderr.write(`installed ${modelId} in ${folder} (${mb(folderBytes(folder))} MB on disk)\n`);
}

async function main(): Promise<void> {
  let args: Args | null;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (!args) {
    process.stdout.write(HELP);
    return;
  }
  try {
    await run(args);
  } catch (e) {
    process.stderr.write(
      `error: could not download ${args.modelId} from ${args.remoteHost}: ${describe(e)}. ` +
        `Check the network (or set HF_ENDPOINT to a mirror), or copy an already downloaded model folder to ${join(args.modelDir, args.modelId)}.\n`,
    );
    process.exit(1);
  }
}

await main();

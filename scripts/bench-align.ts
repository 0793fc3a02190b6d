/**
 * npm run bench:align [-- --data DIR --times N --model M]
 * 1. MAC-Dev eval (strict/lax P/R/F1) in a child process: wall time including start-up and
 *    dictionary load, and peak RSS.
 * 2. One long document: all of MAC-Dev concatenated N times (default 10), aligned as one sequence in a
 *    child process: wall time and peak RSS.
 * The data is read from the shared dataset folder and never copied into the project.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignSentenceLists, getModel, MODEL_NAMES } from '../server/align/index.js';
import { CliError, parseCli, runCli, type CliSpec } from './cli-util.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const spec: CliSpec = {
  command: 'npm run bench:align --',
  description: 'MAC-Dev accuracy, plus time and peak memory of aligning MAC-Dev and MAC-Dev ×N as one document.',
  options: {
    data: { type: 'string', arg: 'DIR', default: resolve(root, '..', 'shared', 'datasets', 'mac-dev'), help: 'MAC-Dev folder (zh/, en/, gold/)' },
    times: { type: 'string', arg: 'N', default: '10', help: 'how many copies of MAC-Dev make the long document' },
    // The speed targets are about the offline aligner; pass --model auto|neural to bench another one.
    model: { type: 'string', choices: MODEL_NAMES, default: 'lexical', help: 'similarity model' },
    'long-child': { type: 'boolean', help: '(internal) align the long document in this process and print JSON' },
  },
};

interface ChildResult {
  wallMs: number;
  maxRssMB: number;
  stdout: string;
}

/** Preloaded into each child: reports the child's own peak RSS (KiB) on stderr when it exits. */
const RSS_HOOK = 'data:text/javascript,process.on("exit",()=>process.stderr.write("\\n__MAXRSS__"+process.resourceUsage().maxRSS+"\\n"))';

/** Runs `node --import tsx ARGS`, measuring wall time and the child's peak RSS. */
function runChild(args: string[]): Promise<ChildResult> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, '--import', 'tsx', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      const m = /__MAXRSS__(\d+)/.exec(err);
      const rest = err.replace(/\n?__MAXRSS__\d+\n?/, '').trim();
      if (rest) process.stderr.write(rest + '\n');
      if (code !== 0) return rej(new CliError(`child ${args.join(' ')} failed with code ${code}`));
      res({ wallMs, maxRssMB: m ? Number(m[1]) / 1024 : NaN, stdout: out });
    });
  });
}

async function readLines(path: string): Promise<string[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new CliError(`${path}: cannot be read (is --data the MAC-Dev folder?)`);
  }
  const ls = text.split(/\r?\n/);
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
}

const FILES = ['001', '002', '003', '004', '005', '006'];

async function longChild(data: string, times: number, modelName: string): Promise<void> {
  const t0 = performance.now();
  const zh: string[] = [];
  const en: string[] = [];
  for (const f of FILES) {
    zh.push(...(await readLines(join(data, 'zh', `${f}.txt`))));
    en.push(...(await readLines(join(data, 'en', `${f}.txt`))));
  }
  const a: string[] = [];
  const b: string[] = [];
  for (let k = 0; k < times; k++) {
    a.push(...zh);
    b.push(...en);
  }
  const langs = { a: 'zh', b: 'en' };
  const model = await getModel(modelName, langs);
  const beads = await alignSentenceLists(a, b, langs, model);
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage();
  process.stdout.write(
    JSON.stringify({ model: model.name, a: a.length, b: b.length, beads: beads.length, ms, cpuS: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n',
  );
}

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const data = cli.str('data') ?? '';
  const times = Number(cli.str('times'));
  if (!Number.isInteger(times) || times < 1 || times > 100) throw new CliError('--times must be an integer from 1 to 100');
  const modelName = cli.str('model') ?? 'auto';
  if (cli.flag('long-child')) return longChild(data, times, modelName);

  process.stderr.write(`MAC-Dev eval (${data}) …\n`);
  const ev = await runChild([
    'scripts/eval.ts', '--src', join(data, 'zh'), '--tgt', join(data, 'en'), '--gold', join(data, 'gold'), '--model', modelName, '--json',
  ]);
  const evLines = ev.stdout.trim().split('\n');
  const scores = JSON.parse(evLines[evLines.length - 1] ?? '{}') as Record<string, number>;
  process.stdout.write(evLines.slice(0, -1).join('\n') + '\n');
  process.stdout.write(`MAC-Dev (6 chapters): ${(ev.wallMs / 1000).toFixed(2)} s wall for the whole eval process (start-up, dictionary, alignment), peak RSS ${ev.maxRssMB.toFixed(0)} MB\n`);

  process.stderr.write(`MAC-Dev ×${times} as one document …\n`);
  const lg = await runChild(['scripts/bench-align.ts', '--long-child', '--data', data, '--times', String(times), '--model', modelName]);
  const info = JSON.parse(lg.stdout.trim().split('\n').pop() ?? '{}') as { a: number; b: number; beads: number; ms: number; cpuS: number; maxRssMB: number; model: string };
  process.stdout.write(
    `MAC-Dev ×${times} (${info.a} × ${info.b} sentences, ${info.beads} beads, model ${info.model}): ` +
      `${(lg.wallMs / 1000).toFixed(2)} s wall (${(info.ms / 1000).toFixed(2)} s in-process, ${info.cpuS.toFixed(2)} s CPU), peak RSS ${info.maxRssMB.toFixed(0)} MB\n`,
  );
  process.stdout.write(
    JSON.stringify({
      ...scores,
      macdev_wall_s: ev.wallMs / 1000,
      macdev_rss_mb: ev.maxRssMB,
      long_wall_s: lg.wallMs / 1000,
      long_inprocess_s: info.ms / 1000,
      long_cpu_s: info.cpuS,
      long_rss_mb: info.maxRssMB,
    }) + '\n',
  );
}

runCli(main);

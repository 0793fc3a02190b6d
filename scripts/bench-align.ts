/**
 * npm run bench:align [-- --data DIR --times N --model M --runs R --pairs P]
 * Runs on the compiled build (the npm script builds it first), as a user would.
 * 1. MAC-Dev eval (strict/lax P/R/F1) in a child process: wall time including start-up and
 *    dictionary load, and peak RSS.
 * 2. The six MAC-Dev chapters aligned with one `bitext-review align` call each: wall time for the six
 *    and per call (median of R runs).
 * 3. One long document: all of MAC-Dev concatenated N times (default 10), aligned as one sequence in a
 *    child process: wall time and peak RSS.
 * 4. Batch mode: the six chapters repeated to P pairs (default 240) with --jobs 1 and --jobs 2:
 *    pairs/s, sentences/s, peak RSS; the outputs compared with the per-call outputs of step 2.
 * The data is read from ../shared/datasets/mac-dev beside the clone (evaluation data, never copied
 * into the project); --data DIR points elsewhere.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { alignSentenceLists, getModel, MODEL_NAMES } from '../server/align/index.js';
import { median } from './bench-stats.js';
import { CliError, parseCli, runCli, type CliSpec } from './cli-util.js';
import { sharedDataset } from './datasets.js';
import { projectRoot } from '../server/project-root.js';

const root = projectRoot();
const BIN = join(root, 'bin', 'bitext-review.mjs');


const spec: CliSpec = {
  command: 'npm run bench:align --',
  description: 'MAC-Dev accuracy, plus time and peak memory of aligning MAC-Dev and MAC-Dev ×N as one document.',
  options: {
    data: { type: 'string', arg: 'DIR', default: sharedDataset('mac-dev'), help: 'MAC-Dev folder (zh/, en/, gold/)' },
    times: { type: 'string', arg: 'N', default: '10', help: 'how many copies of MAC-Dev make the long document' },
    // The speed targets are about the offline aligner; pass --model auto|neural to bench another one.
    model: { type: 'string', choices: MODEL_NAMES, default: 'lexical', help: 'similarity model' },
    runs: { type: 'string', arg: 'R', default: '5', help: 'repeats of the per-call measurement (the median is printed)' },
    pairs: { type: 'string', arg: 'P', default: '240', help: 'pairs in the batch measurement (the six chapters repeated)' },
    'long-child': { type: 'boolean', help: '(internal) align the long document in this process and print JSON' },
  },
};

interface ChildResult {
  wallMs: number;
  maxRssMB: number;
  /** CPU time of the child's main thread. */
  mainCpuMs: number;
  stdout: string;
}

/**
 * Preloaded into each child: reports the child's own peak RSS (KiB) and its main thread's CPU time
 * (ms; Linux, else the whole process's) on stderr when it exits. On a machine shared with other jobs
 * the main thread's CPU time is a steadier measure of the work than wall time.
 */
const RSS_HOOK =
  'data:text/javascript,import{readFileSync as r}from"node:fs";process.on("exit",()=>{let c;try{c=Number(r("/proc/self/task/"+process.pid+"/schedstat","utf8").split(" ")[0])/1e6}catch{const u=process.resourceUsage();c=(u.userCPUTime+u.systemCPUTime)/1e3}process.stderr.write("\\n__MAXRSS__"+process.resourceUsage().maxRSS+" "+c.toFixed(1)+"\\n")})';

/** Runs `node ARGS`, measuring wall time and the child's peak RSS (worker threads included). */
function runChild(args: string[], opts: { quiet?: boolean } = {}): Promise<ChildResult & { stderr: string }> {
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', RSS_HOOK, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      const m = /__MAXRSS__(\d+) ([\d.]+)/.exec(err);
      const rest = err.replace(/\n?__MAXRSS__\d+ [\d.]+\n?/, '').trim();
      if (rest && (!opts.quiet || code !== 0)) process.stderr.write(`${rest}\n`);
      if (code !== 0) return rej(new CliError(`child ${args.join(' ')} failed with code ${code}`));
      res({ wallMs, maxRssMB: m ? Number(m[1]) / 1024 : NaN, mainCpuMs: m ? Number(m[2]) : NaN, stdout: out, stderr: rest });
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
    `${JSON.stringify({ model: model.name, a: a.length, b: b.length, beads: beads.length, ms, cpuS: (cpu.user + cpu.system) / 1e6, maxRssMB: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const data = cli.string('data') ?? '';
  const times = Number(cli.string('times'));
  if (!Number.isInteger(times) || times < 1 || times > 100) throw new CliError('--times must be an integer from 1 to 100');
  const modelName = cli.string('model') ?? 'auto';
  if (cli.flag('long-child')) return longChild(data, times, modelName);

  process.stderr.write(`MAC-Dev eval (${data}) …\n`);
  const ev = await runChild([
    BIN, 'eval', '--src', join(data, 'zh'), '--tgt', join(data, 'en'), '--gold', join(data, 'gold'), '--model', modelName, '--json',
  ]);
  const evLines = ev.stdout.trim().split('\n');
  const scores = JSON.parse(evLines[evLines.length - 1] ?? '{}') as Record<string, number>;
  process.stdout.write(`${evLines.slice(0, -1).join('\n')}\n`);
  process.stdout.write(`MAC-Dev (6 chapters): ${(ev.wallMs / 1000).toFixed(2)} s wall for the whole eval process (start-up, dictionary, alignment), peak RSS ${ev.maxRssMB.toFixed(0)} MB\n`);

  process.stderr.write(`MAC-Dev ×${times} as one document …\n`);
  const lg = await runChild([fileURLToPath(import.meta.url), '--long-child', '--data', data, '--times', String(times), '--model', modelName]);
  const info = JSON.parse(lg.stdout.trim().split('\n').pop() ?? '{}') as { a: number; b: number; beads: number; ms: number; cpuS: number; maxRssMB: number; model: string };
  process.stdout.write(
    `MAC-Dev ×${times} (${info.a} × ${info.b} sentences, ${info.beads} beads, model ${info.model}): ` +
      `${(lg.wallMs / 1000).toFixed(2)} s wall (${(info.ms / 1000).toFixed(2)} s in-process, ${info.cpuS.toFixed(2)} s CPU), peak RSS ${info.maxRssMB.toFixed(0)} MB\n`,
  );
  const runs = cli.number('runs', { integer: true }) ?? 5;
  const nPairs = cli.number('pairs', { integer: true }) ?? 240;
  process.stderr.write(`six chapters, one CLI call each, ${runs} runs …\n`);
  const tmp = mkdtempSync(join(tmpdir(), 'bench-align-'));
  const perCallOut = new Map<string, string>();
  const totals: number[] = [];
  const mainCpu: number[] = [];
  for (let r = 0; r < runs; r++) {
    let total = 0;
    let cpu = 0;
    for (const f of FILES) {
      const c = await runChild([BIN, 'align', join(data, 'zh', `${f}.txt`), join(data, 'en', `${f}.txt`), '--presplit', '--format', 'beads', '--model', modelName], { quiet: true });
      total += c.wallMs;
      cpu += c.mainCpuMs;
      perCallOut.set(f, c.stdout);
    }
    totals.push(total);
    mainCpu.push(cpu);
  }
  const six = median(totals);
  const cpu6 = median(mainCpu);
  process.stdout.write(
    `six MAC-Dev chapters, one \`bitext-review align\` call each: ${(six / 1000).toFixed(2)} s wall, ${(six / 6 / 1000).toFixed(3)} s per call ` +
      `(median of ${runs}; runs ${totals.map((t) => (t / 1000).toFixed(2)).join(', ')}); main-thread CPU ${(cpu6 / 6 / 1000).toFixed(3)} s per call\n`,
  );

  const manifest = join(tmp, 'pairs.tsv');
  const lines: string[] = [];
  for (let k = 0; k < nPairs; k++) {
    const f = FILES[k % FILES.length] ?? '001';
    lines.push(`${join(data, 'zh', `${f}.txt`)}\t${join(data, 'en', `${f}.txt`)}\t${f}-${String(k).padStart(4, '0')}`);
  }
  writeFileSync(manifest, `${lines.join('\n')}\n`);
  const batch: Record<string, number> = {};
  for (const jobs of [1, 2]) {
    process.stderr.write(`batch of ${nPairs} pairs, --jobs ${jobs} …\n`);
    const out = join(tmp, `out-${jobs}`);
    const b = await runChild([BIN, 'align', '--batch', manifest, '--out', out, '--presplit', '--format', 'beads', '--model', modelName, '--jobs', String(jobs)], { quiet: true });
    const m = /(\d+) sentences in [\d.]+ s/.exec(b.stderr);
    const sentences = Number(m?.[1] ?? NaN);
    let same = 0;
    for (let k = 0; k < nPairs; k++) {
      const f = FILES[k % FILES.length] ?? '001';
      if (readFileSync(join(out, `${f}-${String(k).padStart(4, '0')}.align`), 'utf8') === perCallOut.get(f)) same++;
    }
    const s = b.wallMs / 1000;
    process.stdout.write(
      `batch --jobs ${jobs}: ${nPairs} pairs, ${sentences} sentences in ${s.toFixed(2)} s wall: ${(nPairs / s).toFixed(1)} pairs/s, ${Math.round(sentences / s)} sentences/s, peak RSS ${b.maxRssMB.toFixed(0)} MB; ${same}/${nPairs} outputs identical to the per-call outputs\n`,
    );
    batch[`batch_j${jobs}_pairs_per_s`] = nPairs / s;
    batch[`batch_j${jobs}_sentences_per_s`] = sentences / s;
    batch[`batch_j${jobs}_rss_mb`] = b.maxRssMB;
    batch[`batch_j${jobs}_identical`] = same;
  }
  rmSync(tmp, { recursive: true, force: true });

  process.stdout.write(
    `${JSON.stringify({
      ...scores,
      six_calls_s: six / 1000,
      per_call_s: six / 6 / 1000,
      per_call_main_cpu_s: cpu6 / 6 / 1000,
      ...batch,
      macdev_wall_s: ev.wallMs / 1000,
      macdev_rss_mb: ev.maxRssMB,
      long_wall_s: lg.wallMs / 1000,
      long_inprocess_s: info.ms / 1000,
      long_cpu_s: info.cpuS,
      long_rss_mb: info.maxRssMB,
    })}\n`,
  );
}

runCli(main);

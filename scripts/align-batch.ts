/**
 * `align --batch MANIFEST.tsv --out DIR`: every pair of the manifest, on all cores.
 *
 * A pool of worker threads (piscina; align-worker.ts), each loading the dictionary once, aligns
 * one pair per task. Each output is written to a temporary name and renamed when complete, so
 * `--resume` can trust any output file it finds and a killed run (kill -9 included) leaves only
 * temporary files, which the next run removes. A pair that fails (bad line, missing file, bad
 * encoding, empty text) is reported with its manifest line and the others go on. With a corpus
 * format (jsonl, tmx) each pair's review document goes to DIR/.parts/NAME.json first, and
 * DIR/corpus.EXT is written from the parts, in manifest order, at the end.
 *
 * Progress: a bar on stderr when it is a terminal, plain lines when it is not.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { workerFile } from '../server/bundle.js';
import type { ReviewDocument } from '../server/domain.js';
import { exportDocuments, type ExportItem } from '../server/formats/index.js';
import { CORPUS_FORMATS, FORMAT_EXT, pairName, type AlignFormat, type PairOptions } from './align-pair.js';
import type { PairOutcome, PairTask } from './align-worker.js';
import { CliError, withOutput, type CliIo } from './cli-util.js';

export interface BatchOptions {
  manifest: string;
  outDir: string;
  jobs: number;
  resume: boolean;
  format: AlignFormat;
  pair: PairOptions;
  cacheDir?: string | undefined;
}

interface Line {
  /** 1-based line number in the manifest. */
  line: number;
  task: PairTask;
}

interface Failure {
  line: number;
  message: string;
}

/** A NAME that stays one file inside DIR. */
const SAFE_NAME = /^(?!\.)[^/\\\0\n\r\t]{1,200}$/;

/** The manifest's pairs, and the lines that are not pairs. */
export function readManifest(path: string, opts: BatchOptions): { lines: Line[]; failures: Failure[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`}`);
  }
  const base = dirname(path);
  const corpus = CORPUS_FORMATS.includes(opts.format);
  const lines: Line[] = [];
  const failures: Failure[] = [];
  const seen = new Map<string, number>();
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw, k) => {
      const line = k + 1;
      if (raw.trim() === '' || raw.startsWith('#')) return;
      const cols = raw.split('\t');
      const [a, b, given] = cols;
      if (cols.length < 2 || cols.length > 3 || !a || !b) {
        failures.push({ line, message: `expected FILE_A<TAB>FILE_B[<TAB>NAME], got ${cols.length} column${cols.length === 1 ? '' : 's'}` });
        return;
      }
      const name = given || pairName(a);
      if (!SAFE_NAME.test(name) || name === '..') {
        failures.push({ line, message: `"${name}" cannot be a file name in the output folder (give a NAME in the third column)` });
        return;
      }
      const first = seen.get(name);
      if (first !== undefined) {
        failures.push({ line, message: `the name "${name}" is taken by line ${first} (give a NAME in the third column)` });
        return;
      }
      seen.set(name, line);
      const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
      lines.push({
        line,
        task: {
          read: { a: at(a), b: at(b) },
          shown: { a, b },
          name,
          format: opts.format,
          pair: opts.pair,
          target: corpus ? join(opts.outDir, '.parts', `${name}.json`) : join(opts.outDir, `${name}.${FORMAT_EXT[opts.format]}`),
          part: corpus,
        },
      });
    });
  return { lines, failures };
}

/** Removes temporary files that killed runs left (their process is gone). */
function removeStalePartials(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^\..*\.(\d+)\.partial$/.exec(n);
    if (m && !alive(Number(m[1]))) rmSync(join(dir, n), { force: true });
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The worker pool; under tsx or vitest the worker is TypeScript, loaded through align-worker-tsx.mjs. */
function createPool(jobs: number, cacheDir: string | undefined): Piscina<PairTask, PairOutcome> {
  const here = import.meta.url;
  const ts = here.endsWith('.ts');
  const filename = ts ? fileURLToPath(new URL('./align-worker-tsx.mjs', here)) : workerFile(here, './align-worker.js', 'align-worker');
  return new Piscina<PairTask, PairOutcome>({
    filename,
    minThreads: jobs,
    maxThreads: jobs,
    idleTimeout: 60_000,
    workerData: { cacheDir },
  });
}

const fmtTime = (s: number): string => {
  const t = Math.max(0, Math.round(s));
  return t >= 3600 ? `${Math.floor(t / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}` : `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
};

/** Progress on stderr: a redrawn bar on a terminal, a plain line per tenth (or per 10 s) otherwise. */
class BatchProgress {
  private done = 0;
  private failed = 0;
  private sentences = 0;
  private lastLine = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly t0 = performance.now();

  constructor(
    private readonly io: CliIo,
    private readonly total: number,
  ) {}

  aligned(sentences: number): void {
    this.done++;
    this.sentences += sentences;
    this.update();
  }

  failure(where: string, message: string): void {
    this.done++;
    this.failed++;
    this.clear();
    this.io.stderr.write(`${where}: ${message}\n`);
    this.update();
  }

  get stats(): { sentences: number; seconds: number } {
    return { sentences: this.sentences, seconds: (performance.now() - this.t0) / 1000 };
  }

  finish(): void {
    if (this.io.stderr.isTTY) {
      this.draw();
      this.io.stderr.write('\n');
    }
  }

  private text(): { counts: string; rate: string; left: string } {
    const s = (performance.now() - this.t0) / 1000;
    const rate = s > 0 ? this.sentences / s : 0;
    const left = this.done > 0 ? ((this.total - this.done) * s) / this.done : NaN;
    return {
      counts: `${this.done}/${this.total} pairs${this.failed ? `, ${this.failed} failed` : ''}`,
      rate: `${Math.round(rate)} sentences/s`,
      left: Number.isFinite(left) ? fmtTime(left) : '?',
    };
  }

  private update(): void {
    const now = performance.now();
    if (this.io.stderr.isTTY) {
      if (now - this.lastDraw > 100 || this.done === this.total) this.draw();
      return;
    }
    const step = Math.max(1, Math.ceil(this.total / 10));
    if (this.done % step === 0 || this.done === this.total || now - this.lastLine > 10_000) {
      const t = this.text();
      this.io.stderr.write(`${t.counts}, ${t.rate}, ${t.left} left\n`);
      this.lastLine = now;
    }
  }

  private draw(): void {
    const t = this.text();
    const width = 24;
    const full = this.total > 0 ? Math.round((this.done / this.total) * width) : width;
    this.io.stderr.write(`\r\x1b[K[${'█'.repeat(full)}${'░'.repeat(width - full)}] ${t.counts} · ${t.rate} · ${t.left} left`);
    this.lastDraw = performance.now();
    this.drawn = true;
  }

  private clear(): void {
    if (this.io.stderr.isTTY && this.drawn) this.io.stderr.write('\r\x1b[K');
  }
}

export async function runBatch(opts: BatchOptions, io: CliIo): Promise<number> {
  const { lines, failures: badLines } = readManifest(opts.manifest, opts);
  if (lines.length + badLines.length === 0) throw new CliError(`${opts.manifest}: no pairs (expected lines FILE_A<TAB>FILE_B[<TAB>NAME])`);
  const corpus = CORPUS_FORMATS.includes(opts.format);
  const partsDir = join(opts.outDir, '.parts');
  try {
    mkdirSync(corpus ? partsDir : opts.outDir, { recursive: true });
  } catch (e) {
    throw new CliError(`${opts.outDir}: cannot create the output folder (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  removeStalePartials(opts.outDir);
  if (corpus) removeStalePartials(partsDir);

  const todo = opts.resume ? lines.filter((l) => !existsSync(l.task.target)) : lines;
  const skipped = lines.length - todo.length;
  const where = (line: number): string => `${opts.manifest}:${line}`;
  const total = lines.length + badLines.length - skipped;
  io.stderr.write(
    `batch: ${lines.length + badLines.length} pairs${skipped ? `, ${skipped} done before (--resume)` : ''}; aligning ${todo.length} with ${opts.jobs} worker${opts.jobs === 1 ? '' : 's'} into ${opts.outDir}\n`,
  );
  const bar = new BatchProgress(io, total);
  const failures: Failure[] = [];
  for (const f of badLines) {
    failures.push(f);
    bar.failure(where(f.line), f.message);
  }
  const failed = new Set<number>();
  if (todo.length > 0) {
    const pool = createPool(Math.min(opts.jobs, todo.length), opts.cacheDir);
    try {
      // A bounded window of tasks in flight: a manifest of a million pairs is not a million promises.
      let next = 0;
      const window = opts.jobs * 2;
      const runOne = async (): Promise<void> => {
        while (next < todo.length) {
          const l = todo[next++] as Line;
          let r: PairOutcome;
          try {
            r = await pool.run(l.task);
          } catch (e) {
            r = { ok: false, message: `internal error: ${(e as Error).message.split('\n')[0]}` };
          }
          if (r.ok) bar.aligned(r.sentences);
          else {
            failed.add(l.line);
            failures.push({ line: l.line, message: r.message });
            bar.failure(where(l.line), r.message);
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(window, todo.length) }, runOne));
    } finally {
      await pool.destroy();
    }
  }
  bar.finish();

  let corpusNote = '';
  if (corpus) {
    const ok = lines.filter((l) => !failed.has(l.line) && existsSync(l.task.target));
    const file = join(opts.outDir, `corpus.${FORMAT_EXT[opts.format]}`);
    async function* items(): AsyncGenerator<ExportItem> {
      for (const l of ok) yield { doc: JSON.parse(readFileSync(l.task.target, 'utf8')) as ReviewDocument, history: [], findings: [] };
    }
    await withOutput(file, (out) => exportDocuments(items(), opts.format as 'jsonl' | 'tmx', {}, out, true));
    corpusNote = ` · ${file}: ${ok.length} of ${lines.length + badLines.length} pairs`;
  }
  const { sentences, seconds } = bar.stats;
  const aligned = todo.length - failed.size;
  io.stderr.write(
    `batch: ${lines.length + badLines.length} pairs: ${aligned} aligned, ${skipped} skipped (done before), ${failures.length} failed` +
      ` · ${sentences} sentences in ${seconds.toFixed(1)} s (${(aligned / Math.max(seconds, 1e-9)).toFixed(1)} pairs/s, ${Math.round(sentences / Math.max(seconds, 1e-9))} sentences/s)${corpusNote}\n`,
  );
  if (failures.length > 0) {
    io.stderr.write(`failed lines: ${failures.map((f) => f.line).sort((x, y) => x - y).join(', ')}\n`);
    return 1;
  }
  return 0;
}

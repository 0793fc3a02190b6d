/**
 * Shared CLI plumbing: argument parsing with --help, and `runCli` which turns a user's mistake into
 * one line on stderr (exit 2 for usage, 1 for other errors) without a stack trace.
 */
import { createWriteStream, openSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { parseArgs as nodeParseArgs } from 'node:util';
import { decodeBytes } from '../server/text/decode.js';

/** Wrong command line: printed with a hint to --help, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A user-facing failure (bad file, bad data): printed as one line, exit code 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  /** Shown in --help; also the value when the option is absent. */
  default?: string | boolean;
  /** Allowed values of a string option. */
  choices?: readonly string[];
  /** Placeholder shown in --help, e.g. FILE. */
  arg?: string;
  help: string;
}

export interface CliSpec {
  /** Command as the user types it, e.g. "npm run align --". */
  command: string;
  /** Positional arguments as shown in the usage line, e.g. "ZH_FILE EN_FILE". */
  args?: string;
  description: string;
  options: Record<string, OptionSpec>;
  /** Accepted number of positional arguments. */
  positionals?: { min: number; max: number };
}

export interface ParsedCli {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
  /** A string option (after default), or undefined. */
  str(name: string): string | undefined;
  /** A boolean option (after default). */
  flag(name: string): boolean;
  /** A numeric option (after default); UsageError unless it is a positive number (an integer if asked). */
  num(name: string, opts?: { integer?: boolean }): number | undefined;
}

export function helpText(spec: CliSpec): string {
  const lines = [`Usage: ${spec.command}${spec.args ? ' ' + spec.args : ''} [options]`, '', spec.description, '', 'Options:'];
  const entries = Object.entries({ ...spec.options, help: { type: 'boolean', short: 'h', help: 'show this help' } as OptionSpec });
  const left = entries.map(([name, o]) => `  ${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.arg ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  entries.forEach(([, o], k) => {
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    lines.push(`${(left[k] ?? '').padEnd(width)}${o.help}${def}`);
  });
  return lines.join('\n');
}

/** Parses argv; prints help and exits 0 on --help; throws UsageError on anything wrong. */
export function parseCli(spec: CliSpec, argv: readonly string[] = process.argv.slice(2)): ParsedCli {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    const r = nodeParseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    parsed = { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (parsed.values.help) {
    process.stdout.write(helpText(spec) + '\n');
    process.exit(0);
  }
  for (const [name, o] of Object.entries(spec.options)) {
    const v = parsed.values[name];
    if (v === undefined && o.default !== undefined) parsed.values[name] = o.default;
    if (typeof v === 'string' && o.choices && !o.choices.includes(v)) {
      throw new UsageError(`--${name} must be one of ${o.choices.join(', ')} (got "${v}")`);
    }
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const n = parsed.positionals.length;
  if (n < min || n > max) {
    const want = min === max ? `${min}` : `${min} to ${max}`;
    throw new UsageError(`expected ${want} argument${max === 1 ? '' : 's'}${spec.args ? ` (${spec.args})` : ''}, got ${n}`);
  }
  return {
    values: parsed.values,
    positionals: parsed.positionals,
    str: (name) => {
      const v = parsed.values[name];
      return typeof v === 'string' ? v : undefined;
    },
    flag: (name) => parsed.values[name] === true,
    num: (name, opts = {}) => {
      const raw = parsed.values[name];
      if (typeof raw !== 'string') return undefined;
      const v = Number(raw);
      if (!(v > 0) || !Number.isFinite(v) || (opts.integer && !Number.isInteger(v))) {
        throw new UsageError(`--${name} must be a positive ${opts.integer ? 'whole number' : 'number'} (got "${raw}")`);
      }
      return v;
    },
  };
}

/** Error classes (by name) whose message is written for the user: printed without a stack trace. */
const USER_ERRORS = new Set(['CliError', 'TextInputError', 'AlignInputError', 'ModelNotInstalledError', 'ExportOptionsError', 'ImportError', 'InvalidModelIdError', 'ModelLoadError']);

/** Runs a CLI main function: errors become one line on stderr and a non-zero exit code. */
export function runCli(main: () => Promise<void> | void): void {
  const script = (process.argv[1] ?? 'cli').replace(/^.*[\\/]/, '').replace(/\.[jt]s$/, '');
  // `… | head`: the reader went away. Stop quietly, like any Unix filter, instead of an EPIPE error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`${script}: cannot write to stdout (${e.code ?? e.message})\n`);
    process.exit(1);
  });
  Promise.resolve()
    .then(main)
    .catch((e: unknown) => {
      const err = e instanceof Error ? e : new Error(String(e));
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return; // see the stdout handler above
      const first = (err.message || String(err)).split('\n')[0];
      if (err instanceof UsageError) {
        process.stderr.write(`${script}: ${first}\n(see --help)\n`);
        process.exitCode = 2;
      } else if (USER_ERRORS.has(err.name)) {
        process.stderr.write(`${script}: ${first}\n`);
        process.exitCode = 1;
      } else {
        // A bug, not the user's mistake: still one line, with the stack only when asked for.
        process.stderr.write(`${script}: internal error: ${first}\n`);
        if (process.env.DEBUG) process.stderr.write(`${err.stack ?? ''}\n`);
        process.exitCode = 1;
      }
    });
}

/** Progress on stderr, only when stderr is a terminal or VERBOSE is set (keeps pipes and tests clean). */
export function progress(msg: string): void {
  if (process.stderr.isTTY || process.env.VERBOSE) process.stderr.write(msg + '\n');
}

/**
 * Runs `write` against stdout (no path, or "-"), or against `path` atomically: a temporary file next
 * to it, renamed over `path` only when everything was written, so a failure never leaves a half file.
 * File-system problems become one-line CliErrors naming the file; other errors pass through.
 */
export async function withOutput(path: string | undefined, write: (out: Writable) => Promise<void>): Promise<void> {
  if (path === undefined || path === '-') {
    await write(process.stdout);
    return;
  }
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.partial`);
  const fail = (e: unknown): unknown => {
    const err = e as NodeJS.ErrnoException;
    if (typeof err?.code !== 'string' || !err.syscall) return e;
    const why = err.code === 'ENOENT' ? 'no such directory' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.code;
    return new CliError(`${path}: cannot write (${why})`);
  };
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    throw fail(e);
  }
  const out = createWriteStream('', { fd });
  out.on('error', () => undefined); // reported through `finished` below
  try {
    await write(out);
    out.end();
    await finished(out);
    renameSync(tmp, path);
  } catch (e) {
    out.destroy();
    rmSync(tmp, { force: true });
    throw fail(e);
  }
}

/** Writes `chunks` through withOutput, with backpressure. */
export async function writeOutput(path: string | undefined, chunks: Iterable<string>): Promise<void> {
  await withOutput(path, async (out) => {
    for (const chunk of chunks) {
      if (out.errored) throw out.errored;
      if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
    }
  });
}

/** An --encoding value the decoder knows, else a CliError naming the option (not one of the files). */
export function checkEncoding(encoding: string | undefined): void {
  if (encoding === undefined) return;
  try {
    decodeBytes(new Uint8Array(0), { name: '--encoding', encoding });
  } catch (e) {
    throw new CliError((e as Error).message);
  }
}

/**
 * Shared CLI plumbing. A command is a function of its arguments and its streams (`CliIo`) that
 * returns an exit code, so tests run it in process; `runMain` is the thin process entry around it.
 * `runCommand` turns a user's mistake into one line on stderr without a stack trace.
 *
 * Exit codes: 0 done, 1 failed input (a file that cannot be read, bad data, some pairs of a batch
 * failed; also an internal error, reported as such), 2 wrong command line (see --help).
 */
import { createWriteStream, openSync, realpathSync, renameSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs as nodeParseArgs } from 'node:util';
import { decodeBytes } from '../server/text/decode.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** The streams and environment a command talks to: the process's, or a test's. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable & { isTTY?: boolean; columns?: number };
  env: NodeJS.ProcessEnv;
}

export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env };
}

/** A command: parses `argv`, does its work, returns its exit code (nothing means 0). */
// biome-ignore lint/suspicious/noConfusingVoidType: a command that only prints returns nothing, which means 0
export type Command = (argv: readonly string[], io: CliIo) => Promise<number | void> | number | void;

/** --help was asked for: `runCommand` prints the text on stdout and exits 0. */
export class HelpRequest extends Error {
  override readonly name = 'HelpRequest';
  constructor(readonly text: string) {
    super('help');
  }
}

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
  /**
   * Command as the user types it, e.g. "npm run bench:align --"; for a `bitext-review` subcommand
   * give `name` instead: the usage line then says "bitext-review NAME", or "npm run NAME --" when
   * the npm script of that name started it.
   */
  command?: string;
  name?: string;
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
  string(name: string): string | undefined;
  /** A boolean option (after default). */
  flag(name: string): boolean;
  /** A numeric option (after default); UsageError unless it is a positive number (an integer if asked). */
  number(name: string, opts?: { integer?: boolean }): number | undefined;
}

/** How the user typed the command (see CliSpec.command). */
export function commandLine(spec: CliSpec, env: NodeJS.ProcessEnv = process.env): string {
  if (spec.command) return spec.command;
  const name = spec.name ?? 'command';
  return env.npm_lifecycle_event === name ? `npm run ${name} --` : `bitext-review ${name}`;
}

export function helpText(spec: CliSpec, env: NodeJS.ProcessEnv = process.env): string {
  const lines = [`Usage: ${commandLine(spec, env)}${spec.args ? ` ${spec.args}` : ''} [options]`, '', spec.description, '', 'Options:'];
  const entries = Object.entries({ ...spec.options, help: { type: 'boolean', short: 'h', help: 'show this help' } as OptionSpec });
  const left = entries.map(([name, o]) => `  ${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.arg ?? (o.choices ? o.choices.join('|') : 'VALUE')}` : ''}`);
  const width = Math.max(...left.map((l) => l.length)) + 2;
  entries.forEach(([, o], k) => {
    const def = o.default !== undefined && o.default !== false ? ` (default: ${String(o.default)})` : '';
    lines.push(`${(left[k] ?? '').padEnd(width)}${o.help}${def}`);
  });
  lines.push('', `Exit codes: ${EXIT_OK} done, ${EXIT_FAILED} failed input, ${EXIT_USAGE} wrong command line.`);
  return lines.join('\n');
}

/** Parses argv; throws HelpRequest on --help and UsageError on anything wrong. */
export function parseCli(spec: CliSpec, argv: readonly string[] = process.argv.slice(2), env: NodeJS.ProcessEnv = process.env): ParsedCli {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(spec.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    const r = nodeParseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
    parsed = { values: r.values as Record<string, string | boolean | undefined>, positionals: r.positionals };
  } catch (e) {
    throw new UsageError((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (parsed.values.help) throw new HelpRequest(helpText(spec, env));
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
    string: (name) => {
      const v = parsed.values[name];
      return typeof v === 'string' ? v : undefined;
    },
    flag: (name) => parsed.values[name] === true,
    number: (name, opts = {}) => {
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

/** The one line a user sees for an error: its message when it is written for them, else "internal error: …". */
export function userMessage(e: unknown): string {
  const err = e instanceof Error ? e : new Error(String(e));
  const first = (err.message || String(err)).split('\n')[0] ?? '';
  return USER_ERRORS.has(err.name) || err instanceof UsageError ? first : `internal error: ${first}`;
}

/**
 * Runs a command against `io`: a user's mistake becomes one line on stderr (and exit 1, or 2 for
 * usage), a bug one line too (with the stack when DEBUG is set). Returns the exit code.
 */
export async function runCommand(name: string, command: Command, argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const code = await command(argv, io);
    return typeof code === 'number' ? code : EXIT_OK;
  } catch (e) {
    const err = e instanceof Error ? e : new Error(String(e));
    if (err instanceof HelpRequest) {
      io.stdout.write(`${err.text}\n`);
      return EXIT_OK;
    }
    if ((err as NodeJS.ErrnoException).code === 'EPIPE') return EXIT_OK; // the reader went away (`| head`)
    const first = (err.message || String(err)).split('\n')[0];
    if (err instanceof UsageError) {
      io.stderr.write(`${name}: ${first}\n(see --help)\n`);
      return EXIT_USAGE;
    }
    if (USER_ERRORS.has(err.name)) {
      io.stderr.write(`${name}: ${first}\n`);
      return EXIT_FAILED;
    }
    // A bug, not the user's mistake: still one line, with the stack only when asked for.
    io.stderr.write(`${name}: internal error: ${first}\n`);
    if (io.env.DEBUG) io.stderr.write(`${err.stack ?? ''}\n`);
    return EXIT_FAILED;
  }
}

/** The process entry of a command: process.argv and stdio, exit code set when it is done. */
export function runMain(name: string, command: Command, argv: readonly string[] = process.argv.slice(2)): void {
  // `… | head`: the reader went away. Stop quietly, like any Unix filter, instead of an EPIPE error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`${name}: cannot write to stdout (${e.code ?? e.message})\n`);
    process.exit(EXIT_FAILED);
  });
  void runCommand(name, command, argv, processIo()).then((code) => {
    process.exitCode = code;
  });
}

/** Runs a script's main function as a process (scripts that are not `bitext-review` commands). */
export function runCli(main: () => Promise<void> | void): void {
  const script = (process.argv[1] ?? 'cli').replace(/^.*[\\/]/, '').replace(/\.[jt]s$/, '');
  runMain(script, () => main());
}

/** True when the module at `moduleUrl` is the script node was started with (not imported). */
export function isEntry(moduleUrl: string): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** Progress on stderr, only when stderr is a terminal or VERBOSE is set (keeps pipes and tests clean). */
export function progress(msg: string, io: CliIo = processIo()): void {
  if (io.stderr.isTTY || io.env.VERBOSE) io.stderr.write(`${msg}\n`);
}

/**
 * Runs `write` against stdout (no path, or "-"), or against `path` atomically: a temporary file next
 * to it, renamed over `path` only when everything was written, so a failure never leaves a half file.
 * File-system problems become one-line CliErrors naming the file; other errors pass through.
 */
export async function withOutput(path: string | undefined, write: (out: Writable) => Promise<void>, stdout: Writable = process.stdout): Promise<void> {
  if (path === undefined || path === '-') {
    await write(stdout);
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
export async function writeOutput(path: string | undefined, chunks: Iterable<string>, stdout: Writable = process.stdout): Promise<void> {
  await withOutput(path, (out) => writeChunks(out, chunks), stdout);
}

/** Writes `chunks` to `out` with backpressure. */
export async function writeChunks(out: Writable, chunks: Iterable<string>): Promise<void> {
  for (const chunk of chunks) {
    if (out.errored) throw out.errored;
    if (!out.write(chunk)) await Promise.race([once(out, 'drain'), once(out, 'close')]);
  }
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

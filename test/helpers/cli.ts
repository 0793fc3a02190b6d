/** Runs a CLI command in this process against captured streams; and the real command as a process. */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import { runCommand, type Command } from '../../scripts/cli-util.js';

export const repoRoot = resolve(import.meta.dirname, '..', '..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** A Writable that keeps what was written. */
export class Capture extends Writable {
  private chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: (e?: Error | null) => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    done();
  }
  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** `name ARGS…` in process: the command's exit code and what it wrote. */
export async function runIn(name: string, command: Command, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCommand(name, command, args, { stdout, stderr, env: { ...process.env, npm_lifecycle_event: undefined, ...env } });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** `bitext-review ARGS…` as a process, through bin/ (the compiled build, rebuilt when stale). */
export function runBin(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((res) => {
    execFile(process.execPath, [join(repoRoot, 'bin', 'bitext-review.mjs'), ...args], { cwd: repoRoot, maxBuffer: 64 << 20, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
      res({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr: stderr.replace(/^building \(tsc\)…\n/, '') });
    });
  });
}

/** A user's mistake: exit 1 (or 2 for usage), one line (plus the --help hint), no stack trace. */
export function expectCleanError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.trim().split('\n').length).toBeLessThanOrEqual(2);
}

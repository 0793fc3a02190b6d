/**
 * `npm start` as a process (bin/bitext-review.mjs serve): a second server on a port that is taken
 * says so in one line and exits 1, without claiming it is listening first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

const dirs: string[] = [];
const children: ChildProcess[] = [];

function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'serve-test-'));
  dirs.push(d);
  return d;
}

/** Starts `bitext-review serve` on PORT with its own empty data and corpus folders. */
function serve(port: number): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [join(repoRoot, 'bin', 'bitext-review.mjs'), 'serve'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: tempDir(), CORPUS_DIR: tempDir() },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString('utf8')));
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return { child, stderr: () => err, exited };
}

/** Resolves when `read()` matches `re` (checked every 50 ms); fails after `ms`. */
async function waitFor(read: () => string, re: RegExp, ms: number): Promise<RegExpMatchArray> {
  const until = Date.now() + ms;
  for (;;) {
    const m = read().match(re);
    if (m) return m;
    if (Date.now() > until) throw new Error(`timed out waiting for ${re}; got: ${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.on('exit', r)) : null)));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('serve on a port that is taken', () => {
  it('says "port N is in use; set PORT" and exits 1, without printing "listening"', async () => {
    const first = serve(0); // the system picks a free port
    const [, port] = await waitFor(first.stderr, /listening on http:\/\/127\.0\.0\.1:(\d+)/, 30_000);
    const second = serve(Number(port));
    const code = await Promise.race([second.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 30_000))]);
    expect(code).toBe(1);
    expect(second.stderr()).toContain(`port ${port} is in use; set PORT`);
    expect(second.stderr()).not.toMatch(/listening/);
    // The first server is unharmed and still answers.
    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBeLessThan(500);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  }, 90_000);
});

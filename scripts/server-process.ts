/**
 * A review server in a process of its own (`server/web/main.ts` through tsx) on a free loopback
 * port, for the server benchmarks and the tests that need several processes on one store.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface Server {
  child: ChildProcess;
  base: string;
  startedMs: number;
  /** What it wrote on stderr so far. */
  log: () => string;
}

/** Starts `npm start` (from TypeScript) with `env` on a free loopback port; resolves when it listens. */
export function startServer(root: string, env: NodeJS.ProcessEnv): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/web/main.ts')], {
    cwd: root,
    env: { ...process.env, ...env, PORT: '0', HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // not left running behind a failed start
      reject(new Error(`server did not start in 60 s: ${err}`));
    }, 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      err += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1]!, startedMs: performance.now() - t0, log: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}`));
    });
  });
}

export function stopServer(s: { child: ChildProcess }, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill(signal);
  });
}

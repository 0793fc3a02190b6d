// Rebuilds dist/ with tsc when a TypeScript source is newer than the last build, then bundles the
// command line into dist/cli/ (bundle-cli.mjs), so `npm start` and the `bitext-review` command
// work on a fresh clone and cost one stat walk (~2 ms) afterwards.
// Two processes that find the build stale at once do not both build: the first takes a lock
// (a directory, created atomically), the other waits for it. Run as a script (`npm start`,
// `npm install` through "prepare") or imported by bin/bitext-review.mjs.
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const LOCK_STALE_MS = 120_000;

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const mtime = (p) => (existsSync(p) ? statSync(p).mtimeMs : 0);
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** True when dist/ is older than the sources (false when there are no sources, as in a packed install). */
export function buildIsStale(root) {
  if (!existsSync(join(root, 'server')) || !existsSync(join(root, 'tsconfig.json'))) return false;
  const src = Math.max(newest(join(root, 'server')), newest(join(root, 'scripts')), mtime(join(root, 'tsconfig.json')));
  return src > mtime(join(root, 'dist', '.build-stamp'));
}

/** Builds dist/ if it is stale; build messages go to stderr (stdout is the command's). */
export async function ensureBuilt(root) {
  if (!buildIsStale(root)) return;
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  if (!existsSync(tsc)) {
    if (existsSync(join(root, 'dist', 'scripts', 'bitext-review.js'))) return; // no compiler here: run the build we have
    throw new Error(`cannot build ${root}: TypeScript is not installed (run npm install there)`);
  }
  const dist = join(root, 'dist');
  const lock = join(dist, '.build-lock');
  mkdirSync(dist, { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      if (Date.now() - mtime(lock) > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true }); // a killed build
      else sleep(100);
      if (!buildIsStale(root)) return; // the other process built it
    }
  }
  try {
    if (!buildIsStale(root)) return;
    const started = new Date();
    process.stderr.write('building (tsc)…\n');
    // Loaded only to build: every command call passes through here.
    const { execFileSync } = await import('node:child_process');
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { cwd: root, stdio: ['ignore', 2, 2] });
    if (existsSync(join(root, 'node_modules', 'esbuild'))) await (await import('./bundle-cli.mjs')).bundleCli(root);
    // Without esbuild (no dev dependencies) the command runs tsc's build: no stale bundle stays.
    else rmSync(join(dist, 'cli'), { recursive: true, force: true });
    const stamp = join(dist, '.build-stamp');
    writeFileSync(stamp, started.toISOString());
    // The stamp says "sources up to the start of this build": an edit during the build stays newer.
    utimesSync(stamp, started, started);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  try {
    await ensureBuilt(root);
  } catch (e) {
    // `npm install` (prepare) must not fail on a type error: the command reports it on first use.
    if (!process.argv.includes('--no-fail')) throw e;
    process.stderr.write(`warning: build failed (${e.message.split('\n')[0]}); it is retried on first use\n`);
  }
}

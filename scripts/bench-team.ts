/**
 * The team deployment run of `npm run bench:server -- --database-url URL` (issue 15):
 *  T1. two app servers (WORKERS=0) and two job workers on one PostgreSQL database, N reviewers
 *      (default 40) for D seconds (default 30) spread over both servers; one server killed with
 *      kill -9 midway, its reviewers moving to the other (as a reverse proxy would send them): every
 *      accepted (2xx) operation must be in the history, the final state the replay of the history,
 *      p95 per operation ≤ 50 ms; the killed server restarted and checked too;
 *  T2. a ~3 MB document (MAC-Dev ×10) imported through one server and aligned by a worker process
 *      with a working folder of its own (its own dictionary cache; nothing shared with the servers but
 *      the database), while /healthz of both servers is polled every 50 ms: p99 ≤ 100 ms;
 *  T3. the same load as T1 on SQLite: two app servers on one DATA_DIR, one killed midway.
 * Prints a table of T1 and T3 side by side. Everything runs in a schema of its own in the database
 * URL's database, dropped at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { syntheticDocument } from '../server/review/index.js';
import { openPgStore } from '../server/store/postgres.js';
import { DB_FILE, openStore } from '../server/store/sqlite.js';
import type { Store } from '../server/store/store.js';
import { client, macDevTexts, pollLoop, type Poll } from './bench-availability.js';
import { newStats, oneDecimal, procCpu, runReviewers, verify, type LoadStats, type Verified } from './bench-load.js';
import { startServer, stopServer, type Server } from './server-process.js';
import { percentile } from './bench-stats.js';

export interface TeamOptions {
  root: string;
  databaseUrl: string;
  macDev: string;
  reviewers: number;
  /** Seconds of load. */
  duration: number;
  think: number;
  say: (line: string) => void;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ROWS = 500;

interface Worker {
  child: ChildProcess;
  runner: string;
  dir: string;
}

/** A worker process with a working folder of its own (HOME, CACHE_DIR): "another machine". */
function startWorker(root: string, url: string): Promise<Worker> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-worker-'));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'scripts/worker.ts'), '--database-url', url, '--threads', '1', '--grace', '0'], {
    cwd: dir,
    env: { ...process.env, HOME: dir, CACHE_DIR: join(dir, 'cache'), DATA_DIR: join(dir, 'no-store-here'), DATABASE_URL: '', WORKERS: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start in 60 s: ${err}`)), 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (c: string) => {
      err += c;
      const m = /worker (w[0-9a-f]{12}) .*taking jobs/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, runner: m[1]!, dir });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      if (!/taking jobs/.test(err)) reject(new Error(`worker exited (${code}): ${err}`));
    });
  });
}

interface LoadResult {
  stats: LoadStats;
  secs: number;
  killAtMs: number;
  verified: Verified;
  /** After the killed server was started again: the same check through it. */
  afterRestart: Verified;
  restartMs: number;
  cpu: string;
  integrity: string;
}

/**
 * N reviewers over two servers for `duration` s, server A killed with SIGKILL midway and started again
 * after the load; every accepted operation checked in the history, the state against its replay.
 */
async function loadWithKill(o: TeamOptions, servers: [Server, Server], restart: () => Promise<Server>, docId: string, integrity: () => Promise<string>, others: () => number[]): Promise<LoadResult> {
  const initial = syntheticDocument(ROWS, { name: `bench ${ROWS}` });
  const stats = newStats();
  const warm = 3000;
  const timedFrom = performance.now() + warm;
  const stop = { now: false };
  const t0 = performance.now();
  const pids = () => [...servers.map((s) => s.child.pid!), ...others()];
  const cpu0 = pids().map((p) => procCpu(p));
  const pg0 = localPostgresCpu();
  const clientCpu0 = process.cpuUsage();
  const killAtMs = Math.round((o.duration * 1000) / 2);
  const load = runReviewers({ bases: servers.map((s) => s.base), docId, reviewers: o.reviewers, ms: o.duration * 1000, seed: 11, think: o.think, stop, timedFrom }, stats);
  await sleep(killAtMs);
  const cpuAtKill = procCpu(servers[0].child.pid) - cpu0[0]!;
  servers[0].child.kill('SIGKILL');
  await load;
  const secs = (performance.now() - t0) / 1000;
  const cpuNow = pids().map((p, k) => (k === 0 ? cpuAtKill : procCpu(p) - cpu0[k]!));
  const pgCpu = pg0 === null ? null : (localPostgresCpu() ?? pg0) - pg0;
  const clientUsage = process.cpuUsage(clientCpu0);
  const cpu = `servers ${cpuNow
    .slice(0, 2)
    .map((c) => `${Math.round((c / secs) * 100)}%`)
    .join(' + ')}${cpuNow.length > 2 ? `, workers ${cpuNow.slice(2).map((c) => `${Math.round((c / secs) * 100)}%`).join(' + ')}` : ''}${pgCpu !== null && others().length ? `, PostgreSQL ${Math.round((pgCpu / secs) * 100)}%` : ''}, clients ${Math.round(((clientUsage.user + clientUsage.system) / 1e6 / secs) * 100)}% of a core`;
  await stopServer(servers[0]);
  const verified = await verify(servers[1].base, docId, initial, stats.accepted);
  const r0 = performance.now();
  const again = await restart();
  const restartMs = performance.now() - r0;
  const afterRestart = await verify(again.base, docId, initial, stats.accepted);
  return { stats, secs, killAtMs, verified, afterRestart, restartMs, cpu, integrity: await integrity() };
}

/**
 * CPU seconds of the PostgreSQL server on this machine, if it runs here: its processes' own, and
 * those of backends that ended (the postmaster's children's time). Null when there is none here.
 */
function localPostgresCpu(): number | null {
  let total = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((x) => /^\d+$/.test(x))) {
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue; // the process ended meanwhile
    }
    const postmaster = cmd.includes('/bin/postgres');
    if (!postmaster && !cmd.startsWith('postgres')) continue;
    const cpu = procCpu(pid, { children: postmaster });
    if (Number.isFinite(cpu)) {
      total += cpu;
      found = true;
    }
  }
  return found ? total : null;
}

/** A schema of its own in the database: the URL that selects it, and how to drop it (with pg-boss's). */
async function benchSchema(databaseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const schema = `bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(databaseUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; DROP SCHEMA IF EXISTS ${schema}_pgboss CASCADE`);
      await c.end();
    },
  };
}

export async function teamRun(o: TeamOptions): Promise<boolean> {
  let ok = true;
  const tmp = mkdtempSync(join(tmpdir(), 'bench-team-'));
  const emptyCorpus = join(tmp, 'empty-corpus');
  mkdirSync(emptyCorpus);
  const { url, drop } = await benchSchema(o.databaseUrl);
  const running: { child: ChildProcess }[] = [];
  const keep = <T extends { child: ChildProcess }>(x: T): T => {
    running.push(x);
    return x;
  };
  const rows: [string, string, string][] = [];
  try {
    // ── T1: PostgreSQL ──
    let pgStore: Store = await openPgStore(url, { max: 2 });
    const pgDoc = await pgStore.createDocument(syntheticDocument(ROWS, { name: `bench ${ROWS}` }), { author: 'bench' });
    await pgStore.close();
    const env = { DATABASE_URL: url, WORKERS: '0', CORPUS_DIR: emptyCorpus, DATA_DIR: join(tmp, 'unused') };
    const workers = [keep(await startWorker(o.root, url)), keep(await startWorker(o.root, url))];
    const pgServers: [Server, Server] = [keep(await startServer(o.root, env)), keep(await startServer(o.root, env))];
    o.log(`T1. PostgreSQL: servers ${pgServers.map((s) => s.base).join(', ')}, workers ${workers.map((w) => w.runner).join(', ')}; ${o.reviewers} reviewers for ${o.duration} s, kill -9 of the first server after ${o.duration / 2} s …`);
    const pgRun = await loadWithKill(
      o,
      pgServers,
      async () => {
        pgServers[0] = keep(await startServer(o.root, env));
        return pgServers[0];
      },
      pgDoc,
      async () => 'n/a (PostgreSQL: committed or not, per transaction)',
      () => workers.map((w) => w.child.pid!),
    );

    // ── T2: a 3 MB document aligned by a worker while the servers answer ──
    const texts = macDevTexts(o.macDev);
    let availability = 'skipped (no MAC-Dev: give --mac-dev DIR)';
    if (texts) {
      const big = { en: Array(10).fill(texts.en).join('\n\n'), zh: Array(10).fill(texts.zh).join('\n\n') };
      const mb = (Buffer.byteLength(big.en) + Buffer.byteLength(big.zh)) / 1024 / 1024;
      o.log(`T2. importing ${mb.toFixed(1)} MB through the second server (no workers of its own) while polling /healthz on both …`);
      const poller = await client(pgServers[0].base, 'poller');
      const importer = await client(pgServers[1].base, 'importer');
      const poll = (): Poll => ({ latencies: [], serverMs: [], errors: 0 });
      const during = [poll(), poll()];
      const idle = [poll(), poll()];
      let phase: 'warm-up' | 'idle' | 'job' | 'after' = 'warm-up';
      const stop = { now: false };
      const loops = pgServers.map((s, k) => pollLoop(`${s.base}/healthz`, poller.cookie, stop, () => (phase === 'job' ? during[k]! : phase === 'idle' ? idle[k]! : null)));
      await sleep(2000);
      phase = 'idle';
      await sleep(10_000);
      phase = 'job';
      const t0 = performance.now();
      const res = await fetch(`${pgServers[1].base}/api/documents`, {
        method: 'POST',
        headers: { cookie: importer.cookie, 'x-csrf-token': importer.token, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ name: 'MAC-Dev ×10', en: big.en, zh: big.zh, model: 'lexical' }),
      });
      const accepted = performance.now() - t0;
      const sub = (await res.json()) as { job?: { id: string }; error?: string };
      let job: { state: string; runner?: unknown; result: { documents?: { beads: number }[] } | null } = { state: `HTTP ${res.status}: ${sub.error ?? ''}`, result: null };
      // Bounded: 15 minutes.
      for (let i = 0; sub.job && i < 3600; i++) {
        job = (await (await fetch(`${pgServers[0].base}/api/jobs/${sub.job.id}`, { headers: { cookie: poller.cookie } })).json()) as typeof job;
        if (job.state !== 'queued' && job.state !== 'running') break;
        await sleep(250);
      }
      const wall = performance.now() - t0;
      phase = 'after';
      stop.now = true;
      await Promise.all(loops);
      // Which worker aligned it: the job's record names its runner (read from the store).
      pgStore = await openPgStore(url, { max: 1 });
      const runner = sub.job ? (await pgStore.getJob(sub.job.id))?.runner.id : undefined;
      await pgStore.close();
      const byWorker = workers.some((w) => w.runner === runner);
      const h = during.map((p) => p.latencies);
      const met = job.state === 'done' && byWorker && h.every((x) => percentile(x, 99) <= 100) && during.every((p) => p.errors === 0);
      if (!met) ok = false;
      availability =
        `${mb.toFixed(1)} MB (MAC-Dev ×10, ${(job.result?.documents?.[0]?.beads ?? 0).toLocaleString('en')} rows) submitted to server 2 (202 in ${oneDecimal(accepted)} ms), aligned by worker ${runner ?? '?'} ` +
        `(${byWorker ? 'a worker process with its own folder' : 'NOT a worker process'}) in ${(wall / 1000).toFixed(1)} s, state ${job.state}; ` +
        `/healthz every 50 ms meanwhile: ${h.map((x, k) => `server ${k + 1} ${x.length} requests p50 ${oneDecimal(percentile(x, 50))} / p99 ${oneDecimal(percentile(x, 99))} / max ${oneDecimal(Math.max(...x))} ms, errors ${during[k]!.errors}`).join('; ')}; ` +
        `10 s before with no job: p99 ${idle.map((p) => oneDecimal(percentile(p.latencies, 99))).join(' / ')} ms`;
    }
    for (const s of pgServers) await stopServer(s);
    for (const w of workers) await stopServer(w);

    // ── T3: SQLite, two servers on one DATA_DIR ──
    const dataDir = join(tmp, 'sqlite');
    const sqlite = openStore(dataDir);
    const sqliteDoc = await sqlite.createDocument(syntheticDocument(ROWS, { name: `bench ${ROWS}` }), { author: 'bench' });
    await sqlite.close();
    const senv = { DATABASE_URL: '', DATA_DIR: dataDir, CORPUS_DIR: emptyCorpus, WORKERS: '1' };
    const sqliteServers: [Server, Server] = [keep(await startServer(o.root, senv)), keep(await startServer(o.root, senv))];
    o.log(`T3. SQLite: servers ${sqliteServers.map((s) => s.base).join(', ')} on one DATA_DIR; the same load …`);
    const sqliteRun = await loadWithKill(
      o,
      sqliteServers,
      async () => {
        sqliteServers[0] = keep(await startServer(o.root, senv));
        return sqliteServers[0];
      },
      sqliteDoc,
      async () => {
        const db = new Database(join(dataDir, DB_FILE), { readonly: true });
        try {
          return String(db.pragma('integrity_check', { simple: true }));
        } finally {
          db.close();
        }
      },
      () => [],
    );
    for (const s of sqliteServers) await stopServer(s);

    // ── the table ──
    const line = (what: string, f: (r: LoadResult) => string): void => {
      rows.push([what, f(pgRun), f(sqliteRun)]);
    };
    const statuses = (r: LoadResult) => [...r.stats.byStatus.entries()].sort().map(([k, x]) => `${k}: ${x}`).join(', ');
    line('setup', (r) => (r === pgRun ? '2 app servers (WORKERS=0) + 2 worker processes' : '2 app servers on one DATA_DIR (1 job thread each)'));
    line('load', (r) => `${o.reviewers} reviewers × ${oneDecimal(r.secs)} s on ${ROWS} rows, think ${o.think} ms`);
    line('requests (timed, after 3 s warm-up)', (r) => `${r.stats.latencies.length} (${oneDecimal(r.stats.latencies.length / (r.secs - 3))}/s)`);
    line('statuses', statuses);
    line('accepted operations', (r) => String(r.stats.accepted.length));
    line('operation latency p50 / p95 (client)', (r) => `${oneDecimal(percentile(r.stats.opLatencies, 50))} / ${oneDecimal(percentile(r.stats.opLatencies, 95))} ms`);
    line('all requests p95; server-side p95', (r) => `${oneDecimal(percentile(r.stats.latencies, 95))} ms; ${oneDecimal(percentile(r.stats.serverMs, 95))} ms`);
    line('kill -9 of server 1', (r) => `after ${(r.killAtMs / 1000).toFixed(0)} s: ${r.stats.networkErrors} requests cut, ${r.stats.failovers} reviewers moved to server 2`);
    line('accepted operations lost', (r) => `${r.verified.missing} of ${r.stats.accepted.length}`);
    line('final state = replay of the history', (r) => (r.verified.replayEqual ? 'yes' : 'NO'));
    line('killed server restarted', (r) => `${Math.round(r.restartMs)} ms; lost ${r.afterRestart.missing}, replay ${r.afterRestart.replayEqual ? 'yes' : 'NO'}`);
    line('integrity', (r) => r.integrity);
    line('CPU', (r) => r.cpu);
    const widths = [0, 1, 2].map((k) => Math.max(...[['', 'PostgreSQL', 'SQLite'], ...rows].map((x) => x[k]!.length)));
    const fmt = (x: string[]) => `| ${x.map((c, k) => c.padEnd(widths[k]!)).join(' | ')} |`;
    o.say(`team deployment (${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}):`);
    o.say(fmt(['', 'PostgreSQL', 'SQLite']));
    o.say(fmt(widths.map((w) => '-'.repeat(w))));
    for (const r of rows) o.say(fmt(r));
    o.say(`T2. availability: ${availability}`);
    for (const r of [pgRun, sqliteRun]) {
      if ((r.stats.byStatus.get('5xx') ?? 0) > 0 || !r.verified.inHistory || !r.verified.replayEqual || !r.afterRestart.inHistory || !r.afterRestart.replayEqual) ok = false;
      if (r.integrity !== 'ok' && r === sqliteRun) ok = false;
    }
    if (!(percentile(pgRun.stats.opLatencies, 95) <= 50)) ok = false;
    return ok;
  } finally {
    for (const r of running) await stopServer(r, 'SIGKILL');
    await drop().catch((e: unknown) => o.log(`could not drop the bench schema: ${String(e)}`));
    rmSync(tmp, { recursive: true, force: true });
  }
}

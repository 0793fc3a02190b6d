/**
 * npm run bench:server [-- --quick]
 *
 * Measures the review server on generated documents (no aligner needed):
 *  0. store.apply() in process on a 2,000-row document (ms per operation, history bytes per op);
 *  a. the review page of a 2,000-row document: server-side time (Server-Timing) p50/p95;
 *  b. 20 simulated reviewers on loopback doing random operations on one 500-row document: status
 *     counts, latency p50/p95, every accepted operation in the history, final state = replay;
 *  c. kill -9 of the server under that load, restart: integrity_check, no accepted operation lost;
 *  d. start to usable page on the demo corpus (fresh DATA_DIR, first-start import);
 *  e. availability: /healthz and a review page polled every 50 ms while a 3 MB import and eight
 *     300 kB imports run as jobs (bench-availability.ts; MAC-Dev from ../shared/datasets).
 * With --database-url URL: the team deployment run instead (bench-team.ts): two app servers and two
 * workers on PostgreSQL under load with one server killed, a 3 MB import aligned by a worker, and the
 * same load on SQLite, side by side.
 * Prints the numbers on stdout, progress on stderr. Exit code 1 if an acceptance bound is missed.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { syntheticDocument } from '../server/review/index.js';
import { DB_FILE, openStore } from '../server/store/sqlite.js';
import { projectRoot } from '../server/web/app.js';
import { availabilityRun } from './bench-availability.js';
import { Client, newStats, oneDecimal, procCpu, randomOp, runReviewers, twoDecimals, verify } from './bench-load.js';
import { startServer, stopServer, type Server } from './server-process.js';
import { seededBelow } from './seeded-random.js';
import { percentile } from './bench-stats.js';
import { teamRun } from './bench-team.js';

const HELP = `Usage: npm run bench:server [-- options]

Benchmarks the review server on generated documents (loopback only).
  --quick            short run (5 s of load, 2 s before the kill, fewer page requests)
  --duration SEC     seconds of load with 20 reviewers (default 30)
  --reviewers N      simulated reviewers (default 20)
  --think MS         mean pause of a reviewer between operations (uniform 0…2×MS, default 100, and
                     1000 for --database-url; 0 = no pause: saturation, latency is then mostly queueing)
  --keep             keep the temporary data folder
  --availability     only run e. (the imports while polling)
  --mac-dev DIR      MAC-Dev for e. (default: ../shared/datasets/mac-dev beside the clone)
  --page-rows N      rows of the review page e. polls (default 100, a document like the demo corpus)
  --database-url URL only the team deployment run (bench-team.ts): two app servers and two job workers
                     on this PostgreSQL database (in a schema of their own, dropped afterwards), the
                     reviewers (default 40) for --duration s spread over both, one server killed with
                     kill -9 midway; a 3 MB import aligned by a worker while /healthz is polled; the
                     same load on SQLite (two servers on one DATA_DIR); a table of both
  --help             this text
`;

interface Args {
  quick: boolean;
  duration: number;
  reviewers: number;
  think: number;
  keep: boolean;
  availabilityOnly: boolean;
  macDev: string | null;
  pageRows: number;
  databaseUrl: string | null;
  reviewersSet: boolean;
  thinkSet: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, duration: 30, reviewers: 20, think: 100, keep: false, availabilityOnly: false, macDev: null, pageRows: 100, databaseUrl: null, reviewersSet: false, thinkSet: false };
  let durationSet = false;
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v <= 0) fail(`${x} needs a positive number`);
      return v;
    };
    if (x === '--help' || x === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    } else if (x === '--quick') a.quick = true;
    else if (x === '--duration') {
      a.duration = num();
      durationSet = true;
    } else if (x === '--reviewers') {
      a.reviewers = Math.round(num());
      a.reviewersSet = true;
    } else if (x === '--database-url') {
      const v = argv[++i];
      if (!v || !/^postgres(ql)?:\/\//.test(v)) fail('--database-url needs a postgres:// URL');
      a.databaseUrl = v;
    }
    else if (x === '--think') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) fail('--think needs a number ≥ 0');
      a.think = v;
      a.thinkSet = true;
    } else if (x === '--keep') a.keep = true;
    else if (x === '--availability') a.availabilityOnly = true;
    else if (x === '--page-rows') a.pageRows = Math.round(num());
    else if (x === '--mac-dev') {
      const v = argv[++i];
      if (!v) fail('--mac-dev needs a folder');
      a.macDev = v;
    }
    else fail(`unknown option ${x} (see --help)`);
  }
  if (a.quick && !durationSet) a.duration = 5;
  return a;
}

function fail(msg: string): never {
  process.stderr.write(`error: ${msg}\n`);
  process.exit(2);
}

const log = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/** The server with the store in DATA_DIR and the corpus folder given. */
function startServerIn(root: string, dataDir: string, corpusDir: string): Promise<Server> {
  return startServer(root, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir, DATABASE_URL: '' });
}

// ───────────────────────────── main ─────────────────────────────

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const root = projectRoot();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-server-'));
  const emptyCorpus = join(tmp, 'empty-corpus');
  mkdirSync(emptyCorpus);
  const out: string[] = [];
  const say = (s: string): void => {
    out.push(s);
    process.stdout.write(`${s}\n`);
  };
  let ok = true;
  const servers: Server[] = [];
  try {
    say(`bench:server ${args.quick ? '(quick) ' : ''}— node ${process.version}, ${new Date().toISOString()}`);
    const availability = async (): Promise<void> => {
      const macDev = args.macDev ?? join(root, '..', 'shared', 'datasets', 'mac-dev');
      const met = await availabilityRun({
        dataDir: join(tmp, 'availability'),
        macDev,
        pageRows: args.pageRows,
        start: async (dir) => {
          const s = await startServerIn(root, dir, emptyCorpus);
          servers.push(s);
          return s;
        },
        say,
        log,
      });
      if (!met) ok = false;
    };
    if (args.databaseUrl) {
      const met = await teamRun({
        root,
        databaseUrl: args.databaseUrl,
        macDev: args.macDev ?? join(root, '..', 'shared', 'datasets', 'mac-dev'),
        reviewers: args.reviewersSet ? args.reviewers : 40,
        duration: args.duration,
        // A reviewer acting about once a second (already faster than reading each row); --think 100 is the stress case.
        think: args.thinkSet ? args.think : 1000,
        say,
        log,
      });
      say(met ? 'all acceptance bounds met' : 'SOME ACCEPTANCE BOUNDS MISSED');
      process.exitCode = met ? 0 : 1;
      return;
    }
    if (args.availabilityOnly) {
      await availability();
      for (const s of servers) await stopServer(s);
      say(ok ? 'all acceptance bounds met' : 'SOME ACCEPTANCE BOUNDS MISSED');
      return;
    }

    // 0. store.apply in process
    {
      log('0. store.apply on a 2,000-row document …');
      const store = openStore(join(tmp, 'inproc'));
      const id = await store.createDocument(syntheticDocument(2000), { author: 'bench' });
      const r = seededBelow(7);
      const times: number[] = [];
      const byKind = new Map<string, number[]>();
      for (let i = 0; i < (args.quick ? 300 : 1000); i++) {
        const doc = await store.getDocument(id);
        const op = randomOp(doc, r, String(i));
        const t0 = performance.now();
        try {
          if (op === 'undo') await store.undo(id, { author: 'b' });
          else if (op === 'redo') await store.redo(id, { author: 'b' });
          else await store.apply(id, op, { author: 'b' });
          const dt = performance.now() - t0;
          times.push(dt);
          const kind = typeof op === 'string' ? op : op.kind;
          byKind.set(kind, [...(byKind.get(kind) ?? []), dt]);
        } catch {
          /* invalid random op: not timed */
        }
      }
      const kinds = [...byKind.entries()].sort((a, b) => b[1].length - a[1].length).map(([k, xs]) => `${k} ${twoDecimals(percentile(xs, 50))}/${twoDecimals(percentile(xs, 95))}`);
      const size = store.db.prepare("SELECT AVG(LENGTH(before) + LENGTH(after)) AS avg, MAX(LENGTH(before) + LENGTH(after)) AS max FROM history WHERE before IS NOT NULL").get() as { avg: number; max: number };
      await store.close();
      say(`0. store.apply, 2,000 rows: ${times.length} ops, p50 ${twoDecimals(percentile(times, 50))} ms, p95 ${twoDecimals(percentile(times, 95))} ms, max ${twoDecimals(Math.max(...times))} ms; history change ${Math.round(size.avg)} bytes/op on average (max ${size.max})`);
      say(`   per kind p50/p95 ms: ${kinds.join(', ')} (confirmAbove and its undo/redo touch up to every row)`);
      if (percentile(times, 95) > 10) ok = false;
    }

    // Documents for the server.
    const dataDir = join(tmp, 'data');
    const store = openStore(dataDir);
    const id2000 = await store.createDocument(syntheticDocument(2000, { name: 'bench 2000' }), { author: 'bench' });
    const initial500 = syntheticDocument(500, { name: 'bench 500' });
    const id500 = await store.createDocument(initial500, { author: 'bench' });
    await store.close();

    let server = await startServerIn(root, dataDir, emptyCorpus);
    servers.push(server);
    log(`server on ${server.base}`);

    // a. review page: the default view (first 500 rows) and all 2,000 rows on one page
    {
      const c = await Client.create(server.base, 'page bench');
      for (const [path, what] of [
        [`/documents/${id2000}`, 'review page GET /documents/:id (first page, 500 rows)'],
        [`/documents/${id2000}?page=all`, 'review page GET /documents/:id?page=all (2,000 rows)'],
      ] as const) {
        const n = args.quick ? 60 : 300;
        const server_ms: number[] = [];
        const client_ms: number[] = [];
        let bytes = 0;
        for (let i = 0; i < n + 10; i++) {
          const t0 = performance.now();
          const res = await fetch(`${server.base}${path}`, { headers: { cookie: c.cookie } });
          const body = await res.arrayBuffer();
          const dt = performance.now() - t0;
          if (!res.ok) {
            say(`a. ${what}: status ${res.status}`);
            ok = false;
            break;
          }
          if (i < 10) continue; // warm-up
          bytes = body.byteLength;
          client_ms.push(dt);
          const st = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
          if (st) server_ms.push(Number(st[1]));
        }
        say(`a. ${what}, 2,000-row document, ${n} requests, ${Math.round(bytes / 1024)} kB: server p50 ${oneDecimal(percentile(server_ms, 50))} ms, p95 ${oneDecimal(percentile(server_ms, 95))} ms (client incl. transfer p95 ${oneDecimal(percentile(client_ms, 95))} ms)`);
        if (!(percentile(server_ms, 95) <= 100)) ok = false;
      }
    }

    // b. 20 reviewers
    const accepted: { seq: number; kind: string }[] = [];
    {
      log(`b. ${args.reviewers} reviewers for ${args.duration} s (think ${args.think} ms) …`);
      const stats = newStats();
      const warm = args.quick ? 1500 : 3000;
      const timedFrom = performance.now() + warm;
      const t0 = performance.now();
      const cpu0 = { server: procCpu(server.child.pid), client: process.cpuUsage() };
      await runReviewers({ bases: [server.base], docId: id500, reviewers: args.reviewers, ms: args.duration * 1000, seed: 1, think: args.think, stop: { now: false }, timedFrom }, stats);
      const secs = (performance.now() - t0) / 1000;
      const serverCpu = (procCpu(server.child.pid) - cpu0.server) / secs;
      const clientUsage = process.cpuUsage(cpu0.client);
      const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / secs;
      const timedSecs = secs - warm / 1000;
      accepted.push(...stats.accepted);
      const v = await verify(server.base, id500, initial500, accepted);
      const statuses = [...stats.byStatus.entries()].sort().map(([k, x]) => `${k}: ${x}`).join(', ');
      say(
        `b. ${args.reviewers} reviewers × ${oneDecimal(secs)} s on 500 rows (first ${warm / 1000} s warm-up, not timed), think time ${args.think} ms mean: ${stats.latencies.length} timed requests (${oneDecimal(stats.latencies.length / timedSecs)}/s), ${stats.accepted.length} accepted ops; statuses {${statuses}}; ` +
          `latency (client, loopback) p50 ${oneDecimal(percentile(stats.latencies, 50))} / p95 ${oneDecimal(percentile(stats.latencies, 95))} ms, ops only p95 ${oneDecimal(percentile(stats.opLatencies, 95))} ms; ` +
          `server-side p50 ${oneDecimal(percentile(stats.serverMs, 50))} / p95 ${oneDecimal(percentile(stats.serverMs, 95))} ms; ` +
          `accepted ops in history: ${v.inHistory ? 'all' : `${v.missing} MISSING`} (${v.entries} entries); final state = replay: ${v.replayEqual ? 'yes' : 'NO'}; ` +
          `CPU: server ${Math.round(serverCpu * 100)}% of a core, simulated clients ${Math.round(clientCpu * 100)}%; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`,
      );
      if ((stats.byStatus.get('5xx') ?? 0) > 0 || percentile(stats.latencies, 95) > 50 || !v.inHistory || !v.replayEqual || stats.networkErrors > 0) ok = false;
    }

    // c. kill -9 under load
    {
      const window = args.quick ? 2000 : 6000;
      const killAt = Math.round(window * (0.4 + Math.random() * 0.4));
      log(`c. load again, kill -9 after ${killAt} ms …`);
      const stats = newStats();
      const stop = { now: false };
      const load = runReviewers({ bases: [server.base], docId: id500, reviewers: args.reviewers, ms: window * 2, seed: 2, think: args.think, stop, timedFrom: 0 }, stats);
      await new Promise((r) => setTimeout(r, killAt));
      server.child.kill('SIGKILL');
      stop.now = true;
      await load;
      await stopServer(server);
      accepted.push(...stats.accepted);
      const t0 = performance.now();
      server = await startServerIn(root, dataDir, emptyCorpus);
      servers.push(server);
      const restartMs = performance.now() - t0;
      const db = new Database(join(dataDir, DB_FILE), { readonly: true });
      const integrity = db.pragma('integrity_check', { simple: true });
      db.close();
      const v = await verify(server.base, id500, initial500, accepted);
      say(
        `c. kill -9 after ${killAt} ms of load (${stats.accepted.length} ops accepted in that phase, ${stats.networkErrors} requests cut): restart ${Math.round(restartMs)} ms, integrity_check ${String(integrity)}, ` +
          `accepted ops lost: ${v.missing} of ${accepted.length}; final state = replay: ${v.replayEqual ? 'yes' : 'NO'}`,
      );
      if (integrity !== 'ok' || !v.inHistory || !v.replayEqual) ok = false;
    }
    await stopServer(server);

    // d. first start on the demo corpus
    {
      log('d. first start with the demo corpus …');
      const fresh = join(tmp, 'fresh');
      const t0 = performance.now();
      const s = await startServerIn(root, fresh, join(root, 'corpus'));
      servers.push(s);
      let readyMs = NaN;
      let docs = 0;
      for (let i = 0; i < 600; i++) {
        const res = await fetch(`${s.base}/api/documents`);
        const list = (await res.json()) as { documents: unknown[] };
        if (list.documents.length > 0) {
          docs = list.documents.length;
          const page = await fetch(`${s.base}/`);
          await page.arrayBuffer();
          if (page.ok) {
            readyMs = performance.now() - t0;
            break;
          }
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      const again = performance.now();
      await stopServer(s);
      const s2 = await startServerIn(root, fresh, join(root, 'corpus'));
      servers.push(s2);
      const list = (await (await fetch(`${s2.base}/api/documents`)).json()) as { documents: unknown[] };
      say(
        `d. start (tsx) → listening ${Math.round(s.startedMs)} ms, demo corpus imported and documents page usable ${Math.round(readyMs)} ms (${docs} document); ` +
          `second start listening ${Math.round(s2.startedMs)} ms (${Math.round(performance.now() - again)} ms incl. stop), documents after restart: ${list.documents.length} (no duplicate)`,
      );
      if (!(readyMs <= 5000) || list.documents.length !== docs) ok = false;
      await stopServer(s2);
    }

    // e. availability while long imports run as jobs
    await availability();
    for (const s of servers) await stopServer(s);
    say(ok ? 'all acceptance bounds met' : 'SOME ACCEPTANCE BOUNDS MISSED');
  } finally {
    for (const s of servers) await stopServer(s, 'SIGKILL');
    if (args.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((e: unknown) => fail(e instanceof Error ? e.message : String(e)));

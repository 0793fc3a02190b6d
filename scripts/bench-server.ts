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
 * Prints the numbers on stdout, progress on stderr. Exit code 1 if an acceptance bound is missed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Database from 'better-sqlite3';
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../server/domain.js';
import { applyChange, replayHistory, syntheticDocument } from '../server/review/index.js';
import { DB_FILE, openStore } from '../server/store/sqlite.js';
import { projectRoot } from '../server/web/app.js';
import { availabilityRun } from './bench-availability.js';
import { percentile } from './bench-stats.js';

const HELP = `Usage: npm run bench:server [-- options]

Benchmarks the review server on generated documents (loopback only).
  --quick            short run (5 s of load, 2 s before the kill, fewer page requests)
  --duration SEC     seconds of load with 20 reviewers (default 30)
  --reviewers N      simulated reviewers (default 20)
  --think MS         mean pause of a reviewer between operations (uniform 0…2×MS, default 100;
                     0 = no pause: saturation, latency is then mostly queueing)
  --keep             keep the temporary data folder
  --availability     only run e. (the imports while polling)
  --mac-dev DIR      MAC-Dev for e. (default: ../shared/datasets/mac-dev beside the clone)
  --page-rows N      rows of the review page e. polls (default 100, a document like the demo corpus)
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
}

function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, duration: 30, reviewers: 20, think: 100, keep: false, availabilityOnly: false, macDev: null, pageRows: 100 };
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
    } else if (x === '--reviewers') a.reviewers = Math.round(num());
    else if (x === '--think') {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) fail('--think needs a number ≥ 0');
      a.think = v;
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

/** CPU seconds (user + system) used so far by a process, from /proc (Linux); NaN elsewhere. */
function procCpu(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

const oneDecimal = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const twoDecimals = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** A tiny seeded generator, so runs are comparable. */
function seededRandom(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) % n;
  };
}

function randomOp(doc: ReviewDocument, r: (n: number) => number, tag: string): ReviewOp | 'undo' | 'redo' {
  const b = doc.beads[r(doc.beads.length)]!;
  const side = r(2) ? 'source' : 'target';
  const k = r(100);
  if (k < 20) return { kind: 'confirm', beadId: b.id };
  if (k < 30) return { kind: 'merge', beadId: b.id };
  if (k < 40) return { kind: 'split', beadId: b.id, sourceAt: r(b.source.length + 1), targetAt: r(b.target.length + 1) };
  if (k < 47) return { kind: 'shiftUp', beadId: b.id, side };
  if (k < 54) return { kind: 'shiftDown', beadId: b.id, side };
  if (k < 58) return { kind: 'detach', beadId: b.id, side };
  if (k < 70) return { kind: 'editTarget', sentence: r(doc.target.sentences.length), text: `改动 ${tag} <b>&"` };
  if (k < 77) return { kind: 'flag', beadId: b.id };
  if (k < 84) return { kind: 'addIssue', beadId: b.id, category: 'Terminology', severity: 'minor', comment: `bench ${tag}` };
  if (k < 86) return { kind: 'unconfirm', beadId: b.id };
  if (k < 87) return { kind: 'confirmAbove', beadId: b.id };
  if (k < 95) return 'undo';
  return 'redo';
}

// ───────────────────────────── HTTP client ─────────────────────────────

class Client {
  cookie = '';
  token = '';
  constructor(readonly base: string) {}

  static async create(base: string, name: string): Promise<Client> {
    const c = new Client(base);
    const res = await fetch(`${base}/api/csrf`);
    c.cookie = (res.headers.getSetCookie?.() ?? []).map((x) => x.split(';')[0]).join('; ');
    c.token = ((await res.json()) as { token: string }).token;
    const r2 = await c.post('/reviewer', { name });
    const set = r2.headers.getSetCookie?.() ?? [];
    if (set.length) c.cookie = [c.cookie, ...set.map((x) => x.split(';')[0])].join('; ');
    await r2.arrayBuffer();
    return c;
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.base}${path}`, { headers: { cookie: this.cookie, accept: 'application/json' } });
  }

  post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-csrf-token': this.token, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

// ───────────────────────────── server child ─────────────────────────────

interface Server {
  child: ChildProcess;
  base: string;
  startedMs: number;
}

function startServer(root: string, dataDir: string, corpusDir: string): Promise<Server> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server/web/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, CORPUS_DIR: corpusDir },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 60 s: ${err}`)), 60_000);
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => {
      err += chunk;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve({ child, base: m[1]!, startedMs: performance.now() - t0 });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before listening: ${err}`));
    });
  });
}

function stopServer(s: Server, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    s.child.kill(signal);
  });
}

// ───────────────────────────── load ─────────────────────────────

interface LoadStats {
  /** Server-side time of each request (Server-Timing), without queueing in the client. */
  serverMs: number[];
  latencies: number[];
  opLatencies: number[];
  byStatus: Map<string, number>;
  accepted: { seq: number; kind: string }[];
  networkErrors: number;
}

function newStats(): LoadStats {
  return { serverMs: [], latencies: [], opLatencies: [], byStatus: new Map(), accepted: [], networkErrors: 0 };
}

async function runReviewers(base: string, docId: string, n: number, ms: number, stats: LoadStats, seed: number, stop: { now: boolean }, think: number): Promise<void> {
  const until = Date.now() + ms;
  const one = async (k: number): Promise<void> => {
    const r = seededRandom(seed * 1000 + k + 1);
    let client: Client;
    try {
      client = await Client.create(base, `reviewer ${k + 1}`);
    } catch {
      stats.networkErrors++;
      return;
    }
    let doc: ReviewDocument | null = null;
    let sinceRefresh = 0;
    for (let i = 0; i < 100_000 && Date.now() < until && !stop.now; i++) {
      try {
        if (!doc || sinceRefresh >= 6) {
          // Like the page script: catch up with the changes since the copy's revision, reload only
          // when there is no copy or the changes do not apply.
          const t0 = performance.now();
          const res = await client.get(doc ? `/api/documents/${docId}/history?since=${doc.revision}` : `/api/documents/${docId}`);
          const body = (await res.json()) as ReviewDocument | { revision: number; entries: HistoryEntry[] };
          if (t0 >= timedFrom) stats.latencies.push(performance.now() - t0);
          count(stats, res.status);
          serverTime(stats, res);
          if (doc && 'entries' in body) {
            try {
              for (const e of body.entries) if (e.before && e.after) doc = applyChange(doc, e.before, e.after);
              doc = { ...doc, revision: body.revision };
            } catch {
              doc = null;
              continue;
            }
          } else doc = body as ReviewDocument;
          sinceRefresh = 0;
        }
        if (think > 0) await new Promise((res) => setTimeout(res, r(2 * think + 1)));
        const op = randomOp(doc, r, `${k}.${i}`);
        const t0 = performance.now();
        const res =
          op === 'undo' || op === 'redo'
            ? await client.post(`/api/documents/${docId}/${op}`, { baseRevision: doc.revision })
            : await client.post(`/api/documents/${docId}/ops`, { op, baseRevision: doc.revision });
        const body = (await res.json()) as { entry?: HistoryEntry };
        const dt = performance.now() - t0;
        if (t0 >= timedFrom) {
          stats.latencies.push(dt);
          stats.opLatencies.push(dt);
        }
        count(stats, res.status);
        serverTime(stats, res);
        if (res.ok && body.entry) {
          stats.accepted.push({ seq: body.entry.seq, kind: body.entry.op.kind });
          sinceRefresh++;
        } else {
          sinceRefresh = 99; // refresh after a refusal
        }
      } catch {
        stats.networkErrors++;
        if (stop.now) return;
        await new Promise((res) => setTimeout(res, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: n }, (_, k) => one(k)));
}

/** Requests started before this time (warm-up: JIT, connections, first copies) are not timed. */
let timedFrom = 0;

function serverTime(stats: LoadStats, res: Response): void {
  if (performance.now() < timedFrom) return;
  const m = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
  if (m) stats.serverMs.push(Number(m[1]));
}

function count(stats: LoadStats, status: number): void {
  const key = status >= 500 ? '5xx' : String(status);
  stats.byStatus.set(key, (stats.byStatus.get(key) ?? 0) + 1);
}

async function verify(base: string, docId: string, initial: ReviewDocument, accepted: { seq: number; kind: string }[]): Promise<{ inHistory: boolean; missing: number; replayEqual: boolean; entries: number }> {
  const c = await Client.create(base, 'verifier');
  const history = ((await (await c.get(`/api/documents/${docId}/history`)).json()) as { entries: HistoryEntry[] }).entries;
  const doc = (await (await c.get(`/api/documents/${docId}`)).json()) as ReviewDocument;
  const bySeq = new Map(history.map((h) => [h.seq, h]));
  let missing = 0;
  for (const a of accepted) if (bySeq.get(a.seq)?.op.kind !== a.kind) missing++;
  const replayed = replayHistory(initial, history);
  const replayEqual =
    isDeepStrictEqual(replayed.beads, doc.beads) && isDeepStrictEqual(replayed.issues, doc.issues) && isDeepStrictEqual(replayed.target.sentences, doc.target.sentences) && replayed.revision === doc.revision;
  return { inHistory: missing === 0, missing, replayEqual, entries: history.length - 1 };
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
          const s = await startServer(root, dir, emptyCorpus);
          servers.push(s);
          return s;
        },
        say,
        log,
      });
      if (!met) ok = false;
    };
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
      const r = seededRandom(7);
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

    let server = await startServer(root, dataDir, emptyCorpus);
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
      timedFrom = performance.now() + warm;
      const t0 = performance.now();
      const cpu0 = { server: procCpu(server.child.pid), client: process.cpuUsage() };
      await runReviewers(server.base, id500, args.reviewers, args.duration * 1000, stats, 1, { now: false }, args.think);
      const secs = (performance.now() - t0) / 1000;
      const serverCpu = (procCpu(server.child.pid) - cpu0.server) / secs;
      const clientUsage = process.cpuUsage(cpu0.client);
      const clientCpu = (clientUsage.user + clientUsage.system) / 1e6 / secs;
      const timedSecs = secs - warm / 1000;
      timedFrom = 0;
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
      const load = runReviewers(server.base, id500, args.reviewers, window * 2, stats, 2, stop, args.think);
      await new Promise((r) => setTimeout(r, killAt));
      server.child.kill('SIGKILL');
      stop.now = true;
      await load;
      await stopServer(server);
      accepted.push(...stats.accepted);
      const t0 = performance.now();
      server = await startServer(root, dataDir, emptyCorpus);
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
      const s = await startServer(root, fresh, join(root, 'corpus'));
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
      const s2 = await startServer(root, fresh, join(root, 'corpus'));
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

/**
 * The availability run of `npm run bench:server` (issue 12): while a ~3 MB document (MAC-Dev
 * concatenated ten times, both sides) and eight ~300 kB documents (MAC-Dev once each) are imported
 * through the API as jobs, `GET /healthz` and a review page are polled every 50 ms each. Prints
 * p50/p99/max of both (client side, loopback) during the imports and the jobs' wall times; the
 * bound is p99 ≤ 100 ms for both. The MAC-Dev files are read from ../shared/datasets/mac-dev (the
 * evaluation data beside the clone; benchmarks may read it, tests may not).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { syntheticDocument } from '../server/review/index.js';
import { openStore } from '../server/store/sqlite.js';
import { percentile } from './bench-stats.js';

export interface ServerLike {
  base: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');

/** MAC-Dev's chapters joined into one text per side (null when the data set is not there). */
export function macDevTexts(dir: string): { zh: string; en: string } | null {
  if (!existsSync(join(dir, 'zh')) || !existsSync(join(dir, 'en'))) return null;
  const side = (lang: string) =>
    readdirSync(join(dir, lang))
      .filter((f) => f.endsWith('.txt'))
      .sort()
      .map((f) => readFileSync(join(dir, lang, f), 'utf8').trim())
      .join('\n\n');
  return { zh: side('zh'), en: side('en') };
}

/** A client with its own cookies, CSRF token and reviewer name (jobs are limited per reviewer). */
export async function client(base: string, name: string): Promise<{ cookie: string; token: string }> {
  const res = await fetch(`${base}/api/csrf`);
  let cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const token = ((await res.json()) as { token: string }).token;
  const r2 = await fetch(`${base}/reviewer`, { method: 'POST', headers: { cookie, 'x-csrf-token': token, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ name }) });
  await r2.arrayBuffer();
  cookie = [cookie, ...(r2.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0])].join('; ');
  return { cookie, token };
}

export interface Poll {
  latencies: number[];
  serverMs: number[];
  errors: number;
}

/** GETs `url` every 50 ms (after each answer) until `stop`, at most 20,000 times; keeps each sample in the Poll `into()` names (none: not kept). */
export async function pollLoop(url: string, cookie: string, stop: { now: boolean }, into: () => Poll | null): Promise<void> {
  for (let i = 0; i < 20_000 && !stop.now; i++) {
    const t0 = performance.now();
    try {
      const res = await fetch(url, { headers: { cookie } });
      await res.arrayBuffer();
      const dt = performance.now() - t0;
      const out = into();
      if (out) {
        if (!res.ok) out.errors++;
        out.latencies.push(dt);
        const st = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
        if (st) out.serverMs.push(Number(st[1]));
      }
    } catch {
      const out = into();
      if (out) out.errors++;
    }
    await sleep(50);
  }
}

/**
 * Runs the availability measurement on a server started by `start(dataDir)` (the caller stops it).
 * Returns whether the bound (p99 ≤ 100 ms for both) was met.
 */
export async function availabilityRun(opts: {
  dataDir: string;
  macDev: string;
  /** Rows of the polled review page's document (the demo corpus has 92). */
  pageRows: number;
  start: (dataDir: string) => Promise<ServerLike>;
  say: (line: string) => void;
  log: (line: string) => void;
}): Promise<boolean> {
  const texts = macDevTexts(opts.macDev);
  if (!texts) {
    opts.say(`e. availability: skipped (no MAC-Dev at ${opts.macDev}; give --mac-dev DIR)`);
    return true;
  }
  const store = openStore(opts.dataDir);
  const pageDoc = await store.createDocument(syntheticDocument(opts.pageRows, { name: 'polled page' }), { author: 'bench' });
  await store.close();
  const server = await opts.start(opts.dataDir);
  const big = { en: Array(10).fill(texts.en).join('\n\n'), zh: Array(10).fill(texts.zh).join('\n\n') };
  const kb = (t: { en: string; zh: string }) => (Buffer.byteLength(t.en) + Buffer.byteLength(t.zh)) / 1024;
  opts.log(`e. availability: importing ${ms(kb(big) / 1024)} MB and 8 × ${Math.round(kb(texts))} kB while polling …`);

  const poller = await client(server.base, 'poller');
  const importers = await Promise.all(Array.from({ length: 9 }, (_, k) => client(server.base, `importer ${k + 1}`)));
  const poll = (): Poll => ({ latencies: [], serverMs: [], errors: 0 });
  const health = poll();
  const page = poll();
  const idle = { health: poll(), page: poll() };
  const stop = { now: false };
  let phase: 'warm-up' | 'idle' | 'jobs' | 'after' = 'warm-up';
  const pick = (during: Poll, before: Poll) => () => (phase === 'jobs' ? during : phase === 'idle' ? before : null);
  const loops = [
    pollLoop(`${server.base}/healthz`, poller.cookie, stop, pick(health, idle.health)),
    pollLoop(`${server.base}/documents/${pageDoc}`, poller.cookie, stop, pick(page, idle.page)),
  ];
  await sleep(2000); // warm-up (JIT, connections), not timed
  // The same polling without any job first: what this machine gives anyway (it may be shared).
  phase = 'idle';
  await sleep(10_000);

  phase = 'jobs';
  const t0 = performance.now();
  const bodies = [{ name: 'MAC-Dev ×10', ...big }, ...Array.from({ length: 8 }, (_, k) => ({ name: `MAC-Dev copy ${k + 1}`, ...texts }))];
  const jobs = await Promise.all(
    bodies.map(async (b, k) => {
      const c = importers[k]!;
      const sent = performance.now();
      const res = await fetch(`${server.base}/api/documents`, {
        method: 'POST',
        headers: { cookie: c.cookie, 'x-csrf-token': c.token, 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ name: b.name, en: b.en, zh: b.zh, model: 'lexical' }),
      });
      const body = (await res.json()) as { job?: { id: string }; error?: string };
      return { name: b.name, sent, status: res.status, accepted: performance.now() - sent, id: body.job?.id ?? null, error: body.error };
    }),
  );
  const results: { name: string; wall: number; state: string; rows: number; accepted: number }[] = [];
  await Promise.all(
    jobs.map(async (j) => {
      if (!j.id) {
        results.push({ name: j.name, wall: NaN, state: `HTTP ${j.status}: ${j.error ?? ''}`, rows: 0, accepted: j.accepted });
        return;
      }
      // Bounded: 10 minutes per job.
      for (let i = 0; i < 2400; i++) {
        const res = await fetch(`${server.base}/api/jobs/${j.id}`, { headers: { cookie: poller.cookie } });
        const job = (await res.json()) as { state: string; result: { documents?: { beads: number }[] } | null };
        if (job.state !== 'queued' && job.state !== 'running') {
          results.push({ name: j.name, wall: performance.now() - j.sent, state: job.state, rows: job.result?.documents?.[0]?.beads ?? 0, accepted: j.accepted });
          return;
        }
        await sleep(250);
      }
      results.push({ name: j.name, wall: NaN, state: 'timeout', rows: 0, accepted: j.accepted });
    }),
  );
  const makespan = performance.now() - t0;
  phase = 'after';
  stop.now = true;
  await Promise.all(loops);

  const h = health.latencies;
  const p = page.latencies;
  const bigJob = results.find((r) => r.name === 'MAC-Dev ×10')!;
  const small = results.filter((r) => r.name !== 'MAC-Dev ×10');
  const walls = small.map((r) => r.wall).sort((a, b) => a - b);
  const allDone = results.every((r) => r.state === 'done');
  opts.say(
    `e. availability while importing ${ms(kb(big) / 1024)} MB (MAC-Dev ×10, ${bigJob.rows.toLocaleString('en')} rows) and 8 × ${Math.round(kb(texts))} kB (MAC-Dev) through the API ` +
      `(${importers.length} reviewers, ${availableParallelism()} cores, job workers = cores − 1, at least 1; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}):`,
  );
  opts.say(`   GET /healthz every 50 ms: ${h.length} requests, p50 ${ms(percentile(h, 50))} / p99 ${ms(percentile(h, 99))} / max ${ms(Math.max(...h))} ms, errors ${health.errors}`);
  opts.say(
    `   GET /documents/:id (${opts.pageRows} rows) every 50 ms: ${p.length} requests, p50 ${ms(percentile(p, 50))} / p99 ${ms(percentile(p, 99))} / max ${ms(Math.max(...p))} ms (server side p99 ${ms(percentile(page.serverMs, 99))} ms), errors ${page.errors}`,
  );
  const hi = idle.health.latencies;
  const pi = idle.page.latencies;
  opts.say(`   the same polling for 10 s before, with no job: /healthz p50 ${ms(percentile(hi, 50))} / p99 ${ms(percentile(hi, 99))} ms, review page p50 ${ms(percentile(pi, 50))} / p99 ${ms(percentile(pi, 99))} ms`);
  opts.say(
    `   jobs: 202 answers in ${ms(Math.min(...results.map((r) => r.accepted)))}–${ms(Math.max(...results.map((r) => r.accepted)))} ms; wall time (submit → done) 3 MB ${(bigJob.wall / 1000).toFixed(1)} s; ` +
      `300 kB min ${(walls[0]! / 1000).toFixed(1)} / median ${(percentile(walls, 50) / 1000).toFixed(1)} / max ${(walls.at(-1)! / 1000).toFixed(1)} s; all nine done after ${(makespan / 1000).toFixed(1)} s; ` +
      `states ${[...new Set(results.map((r) => r.state))].join(', ')}`,
  );
  return allDone && percentile(h, 99) <= 100 && percentile(p, 99) <= 100 && health.errors === 0 && page.errors === 0;
}

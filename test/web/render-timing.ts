/**
 * Measures the server-side render time of the review page for a 2,000-bead document (not a test:
 * prints numbers). Run: npx tsx test/web/render-timing.ts [beads] [requests]
 * Server side = from the request entering the app to res.end with the whole page (store read, QA
 * markers, view model, EJS), wall clock and the process's CPU time in that window (the CPU time does
 * not count time the machine gave to other processes; on a shared machine the wall-clock p95 does). Also prints the client's round trip on loopback (same process, so it adds
 * the client's own work). Default page (500 rows), ?page=all (every row) and a filter, after one
 * warm-up request each (it fills the template and QA caches).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { createApp } from '../../server/web/app.js';
import { openStore } from '../../server/store/sqlite.js';
import { makeDoc } from './fixtures.js';

const beads = Number(process.argv[2] ?? 2000);
const n = Number(process.argv[3] ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'render-timing-'));
const store = openStore(join(dir, 'data'));
const id = store.createDocument(makeDoc(beads), { author: 'bench' });
// Some state so every branch of the row template runs.
store.apply(id, { kind: 'confirmAbove', beadId: 'b300' }, { author: 'bench' });
store.apply(id, { kind: 'flag', beadId: 'b400' }, { author: 'bench' });
store.apply(id, { kind: 'addIssue', beadId: 'b401', category: 'Terminology', severity: 'minor', comment: 'x' }, { author: 'bench' });
store.apply(id, { kind: 'editTarget', sentence: 5, text: '改过的句子。' }, { author: 'bench' });
const inner = createApp({ store, dataDir: join(dir, 'data'), corpusDir: join(dir, 'corpus') }, { log: false });
let serverTimes: number[] = [];
let serverCpu: number[] = [];
const app = express();
app.use((_req, res, next) => {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  // Server side = until the app hands the whole body to Node (res.end), not until the client read it.
  const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
  res.end = ((...args: unknown[]) => {
    serverTimes.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    serverCpu.push((c.user + c.system) / 1000);
    return end(...args);
  }) as typeof res.end;
  next();
});
app.use(inner);
const server = app.listen(0, '127.0.0.1');
await new Promise((r) => server.once('listening', r));
const port = (server.address() as AddressInfo).port;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

for (const query of ['', '?page=all', '?filter=unconfirmed&below=0.5']) {
  const url = `http://127.0.0.1:${port}/docs/${id}${query}`;
  let bytes = 0;
  const times: number[] = [];
  serverTimes = [];
  serverCpu = [];
  for (let i = 0; i <= n; i++) {
    const t0 = performance.now();
    const res = await fetch(url);
    const body = await res.text();
    const dt = performance.now() - t0;
    if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
    bytes = body.length;
    if (i > 0) times.push(dt); // first request warms the template cache
  }
  const srv = serverTimes.slice(1);
  const cpu = serverCpu.slice(1);
  console.log(
    `${beads} beads GET /docs/:id${query || ' (page 1 of 500 rows)'}: server p50 ${pct(srv, 50).toFixed(1)} ms, p95 ${pct(srv, 95).toFixed(1)} ms, max ${Math.max(...srv).toFixed(1)} ms (CPU p50 ${pct(cpu, 50).toFixed(1)}, p95 ${pct(cpu, 95).toFixed(1)} ms)` +
      ` | round trip p50 ${pct(times, 50).toFixed(1)} ms, p95 ${pct(times, 95).toFixed(1)} ms | ${(bytes / 1024).toFixed(0)} KiB, n=${n}`,
  );
}
server.close();
store.close();
rmSync(dir, { recursive: true, force: true });

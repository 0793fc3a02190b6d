/**
 * The door: limits and timeouts before any body is read. A client announcing a huge body is answered
 * 413 and its connection closed at once; a body that does not arrive is answered 408 and closed
 * within the request timeout; a foreign Origin or a bad CSRF header is refused before the body; the
 * server keeps answering meanwhile; no refused request stores anything (checked in the database).
 * Loopback only; every loop is bounded in count and time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { shownMessage } from '../../server/web/errors.js';
import { httpServer } from '../../server/web/security.js';

const REQUEST_TIMEOUT = 2_500;
let dir: string;
let store: SqliteStore;
let server: Server;
let port: number;
let cookie: string;
let token: string;
let app: ReturnType<typeof createApp>;

/** Rows of every table a request could write to. */
function counts(): Record<string, number> {
  const n = (t: string) => (store.db.prepare(`SELECT COUNT(*) AS n FROM ${t}`).get() as { n: number }).n;
  return Object.fromEntries(['documents', 'history', 'jobs', 'glossaries', 'glossary_entries', 'issues'].map((t) => [t, n(t)]));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'door-test-'));
  store = openStore(dir);
  app = createApp({ store, corpusDir: join(dir, 'none') }, { log: false });
  server = httpServer(app, { requestTimeout: REQUEST_TIMEOUT, headersTimeout: 2_000 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
  const res = await fetch(`http://127.0.0.1:${port}/api/csrf`);
  cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  token = ((await res.json()) as { token: string }).token;
  await store.createGlossary({ name: 'g', entries: [] }, { author: 't' });
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
  await (app.locals.jobs as { close(): Promise<void> }).close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Outcome {
  status: number;
  closedMs: number;
}

/** Sends `head` (and `body`), never the rest; resolves with the status line and when the server closed. */
function stalled(head: string, body = ''): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const s: Socket = connect(port, '127.0.0.1');
    let data = '';
    const guard = setTimeout(() => {
      s.destroy();
      reject(new Error(`connection still open after ${REQUEST_TIMEOUT + 5000} ms: ${data.slice(0, 80)}`));
    }, REQUEST_TIMEOUT + 5000);
    s.setEncoding('utf8');
    s.on('data', (c: string) => {
      data += c;
    });
    s.on('error', () => undefined); // a reset after the answer counts as closed
    s.on('close', () => {
      clearTimeout(guard);
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), closedMs: performance.now() - t0 });
    });
    s.write(head + body);
  });
}

const headers = (path: string, length: number, extra = ''): string =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: ${cookie}\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${extra}\r\n`;

/** /healthz latencies while `during` runs (polled every 50 ms, at most 200 times). */
async function healthWhile<T>(during: Promise<T>): Promise<{ result: T; latencies: number[] }> {
  const latencies: number[] = [];
  let done = false;
  const poll = (async () => {
    for (let i = 0; i < 200 && !done; i++) {
      const t0 = performance.now();
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      await r.arrayBuffer();
      expect(r.status).toBe(200);
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  const result = await during;
  done = true;
  await poll;
  return { result, latencies };
}

describe('limits and timeouts at the door', () => {
  it('200 connections announcing 1 GB bodies are each answered 413 and closed at once, while the server answers others', async () => {
    const before = counts();
    const { result, latencies } = await healthWhile(
      Promise.all(Array.from({ length: 200 }, (_, k) => stalled(headers(k % 2 ? '/api/documents' : '/api/documents/x/ops', 1024 ** 3, `x-csrf-token: ${token}\r\n`), '{"'))),
    );
    expect(result.every((o) => o.status === 413)).toBe(true);
    const slowest = Math.max(...result.map((o) => o.closedMs));
    expect(slowest).toBeLessThan(REQUEST_TIMEOUT);
    expect(latencies.length).toBeGreaterThan(0);
    expect(counts()).toEqual(before);
  });

  it('a body that does not arrive is answered 408 and closed within the request timeout; others are served meanwhile', async () => {
    const before = counts();
    const { result, latencies } = await healthWhile(
      Promise.all(Array.from({ length: 20 }, () => stalled(headers('/api/documents', 1_000_000, `x-csrf-token: ${token}\r\n`), '{"name":'))),
    );
    for (const o of result) {
      expect(o.status).toBe(408);
      // The timeout, plus Node's check of expired connections (every second).
      expect(o.closedMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT - 100);
      expect(o.closedMs).toBeLessThan(REQUEST_TIMEOUT + 1500);
    }
    expect(latencies.length).toBeGreaterThan(10);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(counts()).toEqual(before);
  });

  it('refuses a bad CSRF header, a foreign Origin and a missing token before reading the body, and closes', async () => {
    const before = counts();
    const bad = await stalled(headers('/api/documents', 5_000_000, 'x-csrf-token: nope\r\n'), '{"name":');
    expect(bad.status).toBe(403);
    expect(bad.closedMs).toBeLessThan(REQUEST_TIMEOUT);
    const foreign = await stalled(headers('/api/documents', 5_000_000, `x-csrf-token: ${token}\r\nOrigin: http://evil.example\r\n`), '{"name":');
    expect(foreign.status).toBe(403);
    const nul = await stalled(headers('/api/documents', 5_000_000, `x-csrf-token: ${token}\r\nOrigin: null\r\n`), '{"name":');
    expect(nul.status).toBe(403);
    // No cookie at all: no token can be right, the body is not waited for.
    const fresh = await stalled(`POST /api/documents HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n`, '{"');
    expect(fresh.status).toBe(403);
    expect(counts()).toEqual(before);
  });

  it('takes a same-origin POST; takes the _csrf query parameter only on multipart uploads', async () => {
    const agent = request.agent(app);
    const t = ((await agent.get('/api/csrf')).body as { token: string }).token;
    const host = '127.0.0.1:9';
    await agent.post('/reviewer').set('Host', host).set('Origin', `http://${host}`).type('form').send({ _csrf: t, name: 'Same Origin' }).expect(303);
    const before = counts();
    await agent.post(`/reviewer?_csrf=${encodeURIComponent(t)}`).type('form').send({ name: 'Query Token' }).expect(403);
    await agent.post(`/api/glossaries?_csrf=${encodeURIComponent(t)}`).send({ name: 'via query' }).expect(403);
    expect(counts()).toEqual(before);
    // A multipart upload: the token in the query is checked before the upload is read.
    const ok = await agent.post(`/import?_csrf=${encodeURIComponent(t)}`).field('name', '').field('sourceText', '').field('targetText', '').expect(422);
    expect(ok.text).toContain('Name: please give the document a name.');
    await agent.post('/import?_csrf=wrong').field('name', 'x').expect(403);
    expect(counts()).toEqual(before);
  });

  it('says no absolute path of the machine, and does not echo a long id in a 404', async () => {
    expect(shownMessage(`cannot read ${process.cwd()}/qa.config.json`, 503)).toBe('cannot read qa.config.json');
    const long = 'd'.repeat(60);
    const res = await request(app).get(`/api/documents/${long}`).expect(404);
    expect((res.body as { error: string }).error).not.toContain(long);
    const page = await request(app).get(`/nothing/${'x'.repeat(300)}`).set('Accept', 'text/html').expect(404);
    expect(page.text).not.toContain('x'.repeat(100));
    expect(page.text).not.toContain(dir);
  });
});

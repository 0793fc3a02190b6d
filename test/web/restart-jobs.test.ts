/**
 * A job interrupted by a restart (issue 12): the server is killed with SIGKILL while an import runs
 * in its worker thread; after the restart the job is marked failed with a message saying so, and no
 * document (not a part of one) was stored. Loopback only; every wait is bounded.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../../scripts/server-process.js';
import { DB_FILE } from '../../server/store/sqlite.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const running: ChildProcess[] = [];

async function start(dataDir: string, corpusDir: string): Promise<Server> {
  const s = await startServer(ROOT, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir, WORKERS: '1' });
  running.push(s.child);
  return s;
}

const dir = mkdtempSync(join(tmpdir(), 'restart-jobs-'));
afterAll(async () => {
  for (const c of running) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('a restart during a job', () => {
  it('marks the interrupted job failed with a message; nothing of it is stored', async () => {
    mkdirSync(join(dir, 'corpus'));
    const data = join(dir, 'data');
    const first = await start(data, join(dir, 'corpus'));
    const res = await fetch(`${first.base}/api/csrf`);
    const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
    const token = ((await res.json()) as { token: string }).token;
    // Long enough to be caught running (about a second or more with the lexical model).
    const en = Array.from({ length: 3000 }, (_, i) => `The delegation number ${i} met the ministers in Moscow.`).join(' ');
    const zh = Array.from({ length: 3000 }, (_, i) => `第${i}号代表团在莫斯科会见了部长们。`).join('');
    const sub = await fetch(`${first.base}/api/documents`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': token, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'interrupted', en, zh, model: 'lexical' }),
    });
    expect(sub.status).toBe(202);
    const jobUrl = sub.headers.get('location')!;
    let state = '';
    for (let i = 0; i < 600 && state !== 'running'; i++) {
      state = ((await (await fetch(`${first.base}${jobUrl}`)).json()) as { state: string }).state;
      if (state !== 'running') await new Promise((r) => setTimeout(r, 20));
    }
    expect(state).toBe('running');
    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));

    const second = await start(data, join(dir, 'corpus'));
    const job = (await (await fetch(`${second.base}${jobUrl}`)).json()) as { state: string; message: string };
    expect(job.state).toBe('failed');
    expect(job.message).toMatch(/^interrupted: the server process running this job stopped.*nothing of it was stored/);
    const db = new Database(join(data, DB_FILE), { readonly: true });
    try {
      expect((db.prepare('SELECT COUNT(*) AS n FROM documents').get() as { n: number }).n).toBe(0);
      expect((db.prepare('SELECT COUNT(*) AS n FROM sentences').get() as { n: number }).n).toBe(0);
      expect((db.prepare('SELECT COUNT(*) AS n FROM beads').get() as { n: number }).n).toBe(0);
    } finally {
      db.close();
    }
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  }, 90_000);
});

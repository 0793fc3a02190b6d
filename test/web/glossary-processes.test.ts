/**
 * Glossary edits from two server processes on one DATA_DIR (issue 12): every accepted edit is in
 * the database, none lost (the file glossary lost 15 of 260). Both servers start at once on a fresh
 * DATA_DIR and import the starter glossary once between them. Edits of the same entry from both are
 * either applied or refused with 409, never silently overwritten. Loopback only, bounded loops.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Server } from '../../scripts/server-process.js';
import { DB_FILE } from '../../server/store/sqlite.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const EDITS_PER_SERVER = 110;

const start = (dataDir: string, corpusDir: string): Promise<Server> => startServer(ROOT, { DATA_DIR: dataDir, CORPUS_DIR: corpusDir, WORKERS: '1' });

let dir: string;
const servers: Server[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'glossary-procs-'));
  mkdirSync(join(dir, 'corpus'));
  // Both at once on a fresh DATA_DIR: migrations and the starter glossary happen once.
  servers.push(...(await Promise.all([start(join(dir, 'data'), join(dir, 'corpus')), start(join(dir, 'data'), join(dir, 'corpus'))])));
}, 60_000);
afterAll(async () => {
  const stop = (s: Server) =>
    new Promise<void>((r) => {
      if (s.child.exitCode !== null) return r();
      s.child.once('exit', () => r());
      s.child.kill('SIGTERM');
    });
  await Promise.all(servers.map(stop));
  rmSync(dir, { recursive: true, force: true });
});

async function client(base: string): Promise<{ post: (path: string, body: unknown, method?: string) => Promise<Response> }> {
  const res = await fetch(`${base}/api/csrf`);
  let cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const token = ((await res.json()) as { token: string }).token;
  const post = (path: string, body: unknown, method = 'POST') =>
    fetch(`${base}${path}`, { method, headers: { cookie, 'x-csrf-token': token, 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  // A reviewer name per server, so the history says who did what.
  const named = await post('/reviewer', { name: `editor at ${base}` });
  await named.arrayBuffer();
  cookie = [cookie, ...(named.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0])].join('; ');
  return { post };
}

describe('glossary edits from two server processes on one DATA_DIR', () => {
  it(`${2 * EDITS_PER_SERVER} adds and concurrent edits of one entry: none lost, conflicts refused with 409`, async () => {
    const list = (await (await fetch(`${servers[0]!.base}/api/glossaries`)).json()) as { glossaries: { id: number; name: string; entries: number; isDefault: boolean }[] };
    // The starter glossary, imported once although both servers started together.
    expect(list.glossaries.filter((g) => g.name.endsWith('(starter)'))).toHaveLength(1);
    const starter = list.glossaries[0]!;
    const clients = await Promise.all(servers.map((s) => client(s.base)));
    const accepted: string[] = [];
    let refused = 0;
    // Both servers at once, 10 requests in flight on each.
    await Promise.all(
      clients.map(async (c, k) => {
        for (let i = 0; i < EDITS_PER_SERVER; i += 10) {
          await Promise.all(
            Array.from({ length: Math.min(10, EDITS_PER_SERVER - i) }, async (_, j) => {
              const english = `Term ${k}-${i + j}`;
              const r = await c.post(`/api/glossaries/${starter.id}/entries`, { english, accepted: `术语${k}${i + j}` });
              await r.arrayBuffer();
              if (r.status === 201) accepted.push(english);
              else refused++;
            }),
          );
        }
      }),
    );
    expect(refused).toBe(0);
    expect(accepted).toHaveLength(2 * EDITS_PER_SERVER);

    // One entry edited from both servers, each against the revision it read: one wins per revision.
    const entry = ((await (await fetch(`${servers[1]!.base}/api/glossaries/${starter.id}`)).json()) as { entryList: { id: number; revision: number; english: string[] }[] }).entryList.at(-1)!;
    const outcomes = await Promise.all(
      clients.flatMap((c, k) =>
        Array.from({ length: 5 }, async (_, j) => {
          const r = await c.post(`/api/glossaries/${starter.id}/entries/${entry.id}`, { english: entry.english.join('|'), accepted: `改${k}${j}`, revision: entry.revision }, 'PUT');
          await r.arrayBuffer();
          return r.status;
        }),
      ),
    );
    expect(outcomes.filter((s) => s === 200)).toHaveLength(1);
    expect(outcomes.filter((s) => s === 409)).toHaveLength(9);

    // In the database: every accepted add, the one accepted update, each recorded once.
    const db = new Database(join(dir, 'data', DB_FILE), { readonly: true });
    try {
      const rows = db.prepare('SELECT english FROM glossary_entries WHERE glossary_id = ?').all(starter.id) as { english: string }[];
      const stored = new Set(rows.map((r) => (JSON.parse(r.english) as string[])[0]));
      const lost = accepted.filter((e) => !stored.has(e));
      expect(lost).toEqual([]);
      expect(rows.length).toBe(starter.entries + accepted.length);
      const adds = (db.prepare("SELECT COUNT(*) AS n FROM glossary_history WHERE glossary_id = ? AND action = 'add'").get(starter.id) as { n: number }).n;
      const updates = db.prepare("SELECT author FROM glossary_history WHERE glossary_id = ? AND action = 'update'").all(starter.id) as { author: string }[];
      expect(adds).toBe(accepted.length);
      expect(updates).toHaveLength(1);
      expect(updates[0]!.author).toMatch(/^editor at http:\/\/127\.0\.0\.1:\d+$/);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});

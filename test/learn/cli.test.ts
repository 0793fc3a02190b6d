/**
 * The learnt table on the command line: `align`, `eval` and `export --src/--tgt` read the store in
 * --data-dir (or DATA_DIR) when there is one and say what they used; --no-learned and --project;
 * `learn` rebuilds it; `export --import FILE.tmx --confirmed` stores the units as confirmed rows.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { align } from '../../scripts/align.js';
import { evaluate } from '../../scripts/eval.js';
import { exportCommand } from '../../scripts/export.js';
import { learn } from '../../scripts/learn.js';
import { openStore } from '../../server/store/sqlite.js';
import { expectCleanError, runIn } from '../helpers/cli.js';
import { BACKENDS, newPlace } from '../helpers/stores.js';
import { PAIRS, storyDocument } from './fixtures.js';

let dir = '';
let store = '';
const f = (name: string): string => join(dir, name);
const noStore = (): string => f('no-store');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'learn-cli-'));
  process.env.MODEL_DIR = join(dir, 'no-models');
  store = f('store');
  const s = openStore(store);
  const doc = storyDocument();
  await s.createDocument({ ...doc, beads: doc.beads.map((b) => ({ ...b, status: 'confirmed' as const })) }, { author: 'cli', project: 'Harbour' });
  await s.close();
  // The story again, as files to align (one sentence per line), and its gold.
  writeFileSync(f('zh.txt'), `${PAIRS.map((p) => p[1]).join('\n')}\n`);
  writeFileSync(f('en.txt'), `${PAIRS.map((p) => p[0]).join('\n')}\n`);
  for (const d of ['zh', 'en', 'gold']) mkdirSync(f(d));
  writeFileSync(join(dir, 'zh', '001.txt'), `${PAIRS.map((p) => p[1]).join('\n')}\n`);
  writeFileSync(join(dir, 'en', '001.txt'), `${PAIRS.map((p) => p[0]).join('\n')}\n`);
  writeFileSync(join(dir, 'gold', '001.align'), `${PAIRS.map((_, i) => `[${i}]:[${i}]`).join('\n')}\n`);
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const LEARNT = /^learnt table: 12 confirmed rows \(all documents, .*store\); \d+ learnt pairs used for \d+ words$/m;

describe('align, eval and export --src/--tgt with a store', () => {
  it('align reads the table of the store in --data-dir (or DATA_DIR) and says what it used; the same output every time', async () => {
    const args = [f('zh.txt'), f('en.txt'), '--presplit', '--format', 'beads'];
    const [a, b, env] = await Promise.all([
      runIn('align', align, [...args, '--data-dir', store]),
      runIn('align', align, [...args, '--data-dir', store]),
      runIn('align', align, args, { DATA_DIR: store }),
    ]);
    for (const r of [a, b, env]) {
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(LEARNT);
      expect(r.stderr).toMatch(/the table learnt from confirmed rows/);
    }
    expect(b.stdout).toBe(a.stdout);
    expect(env.stdout).toBe(a.stdout);
    expect(a.stdout.trim().split('\n')).toEqual(PAIRS.map((_, i) => `[${i}]:[${i}]`));
  });

  it('--no-learned ignores it; no store, no table and no word of it', async () => {
    const args = [f('zh.txt'), f('en.txt'), '--presplit', '--format', 'beads'];
    const [off, none] = await Promise.all([runIn('align', align, [...args, '--no-learned'], { DATA_DIR: store }), runIn('align', align, args, { DATA_DIR: noStore() })]);
    for (const r of [off, none]) {
      expect(r.code).toBe(0);
      expect(r.stderr).not.toMatch(/learnt/);
      expect(r.stderr).toMatch(/zh–en CC-CEDICT dictionary model\)/);
    }
    expect(off.stdout).toBe(none.stdout);
  });

  it('--project reads one project’s rows; wrong combinations are usage errors', async () => {
    const args = [f('zh.txt'), f('en.txt'), '--presplit', '--format', 'beads'];
    const [harbour, other, both, nowhere] = await Promise.all([
      runIn('align', align, [...args, '--project', 'Harbour'], { DATA_DIR: store }),
      runIn('align', align, [...args, '--project', 'Other'], { DATA_DIR: store }),
      runIn('align', align, [...args, '--project', 'Harbour', '--no-learned'], { DATA_DIR: store }),
      runIn('align', align, [...args, '--project', 'Harbour'], { DATA_DIR: noStore() }),
    ]);
    expect(harbour.stderr).toMatch(/^learnt table: 12 confirmed rows \(project "Harbour", /m);
    expect(other.stderr).toMatch(/^learnt table: 0 confirmed rows \(project "Other", .*\); 0 learnt pairs used for 0 words$/m);
    expectCleanError(both, 2, /--project .* does not go with --no-learned/);
    expectCleanError(nowhere, 2, /--project: there is no store in .*no-store/);
  });

  it('eval and export --src/--tgt read it too', async () => {
    const [ev, ex] = await Promise.all([
      runIn('eval', evaluate, ['--src', f('zh'), '--tgt', f('en'), '--gold', f('gold'), '--data-dir', store]),
      runIn('export', exportCommand, ['--src', f('zh.txt'), '--tgt', f('en.txt'), '--format', 'tsv', '--out', f('out.tsv'), '--no-qa', '--data-dir', store]),
    ]);
    expect(ev.code).toBe(0);
    expect(ev.stderr).toMatch(/^learnt table: 12 confirmed rows \(all documents, .*\); \d+ learnt pairs used for \d+ words \(1 files\)$/m);
    expect(ev.stdout).toMatch(/^all {3}strict P\/R\/F1 1\.0000 1\.0000 1\.0000/m);
    expect(ex.code).toBe(0);
    expect(ex.stderr).toMatch(LEARNT);
  });
});

describe.each(BACKENDS.filter((b) => b === 'postgres'))('align with the learnt table of a %s store', (backend) => {
  it('reads the table of the store at --database-url (or DATABASE_URL) and aligns as with the same rows in SQLite', async () => {
    const place = await newPlace(backend);
    try {
      const s = await place.open();
      const doc = storyDocument();
      await s.createDocument({ ...doc, beads: doc.beads.map((b) => ({ ...b, status: 'confirmed' as const })) }, { author: 'cli', project: 'Harbour' });
      await s.close();
      const args = [f('zh.txt'), f('en.txt'), '--presplit', '--format', 'beads'];
      // One after the other: the stores a command opened for the table are closed when it ends.
      const sqlite = await runIn('align', align, [...args, '--data-dir', store]);
      const flag = await runIn('align', align, [...args, '--database-url', place.address], { DATABASE_URL: '' });
      const env = await runIn('align', align, args, { DATABASE_URL: place.address, DATA_DIR: noStore() });
      for (const r of [flag, env]) {
        expect(r.code).toBe(0);
        expect(r.stderr).toMatch(/^learnt table: 12 confirmed rows \(all documents, postgres:\/\/postgres@127\.0\.0\.1:\d+\/t_\w+\); \d+ learnt pairs used for \d+ words$/m);
        expect(r.stdout).toBe(sqlite.stdout);
      }
      const both = await runIn('align', align, [...args, '--data-dir', store, '--database-url', place.address]);
      expectCleanError(both, 2, /not both/);
    } finally {
      await place.remove();
    }
  });
});

describe('npm run learn', () => {
  it('rebuilds the table and says what it holds; one project; no store is a clean error', async () => {
    const [all, one, none] = await Promise.all([
      runIn('learn', learn, ['--data-dir', store]),
      runIn('learn', learn, ['--project', 'Harbour'], { DATA_DIR: store }),
      runIn('learn', learn, [], { DATA_DIR: noStore() }),
    ]);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^learnt from 12 confirmed rows \(all documents, .*store\): \d+ Chinese words, \d+ English terms, \d+ word pairs \([\d.]+ s\)$/m);
    expect(one.stdout).toMatch(/^learnt from 12 confirmed rows \(project "Harbour", /m);
    expectCleanError(none, 1, /no store in .*no-store/);
    expect((await runIn('learn', learn, ['--help'])).stdout).toMatch(/Usage: bitext-review learn/);
  });
});

describe('export --import FILE.tmx --confirmed', () => {
  const tmx = (units: ReadonlyArray<readonly [string, string]>): string =>
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>' +
    units.map(([en, zh]) => `<tu><tuv xml:lang="en"><seg>${en}</seg></tuv><tuv xml:lang="zh"><seg>${zh}</seg></tuv></tu>`).join('') +
    '</body></tmx>\n';

  it('stores the units as confirmed rows, which the table learns from', async () => {
    const data = f('tm-store');
    writeFileSync(f('memory.tmx'), tmx(PAIRS.slice(0, 5)));
    const r = await runIn('export', exportCommand, ['--import', f('memory.tmx'), '--confirmed', '--project', 'TM'], { DATA_DIR: data });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\(5 beads, 5 confirmed\)/);
    const plain = await runIn('export', exportCommand, ['--import', f('memory.tmx')], { DATA_DIR: data });
    expect(plain.stdout).toMatch(/\(5 beads, 0 confirmed\)/);
    const s = openStore(data);
    try {
      expect((await s.learntSummary({ langs: 'zh-en' })).beads).toBe(5);
      expect((await s.learntSummary({ langs: 'zh-en', project: 'TM' })).beads).toBe(5);
      expect((await s.listDocuments()).map((d) => d.project)).toEqual(['TM', '']);
    } finally {
      await s.close();
    }
  });

  it('--confirmed goes with a TMX import only', async () => {
    const [json, alone] = await Promise.all([
      runIn('export', exportCommand, ['--import', f('x.json'), '--confirmed'], { DATA_DIR: noStore() }),
      runIn('export', exportCommand, ['--all', '--format', 'tmx', '--out', f('x.tmx'), '--confirmed'], { DATA_DIR: noStore() }),
    ]);
    expectCleanError(json, 2, /--confirmed goes with --import FILE\.tmx/);
    expectCleanError(alone, 2, /--confirmed goes with --import FILE\.tmx/);
  });
});

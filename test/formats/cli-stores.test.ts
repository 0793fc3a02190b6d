/** `export` and `learn` work on either store: SQLite (--data-dir, DATA_DIR) or PostgreSQL (--database-url, DATABASE_URL). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../scripts/export.js';
import { learn } from '../../scripts/learn.js';
import { syntheticDocument } from '../../server/review/index.js';
import { runIn } from '../helpers/cli.js';
import { BACKENDS, newPlace, type StorePlace } from '../helpers/stores.js';

describe.each(BACKENDS)('npm run export on a %s store', (backend) => {
  let place: StorePlace;
  let out: string;
  let id: string;
  beforeAll(async () => {
    place = await newPlace(backend);
    const store = await place.open();
    id = await store.createDocument(syntheticDocument(5, { name: 'cli doc' }), { author: 't' });
    await store.apply(id, { kind: 'confirm', beadId: 'b2' }, { author: 't' });
    await store.close();
    out = mkdtempSync(join(tmpdir(), 'cli-stores-'));
  });
  afterAll(async () => {
    await place.remove();
    rmSync(out, { recursive: true, force: true });
  });

  const option = (): string[] => (backend === 'sqlite' ? ['--data-dir', place.address] : ['--database-url', place.address]);
  const env = (): NodeJS.ProcessEnv => (backend === 'sqlite' ? { DATA_DIR: place.address, DATABASE_URL: '' } : { DATABASE_URL: place.address, DATA_DIR: '/nonexistent' });

  it('lists and exports from the store named on the command line or in the environment', async () => {
    const listed = await runIn('export', exportCommand, ['--list', ...option()], { DATABASE_URL: '', DATA_DIR: '/nonexistent' });
    expect(listed.stderr).toBe('');
    expect(listed.stdout).toBe(`${id}\tcli doc\t5 rows, 1 confirmed, 0 flagged, 0 open issues\n`);
    const file = join(out, 'one.tsv');
    const done = await runIn('export', exportCommand, ['--doc', id, '--format', 'tsv', '--confirmed-only', '--no-qa', '--out', file], env());
    expect(done).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('learn rebuilds the learnt table of the store named on the command line', async () => {
    const r = await runIn('learn', learn, option(), { DATABASE_URL: '', DATA_DIR: '/nonexistent' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^learnt from 1 confirmed rows \(all documents, .+\): \d+ Chinese words, \d+ English terms, \d+ word pairs/m);
  });

  it('a store that is not there is one clear line and exit code 1', async () => {
    const missing = backend === 'sqlite' ? ['--data-dir', join(out, 'none')] : ['--database-url', place.address.replace(/\/t_[^/?]+/, '/no_such_database')];
    const r = await runIn('export', exportCommand, ['--list', ...missing], { DATABASE_URL: '' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(backend === 'sqlite' ? /^export: no store in .*none/ : /^export: cannot open the store in postgres:\/\/.*no_such_database.*does not exist/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const both = await runIn('export', exportCommand, ['--list', '--data-dir', out, '--database-url', 'postgres://x/y']);
    expect(both.code).toBe(2);
  });
});

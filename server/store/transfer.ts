/**
 * Moving a store from SQLite into PostgreSQL (`npm run store:migrate`): every row of every table,
 * as it is (ids, revisions, dates, order keys, history seqs and undo states, glossary ids and
 * revisions), in one PostgreSQL transaction; then a check, through the Store interface of both, that
 * every document, row, history entry and glossary entry arrived. Jobs are not moved (they belong to
 * the running servers; finished ones are kept a day).
 */
import { isDeepStrictEqual } from 'node:util';
import type { PgStore } from './postgres.js';
import type { SqliteStore } from './sqlite.js';
import type { IdTable } from './sql.js';
import type { Store } from './store.js';

/** Copied, parents before children. */
const COPIED = [
  'documents',
  'paragraphs',
  'sentences',
  'beads',
  'issues',
  'versions',
  'history',
  'glossaries',
  'glossary_entries',
  'glossary_history',
  'document_glossaries',
  'store_once',
  'server_keys',
  'learnt_tables',
  'learnt_words',
  'learnt_pairs',
  'learnt_rows',
  'learnt_version',
  'translation_sets',
] as const;
/** Not copied: the schema's own bookkeeping, and the jobs of the servers that used the store (SQLite's own sqlite_* tables neither). */
const LEFT = new Set(['schema_version', 'jobs', 'job_files']);
/** Tables whose ids PostgreSQL gives from a sequence: moved past the copied ones. */
const IDS: readonly [IdTable, string][] = [
  ['history', 'seq'],
  ['glossaries', 'id'],
  ['glossary_entries', 'id'],
  ['glossary_history', 'seq'],
  ['learnt_tables', 'id'],
];

/** Rows per INSERT, and the text a batch may hold before it is sent. */
const BATCH_ROWS = 500;
const BATCH_CHARS = 8 * 1024 * 1024;

export interface TransferReport {
  /** Rows copied, per table. */
  rows: Record<string, number>;
}

/** Copies every row of `from` into the empty store `to`, in one transaction (all or nothing). */
export async function copyStore(from: SqliteStore, to: PgStore, progress: (line: string) => void = () => undefined): Promise<TransferReport> {
  const db = from.db;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
  const unknown = tables.filter((t) => !LEFT.has(t) && !(COPIED as readonly string[]).includes(t));
  if (unknown.length) throw new Error(`store:migrate does not know the table(s) ${unknown.join(', ')}: update server/store/transfer.ts`);
  const [versionFrom, versionTo] = [(await from.schema()).at(-1)?.version, (await to.schema()).at(-1)?.version];
  if (versionFrom !== versionTo) throw new Error(`the two stores are at different schema versions (${versionFrom} and ${versionTo})`);
  const client = await to.pool.connect();
  const rows: Record<string, number> = {};
  try {
    const held = await client.query<{ n: number }>('SELECT (SELECT COUNT(*) FROM documents) + (SELECT COUNT(*) FROM glossaries) AS n');
    if (Number(held.rows[0]!.n) > 0) throw new Error('the PostgreSQL store is not empty (it holds documents or glossaries): migrate into a new database');
    await client.query('BEGIN');
    for (const table of COPIED) {
      rows[table] = 0;
      let batch: Record<string, unknown>[] = [];
      let chars = 0;
      const flush = async (): Promise<void> => {
        if (!batch.length) return;
        const columns = Object.keys(batch[0]!);
        const values: unknown[] = [];
        const tuples = batch.map((r) => `(${columns.map((c) => `$${values.push(r[c])}`).join(', ')})`);
        await client.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${tuples.join(', ')}`, values);
        rows[table]! += batch.length;
        batch = [];
        chars = 0;
      };
      for (const row of db.prepare(`SELECT * FROM ${table}`).iterate() as IterableIterator<Record<string, unknown>>) {
        batch.push(row);
        for (const v of Object.values(row)) if (typeof v === 'string') chars += v.length;
        if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush();
      }
      await flush();
      progress(`${table}: ${rows[table]!.toLocaleString('en')} rows`);
    }
    // The next ids PostgreSQL gives come after every one SQLite ever gave (AUTOINCREMENT remembers
    // ids of rows deleted since, in sqlite_sequence: they are not given again either).
    for (const [table, column] of IDS) {
      const given = (db.prepare('SELECT seq FROM sqlite_sequence WHERE name = ?').get(table) as { seq: number } | undefined)?.seq ?? 0;
      await client.query(
        `SELECT setval(pg_get_serial_sequence('${table}', '${column}'), GREATEST($1::bigint, (SELECT COALESCE(MAX(${column}), 0) FROM ${table}), 1), GREATEST($1::bigint, (SELECT COALESCE(MAX(${column}), 0) FROM ${table})) > 0)`,
        [given],
      );
    }
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
  return { rows };
}

export interface Comparison {
  documents: number;
  rows: number;
  historyEntries: number;
  glossaries: number;
  glossaryEntries: number;
  /** Confirmed rows the learnt table (zh–en, all projects) learnt from. */
  learntRows: number;
  /** What differs (empty: the stores hold the same). */
  differences: string[];
}

/**
 * Compares two stores entry by entry through the Store interface: the document list, every document
 * (rows, sentences, issues, versions), its whole history with the recorded changes, its chosen
 * glossary; every glossary with its entries and its history.
 */
export async function compareStores(a: Store, b: Store): Promise<Comparison> {
  const out: Comparison = { documents: 0, rows: 0, historyEntries: 0, glossaries: 0, glossaryEntries: 0, learntRows: 0, differences: [] };
  const differ = (what: string, x: unknown, y: unknown): void => {
    if (!isDeepStrictEqual(x, y)) out.differences.push(what);
  };
  const [docsA, docsB] = [await a.listDocuments(), await b.listDocuments()];
  differ('the document list', docsA, docsB);
  for (const d of docsA) {
    const [x, y] = [await a.getDocument(d.id), await b.getDocument(d.id).catch(() => null)];
    if (!y) {
      out.differences.push(`document ${d.id} is missing`);
      continue;
    }
    out.documents++;
    out.rows += x.beads.length;
    differ(`document ${d.id}`, x, y);
    const [hx, hy] = [await a.history(d.id), await b.history(d.id)];
    out.historyEntries += hx.length;
    differ(`history of document ${d.id}`, hx, hy);
    differ(`translation set of document ${d.id}`, await a.translationSetOf(d.id), await b.translationSetOf(d.id));
    differ(`glossary of document ${d.id}`, (await a.documentGlossary(d.id))?.id ?? null, (await b.documentGlossary(d.id))?.id ?? null);
  }
  const [glA, glB] = [await a.listGlossaries(), await b.listGlossaries()];
  differ('the glossary list', glA, glB);
  for (const g of glA) {
    const [x, y] = [await a.getGlossary(g.id), await b.getGlossary(g.id).catch(() => null)];
    if (!y) {
      out.differences.push(`glossary ${g.id} is missing`);
      continue;
    }
    out.glossaries++;
    out.glossaryEntries += x.entryList.length;
    differ(`glossary ${g.id} (“${g.name}”)`, x, y);
    differ(`history of glossary ${g.id}`, await a.glossaryHistory(g.id, { limit: 10_000 }), await b.glossaryHistory(g.id, { limit: 10_000 }));
  }
  // The learnt table, count by count.
  const all = { langs: 'zh-en' } as const;
  const [la, lb] = [await a.learntCounts(all), await b.learntCounts(all)];
  out.learntRows = la.beads;
  differ('the learnt table', la, lb);
  return out;
}

/**
 * Glossaries (tables `glossaries`, `glossary_entries`, `glossary_history`, `store_once`), for both
 * databases. Each method runs inside the caller's transaction (SqlStore.write, which takes the
 * glossaries' lock first through `lock`) or is one statement. Every change of an entry bumps its
 * revision and the glossary's, and is recorded with its author.
 */
import type { GlossaryChange, GlossaryEntry, GlossarySummary, StoredGlossary, StoredGlossaryEntry } from '../domain.js';
import type { SqlTx } from './sql.js';
import { ConflictError, InvalidOperationError, NotFoundError, type NewGlossary } from './store.js';

interface GlossaryRow {
  id: number;
  name: string;
  is_default: number;
  source_lang: string;
  target_lang: string;
  revision: number;
  created_at: string;
  updated_at: string;
  entries: number;
}
interface EntryRow {
  id: number;
  english: string;
  accepted: string;
  forbidden: string;
  note: string;
  unless_en: string;
  revision: number;
  updated_at: string;
  updated_by: string;
}
interface ChangeRow {
  seq: number;
  glossary_id: number;
  entry_id: number | null;
  action: GlossaryChange['action'];
  author: string;
  at: string;
  before: string | null;
  after: string | null;
}

const summary = (r: GlossaryRow): GlossarySummary => ({
  id: r.id,
  name: r.name,
  isDefault: r.is_default === 1,
  sourceLang: r.source_lang,
  targetLang: r.target_lang,
  entries: r.entries,
  revision: r.revision,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const entryFromRow = (r: EntryRow): StoredGlossaryEntry => ({
  id: r.id,
  english: JSON.parse(r.english) as string[],
  accepted: JSON.parse(r.accepted) as string[],
  forbidden: JSON.parse(r.forbidden) as string[],
  note: r.note,
  unless: JSON.parse(r.unless_en) as string[],
  revision: r.revision,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
});

/** The entry's content only (what history records). */
const content = (e: GlossaryEntry): GlossaryEntry => ({ english: e.english, accepted: e.accepted, forbidden: e.forbidden, note: e.note, unless: e.unless });

const SUMMARY = 'SELECT g.*, (SELECT COUNT(*) FROM glossary_entries e WHERE e.glossary_id = g.id) AS entries FROM glossaries g';

const SQL = {
  list: `${SUMMARY} ORDER BY g.is_default DESC, g.name`,
  byId: `${SUMMARY} WHERE g.id = ?`,
  byName: 'SELECT id FROM glossaries WHERE name = ?',
  defaultId: 'SELECT id FROM glossaries WHERE is_default = 1',
  count: 'SELECT COUNT(*) AS n FROM glossaries',
  insert: 'INSERT INTO glossaries (name, is_default, revision, created_at, updated_at, source_lang, target_lang) VALUES (?, ?, 0, ?, ?, ?, ?) RETURNING id',
  touch: 'UPDATE glossaries SET revision = revision + 1, updated_at = ? WHERE id = ?',
  remove: 'DELETE FROM glossaries WHERE id = ?',
  clearDefault: 'UPDATE glossaries SET is_default = 0 WHERE is_default = 1',
  setDefault: 'UPDATE glossaries SET is_default = 1, updated_at = ? WHERE id = ?',
  entries: 'SELECT * FROM glossary_entries WHERE glossary_id = ? ORDER BY id',
  entry: 'SELECT * FROM glossary_entries WHERE glossary_id = ? AND id = ?',
  insertEntry: `INSERT INTO glossary_entries (glossary_id, english, accepted, forbidden, note, unless_en, revision, updated_at, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) RETURNING id`,
  updateEntry: `UPDATE glossary_entries SET english = ?, accepted = ?, forbidden = ?, note = ?, unless_en = ?, revision = revision + 1, updated_at = ?, updated_by = ?
                WHERE glossary_id = ? AND id = ? AND revision = ?`,
  deleteEntry: 'DELETE FROM glossary_entries WHERE glossary_id = ? AND id = ? AND revision = ?',
  record: 'INSERT INTO glossary_history (glossary_id, entry_id, action, author, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)',
  history: 'SELECT * FROM glossary_history WHERE glossary_id = ? ORDER BY seq DESC LIMIT ?',
  onceDone: 'SELECT 1 AS done FROM store_once WHERE key = ?',
  once: 'INSERT INTO store_once (key, at) VALUES (?, ?)',
} as const;

export class GlossaryTable {
  /**
   * Every change of any glossary takes this lock first (PostgreSQL; SQLite's write transaction holds
   * the only write lock): names, the default and the once-keys are checked and written by one server at a time.
   */
  async lock(tx: SqlTx): Promise<void> {
    await tx.lock('glossaries');
  }

  async list(tx: SqlTx): Promise<GlossarySummary[]> {
    return (await tx.all<GlossaryRow>(SQL.list)).map(summary);
  }

  async get(tx: SqlTx, id: number): Promise<StoredGlossary> {
    const r = await tx.get<GlossaryRow>(SQL.byId, [id]);
    if (!r) throw new NotFoundError(`glossary ${id} does not exist`);
    return { ...summary(r), entryList: (await tx.all<EntryRow>(SQL.entries, [id])).map(entryFromRow) };
  }

  async defaultId(tx: SqlTx): Promise<number | null> {
    return (await tx.get<{ id: number }>(SQL.defaultId))?.id ?? null;
  }

  /** Inside a write transaction. */
  async create(tx: SqlTx, g: NewGlossary, opts: { author: string; onceKey?: string }): Promise<number | null> {
    await this.lock(tx);
    const at = new Date().toISOString();
    if (opts.onceKey) {
      if (await tx.get(SQL.onceDone, [opts.onceKey])) return null;
      await tx.run(SQL.once, [opts.onceKey, at]);
    }
    const name = g.name.trim();
    if (!name) throw new InvalidOperationError('a glossary needs a name');
    if ((await tx.get(SQL.byName, [name])) !== undefined) throw new InvalidOperationError(`there is already a glossary named “${name}”`);
    const first = (await tx.get<{ n: number }>(SQL.count))!.n === 0;
    const id = (await tx.get<{ id: number }>(SQL.insert, [name, first ? 1 : 0, at, at, g.sourceLang ?? 'en', g.targetLang ?? 'zh']))!.id;
    await tx.run(SQL.record, [id, null, 'create', opts.author, at, null, JSON.stringify({ name, entries: g.entries.length })]);
    await this.insertEntries(tx, id, g.entries, opts.author, at, g.entries.length > 1 ? 'import' : 'add');
    return id;
  }

  async remove(tx: SqlTx, id: number, _opts: { author: string }): Promise<void> {
    await this.lock(tx);
    const g = await this.get(tx, id);
    if (g.isDefault) throw new InvalidOperationError(`“${g.name}” is the default glossary: make another one the default first`);
    await tx.run(SQL.remove, [id]);
  }

  async setDefault(tx: SqlTx, id: number, opts: { author: string }): Promise<void> {
    await this.lock(tx);
    await this.get(tx, id);
    const at = new Date().toISOString();
    await tx.run(SQL.clearDefault);
    await tx.run(SQL.setDefault, [at, id]);
    await tx.run(SQL.record, [id, null, 'default', opts.author, at, null, null]);
  }

  async add(tx: SqlTx, id: number, entries: readonly GlossaryEntry[], opts: { author: string }): Promise<StoredGlossaryEntry[]> {
    await this.lock(tx);
    await this.get(tx, id);
    const at = new Date().toISOString();
    const ids = await this.insertEntries(tx, id, entries, opts.author, at, entries.length > 1 ? 'import' : 'add');
    const out: StoredGlossaryEntry[] = [];
    for (const e of ids) out.push(entryFromRow((await tx.get<EntryRow>(SQL.entry, [id, e]))!));
    return out;
  }

  private async insertEntries(tx: SqlTx, id: number, entries: readonly GlossaryEntry[], author: string, at: string, action: 'add' | 'import'): Promise<number[]> {
    const ids: number[] = [];
    for (const e of entries) {
      const entryId = (await tx.get<{ id: number }>(SQL.insertEntry, [id, JSON.stringify(e.english), JSON.stringify(e.accepted), JSON.stringify(e.forbidden), e.note, JSON.stringify(e.unless), at, author]))!.id;
      ids.push(entryId);
      // An import is one change of the glossary: recorded once, not per entry.
      if (action === 'add') await tx.run(SQL.record, [id, entryId, 'add', author, at, null, JSON.stringify(content(e))]);
    }
    if (action === 'import' && entries.length) await tx.run(SQL.record, [id, null, 'import', author, at, null, JSON.stringify({ entries: entries.length })]);
    if (entries.length) await tx.run(SQL.touch, [at, id]);
    return ids;
  }

  private async current(tx: SqlTx, id: number, entryId: number, baseRevision: number): Promise<EntryRow> {
    await this.get(tx, id);
    const cur = await tx.get<EntryRow>(SQL.entry, [id, entryId]);
    if (!cur) throw new NotFoundError(`glossary entry ${entryId} does not exist (it may have been deleted)`);
    if (cur.revision !== baseRevision) {
      throw new ConflictError(`glossary entry ${entryId} was changed by ${cur.updated_by} since you opened it: your change was not saved`, cur.revision, []);
    }
    return cur;
  }

  async update(tx: SqlTx, id: number, entryId: number, entry: GlossaryEntry, opts: { author: string; baseRevision: number }): Promise<StoredGlossaryEntry> {
    await this.lock(tx);
    const before = entryFromRow(await this.current(tx, id, entryId, opts.baseRevision));
    const at = new Date().toISOString();
    await tx.run(SQL.updateEntry, [
      JSON.stringify(entry.english),
      JSON.stringify(entry.accepted),
      JSON.stringify(entry.forbidden),
      entry.note,
      JSON.stringify(entry.unless),
      at,
      opts.author,
      id,
      entryId,
      opts.baseRevision,
    ]);
    await tx.run(SQL.record, [id, entryId, 'update', opts.author, at, JSON.stringify(content(before)), JSON.stringify(content(entry))]);
    await tx.run(SQL.touch, [at, id]);
    return entryFromRow((await tx.get<EntryRow>(SQL.entry, [id, entryId]))!);
  }

  async removeEntry(tx: SqlTx, id: number, entryId: number, opts: { author: string; baseRevision: number }): Promise<void> {
    await this.lock(tx);
    const before = entryFromRow(await this.current(tx, id, entryId, opts.baseRevision));
    const at = new Date().toISOString();
    await tx.run(SQL.deleteEntry, [id, entryId, opts.baseRevision]);
    await tx.run(SQL.record, [id, entryId, 'delete', opts.author, at, JSON.stringify(content(before)), null]);
    await tx.run(SQL.touch, [at, id]);
  }

  async history(tx: SqlTx, id: number, limit: number): Promise<GlossaryChange[]> {
    await this.get(tx, id);
    return (await tx.all<ChangeRow>(SQL.history, [id, limit])).map((r) => {
      const parse = (v: string | null): GlossaryEntry | null => {
        if (v === null) return null;
        const x = JSON.parse(v) as GlossaryEntry | Record<string, unknown>;
        return Array.isArray((x as GlossaryEntry).english) ? (x as GlossaryEntry) : null;
      };
      return { seq: r.seq, glossaryId: r.glossary_id, entryId: r.entry_id, action: r.action, author: r.author, at: r.at, before: parse(r.before), after: parse(r.after) };
    });
  }
}

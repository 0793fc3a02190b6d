/**
 * Glossaries on SQLite (tables `glossaries`, `glossary_entries`, `glossary_history`, `store_once`).
 * Each method runs inside the caller's transaction (SqliteStore.write) or is one statement. Every
 * change of an entry bumps its revision and the glossary's, and is recorded with its author.
 */
import type Database from 'better-sqlite3';
import type { GlossaryChange, GlossaryEntry, GlossarySummary, StoredGlossary, StoredGlossaryEntry } from '../domain.js';
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

export class SqliteGlossaries {
  private readonly s;

  constructor(db: Database.Database) {
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      list: p(`${SUMMARY} ORDER BY g.is_default DESC, g.name`),
      byId: p(`${SUMMARY} WHERE g.id = ?`),
      byName: p('SELECT id FROM glossaries WHERE name = ?').pluck(),
      defaultId: p('SELECT id FROM glossaries WHERE is_default = 1').pluck(),
      count: p('SELECT COUNT(*) FROM glossaries').pluck(),
      insert: p('INSERT INTO glossaries (name, is_default, revision, created_at, updated_at, source_lang, target_lang) VALUES (?, ?, 0, ?, ?, ?, ?)'),
      touch: p('UPDATE glossaries SET revision = revision + 1, updated_at = ? WHERE id = ?'),
      remove: p('DELETE FROM glossaries WHERE id = ?'),
      clearDefault: p('UPDATE glossaries SET is_default = 0 WHERE is_default = 1'),
      setDefault: p('UPDATE glossaries SET is_default = 1, updated_at = ? WHERE id = ?'),
      entries: p('SELECT * FROM glossary_entries WHERE glossary_id = ? ORDER BY id'),
      entry: p('SELECT * FROM glossary_entries WHERE glossary_id = ? AND id = ?'),
      insertEntry: p(`INSERT INTO glossary_entries (glossary_id, english, accepted, forbidden, note, unless_en, revision, updated_at, updated_by)
                      VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)`),
      updateEntry: p(`UPDATE glossary_entries SET english = ?, accepted = ?, forbidden = ?, note = ?, unless_en = ?, revision = revision + 1, updated_at = ?, updated_by = ?
                      WHERE glossary_id = ? AND id = ? AND revision = ?`),
      deleteEntry: p('DELETE FROM glossary_entries WHERE glossary_id = ? AND id = ? AND revision = ?'),
      record: p('INSERT INTO glossary_history (glossary_id, entry_id, action, author, at, before, after) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      history: p('SELECT * FROM glossary_history WHERE glossary_id = ? ORDER BY seq DESC LIMIT ?'),
      onceDone: p('SELECT 1 FROM store_once WHERE key = ?').pluck(),
      once: p('INSERT INTO store_once (key, at) VALUES (?, ?)'),
    };
  }

  list(): GlossarySummary[] {
    return (this.s.list.all() as GlossaryRow[]).map(summary);
  }

  get(id: number): StoredGlossary {
    const r = this.s.byId.get(id) as GlossaryRow | undefined;
    if (!r) throw new NotFoundError(`glossary ${id} does not exist`);
    return { ...summary(r), entryList: (this.s.entries.all(id) as EntryRow[]).map(entryFromRow) };
  }

  defaultId(): number | null {
    return (this.s.defaultId.get() as number | undefined) ?? null;
  }

  /** Inside a write transaction. */
  create(g: NewGlossary, opts: { author: string; onceKey?: string }): number | null {
    const at = new Date().toISOString();
    if (opts.onceKey) {
      if (this.s.onceDone.get(opts.onceKey)) return null;
      this.s.once.run(opts.onceKey, at);
    }
    const name = g.name.trim();
    if (!name) throw new InvalidOperationError('a glossary needs a name');
    if (this.s.byName.get(name) !== undefined) throw new InvalidOperationError(`there is already a glossary named “${name}”`);
    const first = (this.s.count.get() as number) === 0;
    const id = Number(this.s.insert.run(name, first ? 1 : 0, at, at, g.sourceLang ?? 'en', g.targetLang ?? 'zh').lastInsertRowid);
    this.s.record.run(id, null, 'create', opts.author, at, null, JSON.stringify({ name, entries: g.entries.length }));
    this.insertEntries(id, g.entries, opts.author, at, g.entries.length > 1 ? 'import' : 'add');
    return id;
  }

  remove(id: number, _opts: { author: string }): void {
    const g = this.get(id);
    if (g.isDefault) throw new InvalidOperationError(`“${g.name}” is the default glossary: make another one the default first`);
    this.s.remove.run(id);
  }

  setDefault(id: number, opts: { author: string }): void {
    this.get(id);
    const at = new Date().toISOString();
    this.s.clearDefault.run();
    this.s.setDefault.run(at, id);
    this.s.record.run(id, null, 'default', opts.author, at, null, null);
  }

  add(id: number, entries: readonly GlossaryEntry[], opts: { author: string }): StoredGlossaryEntry[] {
    this.get(id);
    const at = new Date().toISOString();
    const ids = this.insertEntries(id, entries, opts.author, at, entries.length > 1 ? 'import' : 'add');
    return ids.map((e) => entryFromRow(this.s.entry.get(id, e) as EntryRow));
  }

  private insertEntries(id: number, entries: readonly GlossaryEntry[], author: string, at: string, action: 'add' | 'import'): number[] {
    const ids: number[] = [];
    for (const e of entries) {
      const r = this.s.insertEntry.run(id, JSON.stringify(e.english), JSON.stringify(e.accepted), JSON.stringify(e.forbidden), e.note, JSON.stringify(e.unless), at, author);
      const entryId = Number(r.lastInsertRowid);
      ids.push(entryId);
      // An import is one change of the glossary: recorded once, not per entry.
      if (action === 'add') this.s.record.run(id, entryId, 'add', author, at, null, JSON.stringify(content(e)));
    }
    if (action === 'import' && entries.length) this.s.record.run(id, null, 'import', author, at, null, JSON.stringify({ entries: entries.length }));
    if (entries.length) this.s.touch.run(at, id);
    return ids;
  }

  private current(id: number, entryId: number, baseRevision: number): EntryRow {
    this.get(id);
    const cur = this.s.entry.get(id, entryId) as EntryRow | undefined;
    if (!cur) throw new NotFoundError(`glossary entry ${entryId} does not exist (it may have been deleted)`);
    if (cur.revision !== baseRevision) {
      throw new ConflictError(`glossary entry ${entryId} was changed by ${cur.updated_by} since you opened it: your change was not saved`, cur.revision, []);
    }
    return cur;
  }

  update(id: number, entryId: number, entry: GlossaryEntry, opts: { author: string; baseRevision: number }): StoredGlossaryEntry {
    const before = entryFromRow(this.current(id, entryId, opts.baseRevision));
    const at = new Date().toISOString();
    this.s.updateEntry.run(
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
    );
    this.s.record.run(id, entryId, 'update', opts.author, at, JSON.stringify(content(before)), JSON.stringify(content(entry)));
    this.s.touch.run(at, id);
    return entryFromRow(this.s.entry.get(id, entryId) as EntryRow);
  }

  removeEntry(id: number, entryId: number, opts: { author: string; baseRevision: number }): void {
    const before = entryFromRow(this.current(id, entryId, opts.baseRevision));
    const at = new Date().toISOString();
    this.s.deleteEntry.run(id, entryId, opts.baseRevision);
    this.s.record.run(id, entryId, 'delete', opts.author, at, JSON.stringify(content(before)), null);
    this.s.touch.run(at, id);
  }

  history(id: number, limit: number): GlossaryChange[] {
    this.get(id);
    return (this.s.history.all(id, limit) as ChangeRow[]).map((r) => {
      const parse = (v: string | null): GlossaryEntry | null => {
        if (v === null) return null;
        const x = JSON.parse(v) as GlossaryEntry | Record<string, unknown>;
        return Array.isArray((x as GlossaryEntry).english) ? (x as GlossaryEntry) : null;
      };
      return { seq: r.seq, glossaryId: r.glossary_id, entryId: r.entry_id, action: r.action, author: r.author, at: r.at, before: parse(r.before), after: parse(r.after) };
    });
  }
}

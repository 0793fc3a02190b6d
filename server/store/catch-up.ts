/**
 * A cached document brought up to date from the history instead of read again: what another server
 * (or connection) changed since the cached revision is in the history entries after it, each with its
 * recorded change (before/after), which the review core applies (the same as a replay). The rows'
 * order keys come from the database with them. Anything this cannot follow for certain (a gap in the
 * revisions, an entry without its change, further versions to re-project, rows that do not match the
 * order keys, a document deleted and stored again under the same id) answers null: read it again.
 * Pure: no SQL.
 */
import type { HistoryEntry } from '../domain.js';
import { applyChange } from '../review/index.js';
import { entryFromRow, type HistoryRow } from './history.js';
import type { StoredDocument } from './rows.js';

/** One row of the freshness statement (statements.ts, `fresh`): the document row, and one history entry or none. */
export interface FreshRow extends Partial<HistoryRow> {
  d_revision: number;
  d_updated_at: string;
  d_stamp: string | null;
  /** JSON [id, ord][] in order, when the cached revision is not the current one. */
  d_ords: string | null;
}

/** The history entries of the rows (a LEFT JOIN: a row without an entry has seq null). */
export function entriesOf(rows: readonly FreshRow[]): HistoryEntry[] {
  return rows.filter((r) => r.seq !== null && r.seq !== undefined).map((r) => entryFromRow(r as HistoryRow));
}

/** At most this many entries are kept with a cached copy (`StoredDocument.recent`). */
export const RECENT_MAX = 512;

/** An entry as kept with a cached copy: what the conflict rule and a refusal read (not its change, nor its undo state, which moves). */
export function briefEntry(e: HistoryEntry): HistoryEntry {
  const { before: _b, after: _a, undone: _u, ...brief } = e;
  return brief;
}

/**
 * `recent` followed by `more` (in order), brief, the newest RECENT_MAX: revisions may repeat or go up
 * by one; after a gap only what follows it is kept (never an incomplete stretch).
 */
export function withRecent(recent: readonly HistoryEntry[] | undefined, more: readonly HistoryEntry[]): HistoryEntry[] {
  const all = [...(recent ?? []), ...more.map(briefEntry)];
  let from = Math.max(0, all.length - RECENT_MAX);
  for (let k = all.length - 1; k > from; k--) {
    const step = all[k]!.revision - all[k - 1]!.revision;
    if (step !== 0 && step !== 1) {
      from = k;
      break;
    }
  }
  return all.slice(from);
}

/**
 * Whether `recent` of a copy at revision `c` holds every entry after `baseRevision`: it ends at `c`
 * and begins at or before it (entries of its first revision may be missing: it must be older).
 */
export function recentCovers(recent: readonly HistoryEntry[] | undefined, c: number, baseRevision: number | undefined): recent is readonly HistoryEntry[] {
  if (!recent?.length || baseRevision === undefined || recent.at(-1)!.revision !== c) return false;
  return baseRevision >= recent[0]!.revision;
}

/** Entries whose change does not touch what the cache holds. */
const CONTENT_FREE = new Set(['setGlossary']);

export function catchUp(cached: StoredDocument, rows: readonly FreshRow[]): StoredDocument | null {
  const first = rows[0];
  if (!first || first.d_ords === null || cached.versions.length > 0) return null;
  const c = cached.doc.revision;
  const entries = entriesOf(rows);
  // The cached revision's own entry must be the one the cache was made at (not a document stored again under this id).
  const at = entries.filter((e) => e.revision === c);
  if (!at.length || cached.lastSeq === undefined || Math.max(...at.map((e) => e.seq)) !== cached.lastSeq) return null;
  const newer = entries.filter((e) => e.revision > c);
  if (newer.length !== first.d_revision - c || newer.some((e, k) => e.revision !== c + k + 1)) return null;
  let doc = cached.doc;
  for (const e of newer) {
    if (e.before && e.after) {
      try {
        doc = applyChange(doc, e.before, e.after);
      } catch {
        return null; // a change that does not fit the copy: read the document again
      }
    } else if (!CONTENT_FREE.has(e.op.kind)) return null;
  }
  const ords = JSON.parse(first.d_ords) as [string, number][];
  if (ords.length !== doc.beads.length || ords.some(([id], i) => id !== doc.beads[i]!.id)) return null;
  return {
    doc: { ...doc, revision: first.d_revision, updatedAt: first.d_updated_at },
    ords: ords.map(([, ord]) => ord),
    versions: [],
    stamp: first.d_stamp,
    lastSeq: newer.at(-1)?.seq ?? cached.lastSeq,
    ...(cached.recent?.length && cached.recent.at(-1)!.revision === c ? { recent: withRecent(cached.recent, newer) } : {}),
  };
}

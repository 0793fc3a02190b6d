/**
 * The per-process document cache: the last few documents loaded or written, least recently used out
 * first. It knows nothing about the database; the store tells it when the database changed under it
 * (`sync` with SQLite's data_version) and checks each hit against the stored row (`get`: revision,
 * update time and, on PostgreSQL, the row's version).
 */
import type { StoredDocument } from './rows.js';

export class DocumentCache {
  private readonly entries = new Map<string, StoredDocument>();
  /** The database's change counter when the entries were last known valid. */
  private version: number | null = null;

  constructor(private readonly size = 16) {}

  /** Forgets everything when `version` differs from the last one seen (another connection committed). */
  sync(version: number): void {
    if (version === this.version) return;
    this.entries.clear();
    this.version = version;
  }

  /** The entry for `id` if `isCurrent` says the stored document is still the cached one; else forgets it. */
  get(id: string, isCurrent: (entry: StoredDocument) => boolean): StoredDocument | undefined {
    const hit = this.entries.get(id);
    if (!hit) return undefined;
    this.entries.delete(id);
    if (!isCurrent(hit)) return undefined;
    // Least recently used goes first out: re-inserted on every hit.
    this.entries.set(id, hit);
    return hit;
  }

  /** The entry for `id`, current or not (the caller checks it against the database). */
  peek(id: string): StoredDocument | undefined {
    return this.entries.get(id);
  }

  set(id: string, entry: StoredDocument): void {
    // The cached document is handed out to every caller and is the base of the next operation:
    // frozen, so a caller changing it in place fails loudly instead of corrupting what gets stored.
    deepFreeze(entry.doc);
    this.entries.delete(id);
    this.entries.set(id, entry);
    while (this.entries.size > this.size) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }

  delete(id: string): void {
    this.entries.delete(id);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Freezes an object graph; stops at objects already frozen (the parts shared with the previous state). */
function deepFreeze(x: unknown): void {
  if (x === null || typeof x !== 'object' || Object.isFrozen(x)) return;
  Object.freeze(x);
  for (const v of Object.values(x)) deepFreeze(v);
}

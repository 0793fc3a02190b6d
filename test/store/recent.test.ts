/** The history entries kept with a cached copy (catch-up.ts `withRecent`, `recentCovers`). */
import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../server/domain.js';
import { RECENT_MAX, recentCovers, withRecent } from '../../server/store/catch-up.js';

const entry = (revision: number, seq = revision): HistoryEntry => ({
  seq,
  documentId: 'd',
  revision,
  author: 'a',
  at: '2026-01-01T00:00:00.000Z',
  op: { kind: 'confirm', beadId: 'b1' },
  beadIds: ['b1'],
  before: { beads: null, issues: null, target: [] } as unknown as HistoryEntry['before'],
  after: { beads: null, issues: null, target: [] } as unknown as HistoryEntry['after'],
  undone: false,
});
const revs = (xs: readonly HistoryEntry[]) => xs.map((e) => e.revision);

describe('entries kept with a cached copy', () => {
  it('are kept brief (no change, no undo state), in order, the newest RECENT_MAX', () => {
    const kept = withRecent([], [entry(1), entry(2)]);
    expect(kept[0]).not.toHaveProperty('before');
    expect(kept[0]).not.toHaveProperty('after');
    expect(kept[0]).not.toHaveProperty('undone');
    expect(revs(withRecent(kept, [entry(3)]))).toEqual([1, 2, 3]);
    const many = withRecent([], Array.from({ length: RECENT_MAX + 10 }, (_, k) => entry(k + 1)));
    expect(many.length).toBe(RECENT_MAX);
    expect(many.at(-1)!.revision).toBe(RECENT_MAX + 10);
  });

  it('after a gap, only what follows it; a repeated revision is no gap', () => {
    expect(revs(withRecent([entry(1), entry(2)], [entry(5), entry(6)]))).toEqual([5, 6]);
    expect(revs(withRecent([entry(1), entry(2)], [entry(2, 9), entry(3)]))).toEqual([1, 2, 2, 3]);
  });

  it('cover a poster’s revision only when they end at the copy’s and begin before what the poster has not seen', () => {
    const kept = withRecent([], [entry(4), entry(5), entry(6)]);
    expect(recentCovers(kept, 6, 4)).toBe(true); // needs 5, 6
    expect(recentCovers(kept, 6, 3)).toBe(false); // needs 4 (maybe not all of its entries kept) …
    expect(recentCovers(kept, 7, 5)).toBe(false); // the copy moved on without them
    expect(recentCovers(kept, 6, undefined)).toBe(false);
    expect(recentCovers(undefined, 6, 5)).toBe(false);
  });
});

/**
 * Order keys: each row (bead) carries a sparse number, `ord`, and rows are read ORDER BY ord. Rows
 * replacing others get keys between their unchanged neighbours, so inserting, merging or removing
 * rows rewrites no other row; only when one gap runs out (many inserts at one place) are all rows
 * numbered afresh, once. Pure: any backend storing rows in order can use it.
 */

/** Gap between order keys of consecutive rows when (re)numbering. */
export const ORD_STEP = 1024;

/** Keys for `n` rows numbered afresh. */
export function freshKeys(n: number): number[] {
  return Array.from({ length: n }, (_, i) => (i + 1) * ORD_STEP);
}

export interface Placement {
  /** The keys of the new rows, in order. */
  keys: number[];
  /** The keys of every row afterwards, parallel to the new list of rows. */
  ords: number[];
  /** The gap ran out: every row got a new key (`ords`), not only the new ones. */
  renumbered: boolean;
}

/** Places `count` rows in place of `removed` rows from index `at` of a list keyed by `ords`. */
export function placeRows(ords: readonly number[], at: number, removed: number, count: number): Placement {
  const lo = at > 0 ? ords[at - 1]! : 0;
  const hiIndex = at + removed;
  const hi = hiIndex < ords.length ? ords[hiIndex]! : lo + ORD_STEP * (count + 1);
  const step = (hi - lo) / (count + 1);
  if (step < 1e-6 || !Number.isFinite(step)) {
    const fresh = freshKeys(ords.length - removed + count);
    return { keys: fresh.slice(at, at + count), ords: fresh, renumbered: true };
  }
  const keys = Array.from({ length: count }, (_, k) => lo + step * (k + 1));
  return { keys, ords: [...ords.slice(0, at), ...keys, ...ords.slice(hiIndex)], renumbered: false };
}

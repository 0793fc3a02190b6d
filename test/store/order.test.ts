import { describe, expect, it } from 'vitest';
import { freshKeys, ORD_STEP, placeRows } from '../../server/store/order.js';

describe('order keys', () => {
  it('numbers rows afresh ORD_STEP apart', () => {
    expect(freshKeys(3)).toEqual([ORD_STEP, 2 * ORD_STEP, 3 * ORD_STEP]);
    expect(freshKeys(0)).toEqual([]);
  });

  it('gives replacing rows keys between their unchanged neighbours, touching no other key', () => {
    const ords = freshKeys(4); // 1024 2048 3072 4096
    // A split of row 1: one row out, two in, between 1024 and 3072.
    const split = placeRows(ords, 1, 1, 2);
    expect(split.renumbered).toBe(false);
    expect(split.keys).toEqual([1024 + 2048 / 3, 1024 + (2 * 2048) / 3]);
    expect(split.ords).toEqual([1024, ...split.keys, 3072, 4096]);
    // A merge of rows 2 and 3 (the last two): one key after 2048.
    expect(placeRows(ords, 2, 2, 1)).toEqual({ keys: [2048 + ORD_STEP], ords: [1024, 2048, 3072], renumbered: false });
    // A row in front of the first one: between 0 and 1024.
    expect(placeRows(ords, 0, 0, 1).ords).toEqual([512, 1024, 2048, 3072, 4096]);
    // Rows removed only.
    expect(placeRows(ords, 1, 2, 0)).toEqual({ keys: [], ords: [1024, 4096], renumbered: false });
  });

  it('numbers every row afresh once a gap is exhausted', () => {
    const ords = [1, 1 + 1e-7, 2];
    const placed = placeRows(ords, 1, 0, 1);
    expect(placed.renumbered).toBe(true);
    expect(placed.ords).toEqual(freshKeys(4));
    expect(placed.keys).toEqual([2 * ORD_STEP]);
  });
});

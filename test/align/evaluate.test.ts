import { describe, expect, it } from 'vitest';
import { countBeads, formatBead, parseBeads, scoresOf } from '../../server/align/evaluate.js';

describe('strict / lax scores', () => {
  it('parses and prints the [i,j]:[k] format', () => {
    const beads = parseBeads('[0,1]:[0]\n[2]:[1,2]\n[3]:[]\n[]:[3]\n');
    expect(beads).toEqual([
      { a: [0, 1], b: [0] },
      { a: [2], b: [1, 2] },
      { a: [3], b: [] },
      { a: [], b: [3] },
    ]);
    expect(beads.map(formatBead).join('\n')).toBe('[0,1]:[0]\n[2]:[1,2]\n[3]:[]\n[]:[3]');
    expect(() => parseBeads('0-1')).toThrow(/not a bead/);
  });

  it('counts strict and lax hits by hand-checked example', () => {
    const gold = parseBeads('[0,1]:[0]\n[2]:[1,2]\n[3]:[]');
    const test = parseBeads('[0]:[0]\n[1]:[]\n[2]:[1,2]\n[3]:[]');
    const c = countBeads(test, gold);
    // Precision over 4 test beads: strict hits [2]:[1,2] and [3]:[]; lax adds [0]:[0] ([1]:[] has no b).
    expect([c.testBeads, c.strictHitsP, c.laxHitsP]).toEqual([4, 2, 3]);
    // Recall over gold beads non-empty on both sides (2): strict [2]:[1,2]; lax both.
    expect([c.goldBeads, c.strictHitsR, c.laxHitsR]).toEqual([2, 1, 2]);
    const s = scoresOf(c);
    expect(s.precision_strict).toBeCloseTo(0.5);
    expect(s.recall_strict).toBeCloseTo(0.5);
    expect(s.f1_strict).toBeCloseTo(0.5);
    expect(s.precision_lax).toBeCloseTo(0.75);
    expect(s.recall_lax).toBeCloseTo(1);
    expect(s.f1_lax).toBeCloseTo((2 * 0.75) / 1.75);
  });
});

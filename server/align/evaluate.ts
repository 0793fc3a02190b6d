/**
 * Strict and lax precision / recall / F1 of test beads against gold beads, as defined by Vecalign
 * (Thompson & Koehn 2019) and used by Bertalign; counts are kept so files can be micro-averaged.
 */
export interface PlainBead {
  a: readonly number[];
  b: readonly number[];
}

export interface EvalCounts {
  strictHitsP: number;
  laxHitsP: number;
  testBeads: number;
  strictHitsR: number;
  laxHitsR: number;
  goldBeads: number;
}

export interface EvalScores {
  precision_strict: number;
  recall_strict: number;
  f1_strict: number;
  precision_lax: number;
  recall_lax: number;
  f1_lax: number;
}

/** Parses the `[i,j]:[k]` format, one bead per line. */
export function parseBeads(text: string): PlainBead[] {
  const out: PlainBead[] = [];
  for (const line of text.split(/\r?\n/)) {
    const t = line.trim();
    if (!t) continue;
    const m = /^\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]$/.exec(t);
    if (!m) throw new Error(`not a bead: ${t.slice(0, 60)}`);
    const nums = (s: string): number[] => s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    out.push({ a: nums(m[1] ?? ''), b: nums(m[2] ?? '') });
  }
  return out;
}

export function formatBead(b: PlainBead): string {
  return `[${b.a.join(',')}]:[${b.b.join(',')}]`;
}

const key = (b: PlainBead): string => formatBead(b);

/** Hits of `test` against `ref`: strict = identical bead; lax = strict, or an a-sentence whose ref bead overlaps it on b. */
function hits(test: readonly PlainBead[], ref: readonly PlainBead[]): { strict: number; lax: number } {
  const refKeys = new Set(ref.map(key));
  const refOfA = new Map<number, PlainBead>();
  for (const r of ref) for (const i of r.a) refOfA.set(i, r);
  let strict = 0;
  let lax = 0;
  for (const t of test) {
    if (refKeys.has(key(t))) {
      // An exact match is a lax match too (also for 1-0 / 0-1 beads, which overlap nothing).
      strict++;
      lax++;
      continue;
    }
    const tb = new Set(t.b);
    if (t.a.some((i) => refOfA.get(i)?.b.some((j) => tb.has(j)))) lax++;
  }
  return { strict, lax };
}

export function countBeads(test: readonly PlainBead[], gold: readonly PlainBead[]): EvalCounts {
  const p = hits(test, gold);
  // Recall ignores beads that are empty on either side (in both lists).
  const nonEmpty = (b: PlainBead): boolean => b.a.length > 0 && b.b.length > 0;
  const r = hits(gold.filter(nonEmpty), test.filter(nonEmpty));
  return {
    strictHitsP: p.strict,
    laxHitsP: p.lax,
    testBeads: test.length,
    strictHitsR: r.strict,
    laxHitsR: r.lax,
    goldBeads: gold.filter(nonEmpty).length,
  };
}

export function addCounts(x: EvalCounts, y: EvalCounts): EvalCounts {
  return {
    strictHitsP: x.strictHitsP + y.strictHitsP,
    laxHitsP: x.laxHitsP + y.laxHitsP,
    testBeads: x.testBeads + y.testBeads,
    strictHitsR: x.strictHitsR + y.strictHitsR,
    laxHitsR: x.laxHitsR + y.laxHitsR,
    goldBeads: x.goldBeads + y.goldBeads,
  };
}

export const ZERO_COUNTS: EvalCounts = { strictHitsP: 0, laxHitsP: 0, testBeads: 0, strictHitsR: 0, laxHitsR: 0, goldBeads: 0 };

const f1 = (p: number, r: number): number => (p + r > 0 ? (2 * p * r) / (p + r) : 0);
const div = (a: number, b: number): number => (b > 0 ? a / b : 0);

export function scoresOf(c: EvalCounts): EvalScores {
  const ps = div(c.strictHitsP, c.testBeads);
  const rs = div(c.strictHitsR, c.goldBeads);
  const pl = div(c.laxHitsP, c.testBeads);
  const rl = div(c.laxHitsR, c.goldBeads);
  return { precision_strict: ps, recall_strict: rs, f1_strict: f1(ps, rs), precision_lax: pl, recall_lax: rl, f1_lax: f1(pl, rl) };
}

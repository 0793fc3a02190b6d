import type { Paragraph, ParagraphPair, TextSide } from '../domain.js';

export interface PairOptions {
  /**
   * Similarity of paragraphs ai of side a and bi of side b (global indices), roughly in [0, 1]:
   * higher is better, 0 means no evidence. Optional; without it pairing uses lengths only.
   */
  score?: (ai: number[], bi: number[]) => number;
}

export interface PairResult {
  pairs: ParagraphPair[];
  /** Paragraphs without a counterpart; they are also in `pairs` as 1-0 / 0-1 pairs. */
  unpaired: { a: number[]; b: number[] };
}

/** DP over more cells than this uses a band around the length diagonal (keeps time and memory linear). */
const FULL_DP_MAX_CELLS = 4_000_000;
const BAND_HALF_WIDTH = 100;
/** Cost of a paragraph without counterpart, and of a 2-1 / 1-2 merge, in units of the length cost. */
const SKIP_COST = 4.5;
const MERGE_COST = 2;
/** Gale–Church variance of the length difference per character (6.8 within one language; zh–en varies more). */
const VARIANCE_PER_CHAR = 10;
/** Length smoothing (characters) so that short lines (titles) do not dominate. */
const LENGTH_SMOOTHING = 10;
const SCORE_WEIGHT = 3;

/**
 * Pairs the paragraphs of two sides, in order.
 * 1. A side with a single paragraph (e.g. presplit text) pairs whole with the other side ('whole').
 * 2. Anchors ('number'): numbered paragraphs with the same number (longest common subsequence of the
 *    number sequences, so duplicates and gaps are fine), and title/date lines matched by kind and
 *    position when both sides have as many of them.
 * 3. Between anchors ('dp'): dynamic programming over 1-1, 1-0, 0-1, 2-1, 1-2 with a Gale–Church
 *    length cost (the expected ratio calibrated from the two texts' total lengths, so zh/en ≈ 1:3 is
 *    expected, not 1:1), bead-type penalties and the optional similarity. Two numbered paragraphs with
 *    different numbers never pair, so a number present on one side only stays unpaired.
 * Every paragraph is in exactly one pair; none is dropped.
 */
export function pairParagraphs(a: TextSide, b: TextSide, opts: PairOptions = {}): PairResult {
  const pa = a.paragraphs;
  const pb = b.paragraphs;
  if (pa.length === 1 && pb.length >= 1) return whole(pa, pb);
  if (pb.length === 1 && pa.length >= 1) return whole(pa, pb);
  const lenA = Float64Array.from(pa, contentLength);
  const lenB = Float64Array.from(pb, contentLength);
  const totA = sum(lenA);
  const totB = sum(lenB);
  const ratio = totA > 0 && totB > 0 ? totB / totA : 1;
  const numA = Uint8Array.from(pa, (p) => (p.kind === 'numbered' ? 1 : 0));
  const numB = Uint8Array.from(pb, (p) => (p.kind === 'numbered' ? 1 : 0));
  const ctx: DpContext = { pa, pb, lenA, lenB, numA, numB, ratio, score: opts.score };
  const anchorList = anchors(pa, pb);
  let pairs = alignAll(ctx, anchorList);
  // An omitted or added paragraph skews the total-length ratio; recalibrate on the 1-1 pairs found
  // and realign, so the skip is not mistaken for a merge.
  if (pairs.some((p) => p.method === 'dp')) {
    const better = ratioFromOneToOne(ctx, pairs, totA, totB);
    if (better !== null && Math.abs(Math.log(better / ratio)) > 0.01) pairs = alignAll({ ...ctx, ratio: better }, anchorList);
  }
  const unpaired = { a: [] as number[], b: [] as number[] };
  for (const p of pairs) {
    if (p.b.length === 0) unpaired.a.push(...p.a);
    if (p.a.length === 0) unpaired.b.push(...p.b);
  }
  return { pairs, unpaired };
}

function alignAll(ctx: DpContext, anchorList: Array<[number, number]>): ParagraphPair[] {
  const pairs: ParagraphPair[] = [];
  let i0 = 0;
  let j0 = 0;
  for (const [ai, bj] of anchorList) {
    pairs.push(...alignGap(ctx, i0, ai, j0, bj));
    pairs.push({ a: [ai], b: [bj], method: 'number' });
    i0 = ai + 1;
    j0 = bj + 1;
  }
  pairs.push(...alignGap(ctx, i0, ctx.pa.length, j0, ctx.pb.length));
  return pairs;
}

/** Length ratio b/a over 1-1 pairs, when they cover at least a quarter of both texts. */
function ratioFromOneToOne(ctx: DpContext, pairs: ParagraphPair[], totA: number, totB: number): number | null {
  let la = 0;
  let lb = 0;
  for (const p of pairs) {
    if (p.a.length !== 1 || p.b.length !== 1) continue;
    la += ctx.lenA[p.a[0]!]!;
    lb += ctx.lenB[p.b[0]!]!;
  }
  if (la === 0 || lb === 0 || la < totA / 4 || lb < totB / 4) return null;
  return lb / la;
}

function whole(pa: Paragraph[], pb: Paragraph[]): PairResult {
  return {
    pairs: [{ a: pa.map((p) => p.index), b: pb.map((p) => p.index), method: 'whole' }],
    unpaired: { a: [], b: [] },
  };
}

/** Non-space characters: the length measure used for the ratio. */
function contentLength(p: Paragraph): number {
  let n = 0;
  for (let i = 0; i < p.text.length; i++) if (p.text.charCodeAt(i) > 0x20) n++;
  return n;
}

function sum(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

/** Structural keys: numbers, and title/date ordinals when both sides have the same count of them. */
function keysOf(ps: Paragraph[], other: Paragraph[]): Array<string | null> {
  const count = (xs: Paragraph[], k: string): number => xs.filter((p) => p.kind === k).length;
  const useTitle = count(ps, 'title') > 0 && count(ps, 'title') === count(other, 'title');
  const useDate = count(ps, 'date') > 0 && count(ps, 'date') === count(other, 'date');
  let t = 0;
  let d = 0;
  return ps.map((p) => {
    if (p.kind === 'numbered' && p.number !== null) return `n:${p.number}`;
    if (p.kind === 'title') return useTitle ? `t:${t++}` : null;
    if (p.kind === 'date') return useDate ? `d:${d++}` : null;
    return null;
  });
}

/** Anchor pairs (a index, b index), increasing on both sides: LCS of the key sequences. */
function anchors(pa: Paragraph[], pb: Paragraph[]): Array<[number, number]> {
  const ka = keysOf(pa, pb);
  const kb = keysOf(pb, pa);
  const ia = ka.flatMap((k, i) => (k === null ? [] : [i]));
  const ib = kb.flatMap((k, i) => (k === null ? [] : [i]));
  const n = ia.length;
  const m = ib.length;
  if (n === 0 || m === 0) return [];
  if (n * m > 25_000_000) return greedyAnchors(ka, kb, ia, ib);
  // Lengths of LCS suffixes, row by row; the direction table drives the walk back.
  const dir = new Uint8Array(n * m); // 1 = match, 2 = skip a, 3 = skip b
  let next = new Uint32Array(m + 1);
  let cur = new Uint32Array(m + 1);
  for (let x = n - 1; x >= 0; x--) {
    cur[m] = 0;
    const keyA = ka[ia[x]!];
    for (let y = m - 1; y >= 0; y--) {
      if (keyA === kb[ib[y]!]) {
        cur[y] = next[y + 1]! + 1;
        dir[x * m + y] = 1;
      } else if (next[y]! >= cur[y + 1]!) {
        cur[y] = next[y]!;
        dir[x * m + y] = 2;
      } else {
        cur[y] = cur[y + 1]!;
        dir[x * m + y] = 3;
      }
    }
    [next, cur] = [cur, next];
  }
  const out: Array<[number, number]> = [];
  let x = 0;
  let y = 0;
  while (x < n && y < m) {
    const d = dir[x * m + y];
    if (d === 1) {
      out.push([ia[x]!, ib[y]!]);
      x++;
      y++;
    } else if (d === 2) x++;
    else y++;
  }
  return out;
}

/** For huge inputs: match each key to its next occurrence on the other side, in order. */
function greedyAnchors(ka: Array<string | null>, kb: Array<string | null>, ia: number[], ib: number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let y = 0;
  for (const x of ia) {
    for (let z = y; z < Math.min(ib.length, y + 50); z++) {
      if (kb[ib[z]!] === ka[x]) {
        out.push([x, ib[z]!]);
        y = z + 1;
        break;
      }
    }
  }
  return out;
}

interface DpContext {
  pa: Paragraph[];
  pb: Paragraph[];
  lenA: Float64Array;
  lenB: Float64Array;
  /** 1 where the paragraph is numbered (such paragraphs never pair with each other in the DP). */
  numA: Uint8Array;
  numB: Uint8Array;
  ratio: number;
  score: PairOptions['score'];
}

/** Moves of the DP: paragraphs of a (MOVE_A[k]) and of b (MOVE_B[k]): 1-1, 1-0, 0-1, 2-1, 1-2. */
const MOVE_A = [1, 1, 0, 2, 1];
const MOVE_B = [1, 0, 1, 1, 2];

/** Pairs paragraphs a[i0, i1) with b[j0, j1) by DP. */
function alignGap(ctx: DpContext, i0: number, i1: number, j0: number, j1: number): ParagraphPair[] {
  const n = i1 - i0;
  const m = j1 - j0;
  if (n === 0 && m === 0) return [];
  if (n === 0 || m === 0) {
    const out: ParagraphPair[] = [];
    for (let i = i0; i < i1; i++) out.push({ a: [i], b: [], method: 'dp' });
    for (let j = j0; j < j1; j++) out.push({ a: [], b: [j], method: 'dp' });
    return out;
  }
  const { lo, hi } = band(ctx, i0, n, j0, m);
  const rowStart = new Int32Array(n + 2);
  for (let i = 0; i <= n; i++) rowStart[i + 1] = rowStart[i]! + (hi[i]! - lo[i]! + 1);
  const cells = rowStart[n + 1]!;
  const cost = new Float64Array(cells).fill(Infinity);
  const back = new Uint8Array(cells);
  const at = (i: number, j: number): number => (j < lo[i]! || j > hi[i]! ? -1 : rowStart[i]! + j - lo[i]!);
  cost[0] = 0;
  for (let i = 0; i <= n; i++) {
    const loI = lo[i]!;
    const hiI = hi[i]!;
    const base = rowStart[i]! - loI;
    for (let j = loI; j <= hiI; j++) {
      if (i === 0 && j === 0) continue;
      let best = Infinity;
      let move = 0;
      for (let k = 0; k < MOVE_A.length; k++) {
        const da = MOVE_A[k]!;
        const db = MOVE_B[k]!;
        const pi = i - da;
        const pj = j - db;
        if (pi < 0 || pj < lo[pi]! || pj > hi[pi]!) continue;
        const c0 = cost[rowStart[pi]! + pj - lo[pi]!]!;
        if (c0 === Infinity) continue;
        const c = c0 + beadCost(ctx, i0 + pi, da, j0 + pj, db);
        if (c < best) {
          best = c;
          move = k;
        }
      }
      cost[base + j] = best;
      back[base + j] = move;
    }
  }
  const out: ParagraphPair[] = [];
  let i = n;
  let j = m;
  while (i > 0 || j > 0) {
    const k = back[at(i, j)]!;
    const da = MOVE_A[k]!;
    const db = MOVE_B[k]!;
    const pair: ParagraphPair = { a: [], b: [], method: 'dp' };
    for (let x = i - da; x < i; x++) pair.a.push(i0 + x);
    for (let y = j - db; y < j; y++) pair.b.push(j0 + y);
    out.push(pair);
    i -= da;
    j -= db;
  }
  out.reverse();
  return orderSkips(out);
}

/** Within a run of 1-0 / 0-1 pairs the order is arbitrary: put side a's first, for deterministic output. */
function orderSkips(pairs: ParagraphPair[]): ParagraphPair[] {
  const out: ParagraphPair[] = [];
  let run: ParagraphPair[] = [];
  const flush = (): void => {
    out.push(...run.filter((p) => p.b.length === 0), ...run.filter((p) => p.a.length === 0));
    run = [];
  };
  for (const p of pairs) {
    if (p.a.length === 0 || p.b.length === 0) run.push(p);
    else {
      flush();
      out.push(p);
    }
  }
  flush();
  return out;
}

/** Rows' allowed column ranges: everything for small gaps, else a band around the length diagonal. */
function band(ctx: DpContext, i0: number, n: number, j0: number, m: number): { lo: Int32Array; hi: Int32Array } {
  const lo = new Int32Array(n + 1);
  const hi = new Int32Array(n + 1).fill(m);
  if ((n + 1) * (m + 1) <= FULL_DP_MAX_CELLS) return { lo, hi };
  const cumB = new Float64Array(m + 1);
  for (let y = 0; y < m; y++) cumB[y + 1] = cumB[y]! + ctx.lenB[j0 + y]! + 1;
  let totA = 0;
  for (let x = 0; x < n; x++) totA += ctx.lenA[i0 + x]! + 1;
  let accA = 0;
  let y = 0;
  for (let x = 0; x <= n; x++) {
    const target = (accA / totA) * cumB[m]!;
    while (y < m && cumB[y + 1]! <= target) y++;
    lo[x] = Math.max(0, y - BAND_HALF_WIDTH);
    hi[x] = Math.min(m, y + BAND_HALF_WIDTH);
    if (x > 0) lo[x] = Math.min(lo[x]!, hi[x - 1]! + 1); // keep the band connected
    if (x < n) accA += ctx.lenA[i0 + x]! + 1;
  }
  lo[0] = 0;
  hi[n] = m;
  for (let x = n - 1; x >= 0; x--) hi[x] = Math.max(hi[x]!, lo[x + 1]! - 1); // and reachable to the end
  return { lo, hi };
}

function beadCost(ctx: DpContext, ai: number, na: number, bj: number, nb: number): number {
  if (na === 0 || nb === 0) return SKIP_COST;
  let la = ctx.lenA[ai]!;
  let lb = ctx.lenB[bj]!;
  let numberedA = ctx.numA[ai]! === 1;
  let numberedB = ctx.numB[bj]! === 1;
  if (na === 2) {
    la += ctx.lenA[ai + 1]!;
    numberedA ||= ctx.numA[ai + 1]! === 1;
  }
  if (nb === 2) {
    lb += ctx.lenB[bj + 1]!;
    numberedB ||= ctx.numB[bj + 1]! === 1;
  }
  if (numberedA && numberedB) return Infinity; // different numbers (equal ones are anchors)
  // Gale–Church: the difference is measured in the units of the longer side (English characters for
  // zh–en), where the variance per character is roughly language-independent.
  const ea = ctx.ratio >= 1 ? la * ctx.ratio : la;
  const eb = ctx.ratio >= 1 ? lb : lb / ctx.ratio;
  const delta = (eb - ea) / Math.sqrt(VARIANCE_PER_CHAR * ((ea + eb) / 2 + LENGTH_SMOOTHING));
  let c = (delta * delta) / 2;
  if (na + nb > 2) c += MERGE_COST;
  if (ctx.score) c -= SCORE_WEIGHT * ctx.score(range(ai, na), range(bj, nb));
  return c;
}

function range(from: number, n: number): number[] {
  return n === 1 ? [from] : [from, from + 1];
}

/**
 * IBM Model 1 (with a NULL word), trained by EM on sentence pairs: source words → target terms.
 * Returns, per source word, the target terms whose translation probability passes a threshold —
 * the document's own vocabulary that the dictionary lacks (Moore 2002). Words come as integer ids
 * (the lexical model's own); pairs of them are interned once, so each EM iteration runs over flat
 * typed arrays. `trainIbm1` / `trainIbm1Symmetric` take words as strings.
 */
export interface Ibm1Options {
  iterations: number;
  /** Keep t(e|f) ≥ threshold. */
  threshold: number;
  /** Ignore source words seen in fewer pairs than this. */
  minCount: number;
}

/** A sentence pair as word ids: source words, target terms. */
export type IdPair = readonly [ArrayLike<number>, ArrayLike<number>];

/** The training data interned: one cell per (source word, target term) pair that co-occurs. */
interface Cells {
  /** Dense id → caller's id (source words from 1; 0 is NULL), in order of first appearance. */
  fIds: number[];
  eIds: number[];
  /** Pairs each source word occurs in. */
  fCount: Int32Array;
  cellF: Int32Array;
  cellE: Int32Array;
  /** Per target term occurrence o: the cells of (each source word of its pair and NULL, e), occCells[occStart[o] …]. */
  occStart: Int32Array;
  occCells: Int32Array;
}

/** Caller's ids → dense ids in order of first appearance (an array indexed by the caller's id). */
class Dense {
  readonly ids: number[];
  private map: Int32Array;
  constructor(first: number[] = []) {
    this.ids = first;
    this.map = new Int32Array(64).fill(-1);
  }
  of(id: number): number {
    if (id >= this.map.length) {
      const grown = new Int32Array(Math.max(2 * this.map.length, id + 1)).fill(-1);
      grown.set(this.map);
      this.map = grown;
    }
    let x = this.map[id] ?? -1;
    if (x < 0) {
      x = this.ids.length;
      this.map[id] = x;
      this.ids.push(id);
    }
    return x;
  }
}

function intern(pairs: readonly IdPair[]): Cells {
  const fDense = new Dense([-1]); // 0 = NULL
  const eDense = new Dense();
  // Dense ids first (in order of first appearance, per side), so a cell key f · E + e stays a small integer.
  const fsOf: Int32Array[] = [];
  const esOf: Int32Array[] = [];
  let seen = new Int32Array(64);
  for (let p = 0; p < pairs.length; p++) {
    const [f, e] = pairs[p] ?? [[], []];
    const fs: number[] = [0];
    for (let x = 0; x < f.length; x++) {
      const d = fDense.of(f[x] ?? 0);
      if (d >= seen.length) {
        const grown = new Int32Array(2 * d + 2);
        grown.set(seen);
        seen = grown;
      }
      if (seen[d] !== p + 1) {
        seen[d] = p + 1;
        fs.push(d);
      }
    }
    fsOf.push(Int32Array.from(fs));
    const es = new Int32Array(e.length);
    for (let x = 0; x < e.length; x++) es[x] = eDense.of(e[x] ?? 0);
    esOf.push(es);
  }
  const E = eDense.ids.length;
  const fCount = new Int32Array(fDense.ids.length);
  const cells = new Map<number, number>(); // f · E + e → cell index
  const cellF: number[] = [];
  const cellE: number[] = [];
  let nOcc = 0;
  let nOccCells = 0;
  for (let p = 0; p < pairs.length; p++) {
    nOcc += esOf[p]?.length ?? 0;
    nOccCells += (esOf[p]?.length ?? 0) * (fsOf[p]?.length ?? 0);
  }
  const occStart = new Int32Array(nOcc + 1);
  const occCells = new Int32Array(nOccCells);
  let o = 0;
  let q = 0;
  // Indexed loops, not for…of: this runs once per process, mostly before it is optimised, where
  // iterating a typed array allocates a result object per element.
  for (let p = 0; p < pairs.length; p++) {
    const fs = fsOf[p] ?? new Int32Array(1);
    const es = esOf[p] ?? new Int32Array(0);
    for (let x = 1; x < fs.length; x++) fCount[fs[x] ?? 0] = (fCount[fs[x] ?? 0] ?? 0) + 1;
    for (let y = 0; y < es.length; y++) {
      const eid = es[y] ?? 0;
      for (let x = 0; x < fs.length; x++) {
        const fid = fs[x] ?? 0;
        const key = fid * E + eid;
        let c = cells.get(key);
        if (c === undefined) {
          c = cellF.length;
          cells.set(key, c);
          cellF.push(fid);
          cellE.push(eid);
        }
        occCells[q++] = c;
      }
      occStart[++o] = q;
    }
  }
  return { fIds: fDense.ids, eIds: eDense.ids, fCount, cellF: Int32Array.from(cellF), cellE: Int32Array.from(cellE), occStart, occCells };
}

/** EM: t(e|f) per cell after `iterations` rounds from a uniform start. */
function em(c: Cells, iterations: number): Float64Array {
  const nCells = c.cellF.length;
  const t = new Float64Array(nCells).fill(1);
  const count = new Float64Array(nCells);
  const total = new Float64Array(c.fIds.length);
  const { occStart: os, occCells: oc, cellF: cf } = c;
  for (let it = 0; it < iterations; it++) {
    count.fill(0);
    total.fill(0);
    for (let o = 0; o + 1 < os.length; o++) {
      const s0 = os[o] ?? 0;
      const s1 = os[o + 1] ?? 0;
      let z = 0;
      for (let q = s0; q < s1; q++) z += t[oc[q] ?? 0] ?? 0;
      if (z <= 0) continue;
      for (let q = s0; q < s1; q++) {
        const cell = oc[q] ?? 0;
        const p = (t[cell] ?? 0) / z;
        count[cell] = (count[cell] ?? 0) + p;
        const f = cf[cell] ?? 0;
        total[f] = (total[f] ?? 0) + p;
      }
    }
    for (let cell = 0; cell < nCells; cell++) {
      const z = total[cf[cell] ?? 0] ?? 0;
      t[cell] = z > 0 ? (count[cell] ?? 0) / z : 0;
    }
  }
  return t;
}

/**
 * Per source word (in order of first appearance), the target terms that pass, most probable first,
 * equals by name (`eName`).
 */
function table(c: Cells, t: Float64Array, opts: Ibm1Options, eName: (e: number) => string): Map<number, number[]> {
  const keep = new Map<number, Array<[number, number]>>();
  for (let cell = 0; cell < t.length; cell++) {
    const f = c.cellF[cell] ?? 0;
    const p = t[cell] ?? 0;
    if (f === 0 || p < opts.threshold || (c.fCount[f] ?? 0) < opts.minCount) continue;
    let row = keep.get(f);
    if (!row) {
      row = [];
      keep.set(f, row);
    }
    row.push([c.eIds[c.cellE[cell] ?? 0] ?? 0, p]);
  }
  const out = new Map<number, number[]>();
  for (const [f, row] of [...keep].sort((x, y) => x[0] - y[0])) {
    row.sort((x, y) => y[1] - x[1] || (eName(x[0]) < eName(y[0]) ? -1 : 1));
    out.set(c.fIds[f] ?? 0, row.map(([e]) => e));
  }
  return out;
}

/** IBM Model 1 on word ids: source word id → target term ids. */
export function trainIbm1Ids(pairs: readonly IdPair[], opts: Ibm1Options, eName: (e: number) => string): Map<number, number[]> {
  const cells = intern(pairs);
  return table(cells, em(cells, opts.iterations), opts, eName);
}

/**
 * IBM Model 1 trained in both directions (source → target and target → source); keeps a pair only
 * when each direction passes the threshold. The intersection is the usual symmetrisation for
 * precision (as for alignment links in Och & Ney 2003): a frequent target word that co-occurs with
 * everything passes one direction but not the other.
 */
export function trainIbm1SymmetricIds(
  pairs: readonly IdPair[],
  opts: Ibm1Options,
  names: { f: (f: number) => string; e: (e: number) => string },
): Map<number, number[]> {
  const forward = trainIbm1Ids(pairs, opts, names.e);
  const backward = trainIbm1Ids(
    pairs.map(([f, e]) => [e, f] as const),
    opts,
    names.f,
  );
  const out = new Map<number, number[]>();
  for (const [f, es] of forward) {
    const kept = es.filter((e) => backward.get(e)?.includes(f) ?? false);
    if (kept.length > 0) out.set(f, kept);
  }
  return out;
}

type StringPairs = ReadonlyArray<readonly [readonly string[], readonly string[]]>;

/** The pairs as ids (one id space per side) and the way back. */
function idsOf(pairs: StringPairs): { pairs: IdPair[]; f: string[]; e: string[] } {
  const fMap = new Map<string, number>();
  const eMap = new Map<string, number>();
  const f: string[] = [];
  const e: string[] = [];
  const id = (map: Map<string, number>, names: string[], w: string): number => {
    let x = map.get(w);
    if (x === undefined) {
      x = names.length;
      map.set(w, x);
      names.push(w);
    }
    return x;
  };
  return { pairs: pairs.map(([fs, es]) => [fs.map((w) => id(fMap, f, w)), es.map((w) => id(eMap, e, w))] as const), f, e };
}

function named(table: Map<number, number[]>, f: string[], e: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [fi, es] of table) out.set(f[fi] ?? '', es.map((x) => e[x] ?? ''));
  return out;
}

export function trainIbm1(pairs: StringPairs, opts: Ibm1Options): Map<string, string[]> {
  const x = idsOf(pairs);
  return named(trainIbm1Ids(x.pairs, opts, (i) => x.e[i] ?? ''), x.f, x.e);
}

export function trainIbm1Symmetric(pairs: StringPairs, opts: Ibm1Options): Map<string, string[]> {
  const x = idsOf(pairs);
  return named(trainIbm1SymmetricIds(x.pairs, opts, { f: (i) => x.f[i] ?? '', e: (i) => x.e[i] ?? '' }), x.f, x.e);
}

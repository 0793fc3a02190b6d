/**
 * IBM Model 1 (with a NULL word), trained by EM on sentence pairs: source words → target terms.
 * Returns, per source word, the target terms whose translation probability passes a threshold —
 * the document's own vocabulary that the dictionary lacks (Moore 2002). Word pairs are interned
 * once, so each EM iteration runs over flat typed arrays.
 */
export interface Ibm1Options {
  iterations: number;
  /** Keep t(e|f) ≥ threshold. */
  threshold: number;
  /** Ignore source words seen in fewer pairs than this. */
  minCount: number;
}

/** The training data interned: one cell per (source word, target term) pair that co-occurs. */
interface Cells {
  fWords: string[];
  eWords: string[];
  /** Pairs each source word occurs in. */
  fCount: number[];
  cellF: Int32Array;
  cellE: Int32Array;
  /** Per target term occurrence o: the cells of (each source word of its pair and NULL, e), occCells[occStart[o] …]. */
  occStart: Int32Array;
  occCells: Int32Array;
}

function intern(pairs: ReadonlyArray<readonly [readonly string[], readonly string[]]>): Cells {
  const fIds = new Map<string, number>([['', 0]]); // 0 = NULL
  const eIds = new Map<string, number>();
  const id = (m: Map<string, number>, w: string): number => {
    let x = m.get(w);
    if (x === undefined) m.set(w, (x = m.size));
    return x;
  };
  // Ids first (in order of first appearance, per side), so a cell key f · E + e stays a small integer.
  const fIdsOf = pairs.map(([f]) => [0, ...new Set(f.map((w) => id(fIds, w)))]);
  const eIdsOf = pairs.map(([, e]) => e.map((w) => id(eIds, w)));
  const E = eIds.size;
  const fCount: number[] = [0];
  const cells = new Map<number, number>(); // f · E + e → cell index
  const cellF: number[] = [];
  const cellE: number[] = [];
  const occStart: number[] = [0];
  const occCells: number[] = [];
  for (let p = 0; p < pairs.length; p++) {
    const fs = fIdsOf[p] ?? [0];
    for (let x = 1; x < fs.length; x++) fCount[fs[x] ?? 0] = (fCount[fs[x] ?? 0] ?? 0) + 1;
    for (const eid of eIdsOf[p] ?? []) {
      for (const fid of fs) {
        const key = fid * E + eid;
        let c = cells.get(key);
        if (c === undefined) {
          c = cellF.length;
          cells.set(key, c);
          cellF.push(fid);
          cellE.push(eid);
        }
        occCells.push(c);
      }
      occStart.push(occCells.length);
    }
  }
  return {
    fWords: [...fIds.keys()],
    eWords: [...eIds.keys()],
    fCount,
    cellF: Int32Array.from(cellF),
    cellE: Int32Array.from(cellE),
    occStart: Int32Array.from(occStart),
    occCells: Int32Array.from(occCells),
  };
}

/** EM: t(e|f) per cell after `iterations` rounds from a uniform start. */
function em(c: Cells, iterations: number): Float64Array {
  const nCells = c.cellF.length;
  const t = new Float64Array(nCells).fill(1);
  const count = new Float64Array(nCells);
  const total = new Float64Array(c.fWords.length);
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

/** Per source word (in order of first appearance), the target terms that pass, most probable first. */
function table(c: Cells, t: Float64Array, opts: Ibm1Options): Map<string, string[]> {
  const keep = new Map<number, Array<[string, number]>>();
  for (let cell = 0; cell < t.length; cell++) {
    const f = c.cellF[cell] ?? 0;
    const p = t[cell] ?? 0;
    if (f === 0 || p < opts.threshold || (c.fCount[f] ?? 0) < opts.minCount) continue;
    let row = keep.get(f);
    if (!row) keep.set(f, (row = []));
    row.push([c.eWords[c.cellE[cell] ?? 0] ?? '', p]);
  }
  const out = new Map<string, string[]>();
  for (const [f, row] of [...keep].sort((x, y) => x[0] - y[0])) {
    row.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    out.set(c.fWords[f] ?? '', row.map(([e]) => e));
  }
  return out;
}

export function trainIbm1(pairs: ReadonlyArray<readonly [readonly string[], readonly string[]]>, opts: Ibm1Options): Map<string, string[]> {
  const cells = intern(pairs);
  return table(cells, em(cells, opts.iterations), opts);
}

/**
 * IBM Model 1 trained in both directions (source → target and target → source); keeps a pair only
 * when each direction passes the threshold. The intersection is the usual symmetrisation for
 * precision (as for alignment links in Och & Ney 2003): a frequent target word that co-occurs with
 * everything passes one direction but not the other.
 */
export function trainIbm1Symmetric(pairs: ReadonlyArray<readonly [readonly string[], readonly string[]]>, opts: Ibm1Options): Map<string, string[]> {
  const forward = trainIbm1(pairs, opts);
  const backward = trainIbm1(
    pairs.map(([f, e]) => [e, f] as const),
    opts,
  );
  const out = new Map<string, string[]>();
  for (const [f, es] of forward) {
    const kept = es.filter((e) => backward.get(e)?.includes(f) ?? false);
    if (kept.length > 0) out.set(f, kept);
  }
  return out;
}

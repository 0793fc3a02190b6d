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

export function trainIbm1(pairs: ReadonlyArray<readonly [readonly string[], readonly string[]]>, opts: Ibm1Options): Map<string, string[]> {
  const fIds = new Map<string, number>([['', 0]]); // 0 = NULL
  const eIds = new Map<string, number>();
  const intern = (m: Map<string, number>, w: string): number => {
    let x = m.get(w);
    if (x === undefined) {
      x = m.size;
      m.set(w, x);
    }
    return x;
  };
  const fCount: number[] = [0];
  const cells = new Map<number, number>(); // f * E' + e → cell index
  const cellF: number[] = [];
  const cellE: number[] = [];
  // Per pair, per target term occurrence: the cells of (each source word, e).
  const occStart: number[] = [0];
  const occCells: number[] = [];
  const E_STRIDE = 1 << 20;
  for (const [f, e] of pairs) {
    const fs = [0, ...new Set(f.map((w) => intern(fIds, w)))];
    for (const x of fs.slice(1)) fCount[x] = (fCount[x] ?? 0) + 1;
    for (const ew of e) {
      const eid = intern(eIds, ew);
      for (const fid of fs) {
        const key = fid * E_STRIDE + eid;
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
  const nCells = cellF.length;
  const t = new Float64Array(nCells).fill(1);
  const count = new Float64Array(nCells);
  const total = new Float64Array(fIds.size);
  const oc = Int32Array.from(occCells);
  const os = Int32Array.from(occStart);
  const cf = Int32Array.from(cellF);
  for (let it = 0; it < opts.iterations; it++) {
    count.fill(0);
    total.fill(0);
    for (let o = 0; o + 1 < os.length; o++) {
      const s0 = os[o] ?? 0;
      const s1 = os[o + 1] ?? 0;
      let z = 0;
      for (let q = s0; q < s1; q++) z += t[oc[q] ?? 0] ?? 0;
      if (z <= 0) continue;
      for (let q = s0; q < s1; q++) {
        const c = oc[q] ?? 0;
        const p = (t[c] ?? 0) / z;
        count[c] = (count[c] ?? 0) + p;
        const f = cf[c] ?? 0;
        total[f] = (total[f] ?? 0) + p;
      }
    }
    for (let c = 0; c < nCells; c++) {
      const z = total[cf[c] ?? 0] ?? 0;
      t[c] = z > 0 ? (count[c] ?? 0) / z : 0;
    }
  }
  const fWords = [...fIds.keys()];
  const eWords = [...eIds.keys()];
  const keep = new Map<number, Array<[string, number]>>();
  for (let c = 0; c < nCells; c++) {
    const f = cellF[c] ?? 0;
    const p = t[c] ?? 0;
    if (f === 0 || p < opts.threshold || (fCount[f] ?? 0) < opts.minCount) continue;
    let row = keep.get(f);
    if (!row) {
      row = [];
      keep.set(f, row);
    }
    row.push([eWords[cellE[c] ?? 0] ?? '', p]);
  }
  const out = new Map<string, string[]>();
  for (const [f, row] of [...keep].sort((x, y) => x[0] - y[0])) {
    row.sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    out.set(fWords[f] ?? '', row.map(([e]) => e));
  }
  return out;
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

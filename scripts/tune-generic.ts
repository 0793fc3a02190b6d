/**
 * npm run tune:generic -- --src DIR --tgt DIR --gold DIR --src-lang de --tgt-lang fr [--dict-dir DIR]
 *
 * Leave-one-file-out choice of the generic model's few weights (DP: length variance, merge, skip;
 * model: cognate weight, boundary cues). For every file, the grid point with the best micro strict
 * F1 on the OTHER files is chosen and scored on the held-out file; the held-out counts summed over
 * files give the leave-one-out F1, the honest number. Also prints the grid point that is best on all
 * files together and how often each point was chosen. Reproducible: no randomness.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BeadScorer, SimilarityModel } from '../server/domain.js';
import { alignSentenceLists } from '../server/align/index.js';
import { addCounts, countBeads, parseBeads, scoresOf, ZERO_COUNTS, type EvalCounts } from '../server/align/evaluate.js';
import { freedictLexicon } from '../server/align/dict/freedict.js';
import { GENERIC_WEIGHTS } from '../server/align/generic/weights.js';
import { createGenericModel, type GenericOptions } from '../server/align/generic/model.js';
import { isEntry, parseCli, runMain, UsageError, type CliIo, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  name: 'tune:generic',
  description: 'Leave-one-file-out choice of the generic model weights on a gold set (prints numbers).',
  options: {
    src: { type: 'string', arg: 'DIR', help: 'side a texts NNN.txt, one sentence per line' },
    tgt: { type: 'string', arg: 'DIR', help: 'side b texts NNN.txt' },
    gold: { type: 'string', arg: 'DIR', help: 'gold beads NNN.align' },
    'src-lang': { type: 'string', arg: 'LANG', help: 'language of side a' },
    'tgt-lang': { type: 'string', arg: 'LANG', help: 'language of side b' },
    'no-dict': { type: 'boolean', help: 'tune without a dictionary (dictionary-free signals only)' },
  },
};

/**
 * The grid: few values per weight, around the defaults. The cognate weight (0.5) and the quotation
 * cue (0) are fixed: a first run with them in the grid ({0.5, 0.8} × {0, 3}) chose these values for
 * every held-out file, with and without a dictionary.
 */
const GRID = {
  lenVar: [3, 4.5, 6],
  merge: [5, 7, 9, 11],
  skip: [8, 10, 13],
  cognateWeight: [0.5],
  quoteWeight: [0],
  ibm1Threshold: [0.05, 0.15],
  /** Only with a dictionary (no effect without one). */
  dictMaxShare: [0.1, 0.2],
};

interface Point {
  lenVar: number;
  merge: number;
  skip: number;
  cognateWeight: number;
  quoteWeight: number;
  ibm1Threshold: number;
  dictMaxShare: number;
}

function points(withDict: boolean): Point[] {
  const out: Point[] = [];
  for (const lenVar of GRID.lenVar)
    for (const merge of GRID.merge)
      for (const skip of GRID.skip)
        for (const cognateWeight of GRID.cognateWeight)
          for (const quoteWeight of GRID.quoteWeight)
            for (const ibm1Threshold of GRID.ibm1Threshold)
              for (const dictMaxShare of withDict ? GRID.dictMaxShare : [1]) out.push({ lenVar, merge, skip, cognateWeight, quoteWeight, ibm1Threshold, dictMaxShare });
  return out;
}

const label = (p: Point): string => `lenVar ${p.lenVar} merge ${p.merge} skip ${p.skip} cognate ${p.cognateWeight} quote ${p.quoteWeight} ibm1 ${p.ibm1Threshold}${p.dictMaxShare < 1 ? ` dictMaxShare ${p.dictMaxShare}` : ''}`;

function lines(text: string): string[] {
  const ls = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (ls.length > 0 && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

/** A model whose scorer is prepared once per file and model setting (DP weights vary around it). */
function memoModel(base: SimilarityModel, memo: Map<string, BeadScorer>, key: string): SimilarityModel {
  return {
    name: base.name,
    async prepare(a, b, langs) {
      let s = memo.get(key);
      if (!s) {
        s = await base.prepare(a, b, langs);
        memo.set(key, s);
      }
      return s;
    },
  };
}

export async function tune(argv: readonly string[], io: CliIo): Promise<void> {
  const cli = parseCli(spec, argv, io.env);
  const src = cli.string('src');
  const tgt = cli.string('tgt');
  const gold = cli.string('gold');
  const la = cli.string('src-lang');
  const lb = cli.string('tgt-lang');
  if (!src || !tgt || !gold || !la || !lb) throw new UsageError('--src, --tgt, --gold, --src-lang and --tgt-lang are required');
  const names = (await readdir(gold)).filter((f) => f.endsWith('.align')).sort().map((f) => f.replace(/\.align$/, ''));
  const files = await Promise.all(
    names.map(async (n) => ({
      name: n,
      a: lines(await readFile(join(src, `${n}.txt`), 'utf8')),
      b: lines(await readFile(join(tgt, `${n}.txt`), 'utf8')),
      gold: parseBeads(await readFile(join(gold, `${n}.align`), 'utf8')),
    })),
  );
  const lexicon = cli.flag('no-dict') ? null : freedictLexicon(la, lb);
  io.stderr.write(`dictionary: ${lexicon ? lexicon.name : 'none'} · ${files.length} files · ${points(lexicon !== null).length} grid points\n`);
  const memo = new Map<string, BeadScorer>();
  // counts[point][file]
  const counts: EvalCounts[][] = [];
  const grid = points(lexicon !== null);
  for (const [pi, p] of grid.entries()) {
    const row: EvalCounts[] = [];
    const opts: GenericOptions = { lexicon, cognateWeight: p.cognateWeight, quoteWeight: p.quoteWeight, ibm1Threshold: p.ibm1Threshold, dictMaxShare: p.dictMaxShare };
    for (const f of files) {
      const model = memoModel(createGenericModel(opts), memo, `${f.name} ${p.cognateWeight} ${p.quoteWeight} ${p.ibm1Threshold} ${p.dictMaxShare}`);
      const beads = await alignSentenceLists(f.a, f.b, { a: la, b: lb }, model, { weights: { ...GENERIC_WEIGHTS, lenVar: p.lenVar, merge: p.merge, skip: p.skip } });
      row.push(countBeads(beads, f.gold));
    }
    counts.push(row);
    if ((pi + 1) % 24 === 0) io.stderr.write(`${pi + 1}/${grid.length} grid points\n`);
  }
  const f1 = (pi: number, include: (fi: number) => boolean): number => {
    let c = ZERO_COUNTS;
    for (let fi = 0; fi < files.length; fi++) if (include(fi)) c = addCounts(c, counts[pi]?.[fi] ?? ZERO_COUNTS);
    return scoresOf(c).f1_strict;
  };
  const best = (include: (fi: number) => boolean): number => {
    let bi = 0;
    for (let pi = 1; pi < grid.length; pi++) if (f1(pi, include) > f1(bi, include) + 1e-12) bi = pi;
    return bi;
  };
  let held = ZERO_COUNTS;
  for (let fi = 0; fi < files.length; fi++) {
    const pi = best((x) => x !== fi);
    held = addCounts(held, counts[pi]?.[fi] ?? ZERO_COUNTS);
    io.stdout.write(`held out ${files[fi]?.name}: chose ${label(grid[pi] as Point)} · strict F1 on it ${f1(pi, (x) => x === fi).toFixed(4)}\n`);
  }
  const all = best(() => true);
  io.stdout.write(`leave-one-out strict F1 ${scoresOf(held).f1_strict.toFixed(4)} (lax ${scoresOf(held).f1_lax.toFixed(4)})\n`);
  io.stdout.write(`best on all files: ${label(grid[all] as Point)} · strict F1 ${f1(all, () => true).toFixed(4)}\n`);
}

if (isEntry(import.meta.url)) runMain('tune:generic', tune);

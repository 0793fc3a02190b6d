/**
 * npm run bench:omissions [-- --seed S --rounds R --json --verbose] [NAME=VALUE …]
 * What a translation leaves out, as the aligner sees it. Each bitext of corpus/ and
 * test/fixtures/omissions/ (statements written for the project) that has a gold
 * alignment (gold.align, over the sentences of the text pipeline) is perturbed with a seeded
 * generator, on the Chinese side as a careless translation would be:
 *   delete-sentence  a Chinese sentence of a 1-1 bead goes: its English sentence must come out alone
 *   insert-sentence  a Chinese sentence from another text comes in: it must come out alone
 *   merge            two Chinese sentences become one (。→，): gold 1-2
 *   split            one Chinese sentence becomes two at a comma (，→。): gold 2-1
 * then aligned both presplit (one sentence per line) and raw (paragraphs, as a reviewer imports
 * them), and scored: strict P/R/F1 (Vecalign's definition, as `eval`), and the recall and precision
 * of deleted sentences recovered as empty-counterpart rows (and of inserted ones).
 *
 * NAME=VALUE sets an aligner weight or option for the run (see align-settings.ts), e.g. support=0.
 *
 * Adding a perturbation (say, deleting a clause inside a sentence): write an Op (a function that
 * edits the Doc's units and gold beads and returns the event it made, or null) and add it to OPS
 * with its rate; the scoring reads only the gold beads and the events.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { alignDocument } from '../server/align/index.js';
import { addCounts, countBeads, parseBeads, scoresOf, ZERO_COUNTS, type EvalCounts, type PlainBead } from '../server/align/evaluate.js';
import { buildSide } from '../server/text/index.js';
import { describeSettings, modelAndWeights, parseSetting, type Settings } from './align-settings.js';
import { CliError, isEntry, parseCli, runCli, type CliSpec } from './cli-util.js';
import { seededRandom } from './seeded-random.js';
import { projectRoot } from '../server/project-root.js';

const root = projectRoot();

/** Where the gold-aligned bitexts are: the demo corpus and the statements written for the benchmarks. */
export const BITEXT_DIRS = [join(root, 'corpus'), join(root, 'test', 'fixtures', 'omissions')];

const spec: CliSpec = {
  command: 'npm run bench:omissions --',
  args: '[NAME=VALUE …]',
  description: 'Deletes, inserts, merges and splits Chinese sentences of the gold-aligned corpus texts (seeded) and scores the alignment.',
  positionals: { min: 0, max: 20 },
  options: {
    seed: { type: 'string', arg: 'S', default: '1', help: 'seed of the first round (round r uses S + r)' },
    rounds: { type: 'string', arg: 'R', default: '10', help: 'perturbed copies of each text' },
    corpus: { type: 'string', arg: 'DIR', help: 'folder of bitexts (zh.txt, en.txt, gold.align) (default: corpus/ and test/fixtures/omissions/)' },
    json: { type: 'boolean', help: 'print the scores as one JSON object on the last line' },
    verbose: { type: 'boolean', help: 'show each missed deletion with the beads around it' },
  },
};

/** A sentence of one side: stable id, text, paragraph (by index on its side). */
interface Unit {
  id: number;
  text: string;
  para: number;
}

/** A gold bead over unit ids (either side may be empty). */
interface GoldBead {
  zh: number[];
  en: number[];
}

/** A bitext being perturbed: units in order on each side, paragraph labels, gold beads in order. */
export interface Doc {
  name: string;
  zh: Unit[];
  en: Unit[];
  zhLabels: Array<string | null>;
  enLabels: Array<string | null>;
  gold: GoldBead[];
  nextId: number;
  /** Units already changed: no second operation touches them. */
  touched: Set<number>;
}

/** What an operation did; deletions and insertions are scored as empty-counterpart rows. */
export interface PerturbEvent {
  kind: string;
  /** The English unit left without a counterpart (delete-sentence). */
  orphanEn?: number;
  /** The Chinese unit with no counterpart (insert-sentence). */
  orphanZh?: number;
}

type Rng = () => number;
type Op = (doc: Doc, rng: Rng, pool: readonly string[]) => PerturbEvent | null;

/**
 * Share of a text's Chinese sentences each operation touches (at least one each): merges and splits
 * are ordinary translation choices, deletions and insertions are errors (rarer), all set before any
 * aligner was measured with them.
 */
const OPS: Array<{ kind: string; rate: number; op: Op }> = [
  { kind: 'delete-sentence', rate: 0.06, op: deleteSentence },
  { kind: 'insert-sentence', rate: 0.03, op: insertSentence },
  { kind: 'merge', rate: 0.05, op: mergeSentences },
  { kind: 'split', rate: 0.05, op: splitSentence },
];


const pick = <T>(xs: readonly T[], rng: Rng): T | undefined => xs[Math.floor(rng() * xs.length)];

/** Gold beads that are 1-1 and untouched: the ones an operation may change. */
function plainPairs(doc: Doc): number[] {
  const out: number[] = [];
  doc.gold.forEach((g, x) => {
    const z = g.zh[0];
    const e = g.en[0];
    if (g.zh.length === 1 && g.en.length === 1 && z !== undefined && e !== undefined && !doc.touched.has(z) && !doc.touched.has(e)) out.push(x);
  });
  return out;
}

const zhAt = (doc: Doc, id: number): number => doc.zh.findIndex((u) => u.id === id);

function deleteSentence(doc: Doc, rng: Rng): PerturbEvent | null {
  const x = pick(plainPairs(doc), rng);
  const g = x === undefined ? undefined : doc.gold[x];
  const z = g?.zh[0];
  const e = g?.en[0];
  if (!g || z === undefined || e === undefined) return null;
  doc.zh.splice(zhAt(doc, z), 1);
  g.zh = [];
  doc.touched.add(e);
  return { kind: 'delete-sentence', orphanEn: e };
}

function insertSentence(doc: Doc, rng: Rng, pool: readonly string[]): PerturbEvent | null {
  const text = pick(pool, rng);
  // Before the Chinese sentence of an untouched 1-1 bead, in its paragraph.
  const x = pick(plainPairs(doc), rng);
  const g = x === undefined ? undefined : doc.gold[x];
  const z = g?.zh[0];
  if (text === undefined || x === undefined || z === undefined) return null;
  const at = zhAt(doc, z);
  const id = doc.nextId++;
  doc.zh.splice(at, 0, { id, text, para: doc.zh[at]?.para ?? 0 });
  doc.gold.splice(x, 0, { zh: [id], en: [] });
  doc.touched.add(id);
  return { kind: 'insert-sentence', orphanZh: id };
}

const ZH_END = /[。！？]$/;

function mergeSentences(doc: Doc, rng: Rng): PerturbEvent | null {
  const plain = new Set(plainPairs(doc));
  const candidates: number[] = [];
  for (const x of plain) {
    const g1 = doc.gold[x];
    const g2 = doc.gold[x + 1];
    if (!g1 || !g2 || !plain.has(x + 1)) continue;
    const u1 = doc.zh[zhAt(doc, g1.zh[0] ?? -1)];
    const u2 = doc.zh[zhAt(doc, g2.zh[0] ?? -1)];
    if (u1 && u2 && u1.para === u2.para && ZH_END.test(u1.text) && zhAt(doc, u2.id) === zhAt(doc, u1.id) + 1) candidates.push(x);
  }
  const x = pick(candidates, rng);
  if (x === undefined) return null;
  const g1 = doc.gold[x];
  const g2 = doc.gold[x + 1];
  if (!g1 || !g2) return null;
  const at = zhAt(doc, g1.zh[0] ?? -1);
  const u1 = doc.zh[at];
  const u2 = doc.zh[at + 1];
  if (!u1 || !u2) return null;
  const id = doc.nextId++;
  doc.zh.splice(at, 2, { id, text: u1.text.replace(ZH_END, '，') + u2.text, para: u1.para });
  doc.gold.splice(x, 2, { zh: [id], en: [...g1.en, ...g2.en] });
  for (const u of [id, ...g1.en, ...g2.en]) doc.touched.add(u);
  return { kind: 'merge' };
}

function splitSentence(doc: Doc, rng: Rng): PerturbEvent | null {
  const candidates: Array<[number, number]> = [];
  for (const x of plainPairs(doc)) {
    const u = doc.zh[zhAt(doc, doc.gold[x]?.zh[0] ?? -1)];
    if (!u) continue;
    // The comma nearest the middle, with at least six characters on each side.
    let best = -1;
    for (let i = u.text.indexOf('，'); i >= 0; i = u.text.indexOf('，', i + 1)) {
      if (i < 6 || u.text.length - i - 1 < 6) continue;
      if (best < 0 || Math.abs(i - u.text.length / 2) < Math.abs(best - u.text.length / 2)) best = i;
    }
    if (best >= 0) candidates.push([x, best]);
  }
  const c = pick(candidates, rng);
  if (!c) return null;
  const [x, comma] = c;
  const g = doc.gold[x];
  if (!g) return null;
  const at = zhAt(doc, g.zh[0] ?? -1);
  const u = doc.zh[at];
  if (!u) return null;
  const first = { id: doc.nextId++, text: `${u.text.slice(0, comma)}。`, para: u.para };
  const second = { id: doc.nextId++, text: u.text.slice(comma + 1), para: u.para };
  doc.zh.splice(at, 1, first, second);
  g.zh = [first.id, second.id];
  for (const id of [first.id, second.id, ...g.en]) doc.touched.add(id);
  return { kind: 'split' };
}

interface Bitext {
  name: string;
  zhText: string;
  enText: string;
  gold: PlainBead[];
}

/** The bitexts of these folders that have a gold alignment. */
export function loadBitexts(dirs: readonly string[]): Bitext[] {
  const out: Bitext[] = [];
  for (const dir of dirs) for (const name of readdirSync(dir).sort()) {
    const d = join(dir, name);
    if (!existsSync(join(d, 'gold.align'))) continue;
    out.push({ name, zhText: readFileSync(join(d, 'zh.txt'), 'utf8'), enText: readFileSync(join(d, 'en.txt'), 'utf8'), gold: parseBeads(readFileSync(join(d, 'gold.align'), 'utf8')) });
  }
  if (out.length === 0) throw new CliError(`${dirs.join(', ')}: no bitext with a gold.align`);
  return out;
}

/** A Doc from a bitext: the text pipeline's sentences and paragraphs, the gold over them. */
export function docOf(b: Bitext): Doc {
  const zs = buildSide(b.zhText, 'zh');
  const es = buildSide(b.enText, 'en');
  const zh = zs.sentences.map((s) => ({ id: s.index, text: s.text, para: s.paragraph }));
  const en = es.sentences.map((s) => ({ id: 10_000 + s.index, text: s.text, para: s.paragraph }));
  const gold = b.gold.map((g) => ({ zh: [...g.a], en: g.b.map((j) => 10_000 + j) }));
  const covered = gold.flatMap((g) => g.zh).length + gold.flatMap((g) => g.en).length;
  if (covered !== zh.length + en.length) throw new CliError(`${b.name}: gold.align covers ${covered} sentences, the texts have ${zh.length + en.length}`);
  return {
    name: b.name,
    zh,
    en,
    zhLabels: zs.paragraphs.map((p) => p.number),
    enLabels: es.paragraphs.map((p) => p.number),
    gold,
    nextId: 20_000,
    touched: new Set(),
  };
}

function cloneDoc(d: Doc): Doc {
  return { ...d, zh: d.zh.map((u) => ({ ...u })), en: d.en.map((u) => ({ ...u })), gold: d.gold.map((g) => ({ zh: [...g.zh], en: [...g.en] })), touched: new Set(d.touched) };
}

/** Applies every operation at its rate, in a seeded order. */
export function perturb(base: Doc, seed: number, pool: readonly string[]): { doc: Doc; events: PerturbEvent[] } {
  const doc = cloneDoc(base);
  const rng = seededRandom(seed);
  const n = doc.zh.length;
  const plan: Op[] = [];
  for (const o of OPS) for (let k = 0; k < Math.max(1, Math.round(o.rate * n)); k++) plan.push(o.op);
  // Shuffle so no operation always gets the first pick.
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [plan[i], plan[j]] = [plan[j] as Op, plan[i] as Op];
  }
  const events: PerturbEvent[] = [];
  for (const op of plan) {
    const ev = op(doc, rng, pool);
    if (ev) events.push(ev);
  }
  return { doc, events };
}

/** The side as a presplit text (one sentence per line) or as paragraphs (labels kept, blank lines between). */
export function textOf(units: readonly Unit[], labels: ReadonlyArray<string | null>, lang: 'zh' | 'en', presplit: boolean): string {
  if (presplit) return `${units.map((u) => u.text).join('\n')}\n`;
  const paras: string[] = [];
  let cur = -1;
  for (const u of units) {
    if (u.para !== cur) {
      cur = u.para;
      const label = labels[u.para];
      paras.push(label ? `${label}. ` : '');
    } else paras[paras.length - 1] += lang === 'en' ? ' ' : '';
    paras[paras.length - 1] += u.text;
  }
  return `${paras.join('\n\n')}\n`;
}

interface Score {
  counts: EvalCounts;
  deletions: number;
  deletionsFound: number;
  enOnlyPredicted: number;
  enOnlyCorrect: number;
  insertions: number;
  insertionsFound: number;
  zhOnlyPredicted: number;
  zhOnlyCorrect: number;
}

const ZERO_SCORE: Score = { counts: ZERO_COUNTS, deletions: 0, deletionsFound: 0, enOnlyPredicted: 0, enOnlyCorrect: 0, insertions: 0, insertionsFound: 0, zhOnlyPredicted: 0, zhOnlyCorrect: 0 };

function addScore(x: Score, y: Score): Score {
  const out = { ...x, counts: addCounts(x.counts, y.counts) };
  for (const k of ['deletions', 'deletionsFound', 'enOnlyPredicted', 'enOnlyCorrect', 'insertions', 'insertionsFound', 'zhOnlyPredicted', 'zhOnlyCorrect'] as const) out[k] = x[k] + y[k];
  return out;
}

const beadKey = (b: PlainBead): string => `${b.a.join(',')}:${b.b.join(',')}`;

async function alignAndScore(doc: Doc, events: readonly PerturbEvent[], presplit: boolean, settings: Settings, verbose: boolean): Promise<Score> {
  const zhText = textOf(doc.zh, doc.zhLabels, 'zh', presplit);
  const enText = textOf(doc.en, doc.enLabels, 'en', presplit);
  // As alignTexts does (presplit text is one sequence), with the settings' model and weights.
  const { model, weights } = modelAndWeights(settings);
  const r = await alignDocument(buildSide(zhText, 'zh', { presplit }), buildSide(enText, 'en', { presplit }), model, { whole: presplit, weights });
  // The pipeline must see the sentences the perturbation made, or the gold does not apply.
  const same = (got: ReadonlyArray<{ text: string }>, want: readonly Unit[]): boolean => got.length === want.length && got.every((s, i) => s.text === want[i]?.text);
  if (!same(r.a.sentences, doc.zh) || !same(r.b.sentences, doc.en)) {
    if (verbose) {
      const diff = (got: ReadonlyArray<{ text: string }>, want: readonly Unit[]): string => {
        const i = got.findIndex((s, k) => s.text !== want[k]?.text);
        return i < 0 ? `lengths ${got.length} vs ${want.length}` : `at ${i}: got "${got[i]?.text}" want "${want[i]?.text}"`;
      };
      process.stderr.write(`zh ${diff(r.a.sentences, doc.zh)}\nen ${diff(r.b.sentences, doc.en)}\n`);
    }
    throw new CliError(`${doc.name}: the text pipeline splits the perturbed ${presplit ? 'presplit' : 'raw'} text differently from the perturbation`);
  }
  const zIdx = new Map(doc.zh.map((u, i) => [u.id, i]));
  const eIdx = new Map(doc.en.map((u, i) => [u.id, i]));
  const gold: PlainBead[] = doc.gold.map((g) => ({ a: g.zh.map((z) => zIdx.get(z) ?? -1), b: g.en.map((e) => eIdx.get(e) ?? -1) }));
  const test: PlainBead[] = r.beads.map((b) => ({ a: b.a, b: b.b }));
  const testKeys = new Set(test.map(beadKey));
  const goldKeys = new Set(gold.map(beadKey));
  const s: Score = { ...ZERO_SCORE, counts: countBeads(test, gold) };
  for (const ev of events) {
    if (ev.orphanEn !== undefined) {
      s.deletions++;
      const found = testKeys.has(`:${eIdx.get(ev.orphanEn)}`);
      if (found) s.deletionsFound++;
      else if (verbose) {
        const j = eIdx.get(ev.orphanEn) ?? -1;
        const near = r.beads.filter((b) => b.b.some((x) => Math.abs(x - j) <= 1));
        process.stderr.write(`${doc.name} ${presplit ? 'presplit' : 'raw'}: missed deletion en[${j}] ${(doc.en[j]?.text ?? '').slice(0, 70)}\n`);
        for (const b of near) process.stderr.write(`    [${b.a.join(',')}]:[${b.b.join(',')}] ${b.confidence}  ${b.a.map((i) => (doc.zh[i]?.text ?? '').slice(0, 30)).join(' | ')}\n`);
      }
    }
    if (ev.orphanZh !== undefined) {
      s.insertions++;
      if (testKeys.has(`${zIdx.get(ev.orphanZh)}:`)) s.insertionsFound++;
    }
  }
  for (const t of test) {
    if (t.a.length === 0 && t.b.length > 0) {
      s.enOnlyPredicted++;
      if (goldKeys.has(beadKey(t))) s.enOnlyCorrect++;
    }
    if (t.b.length === 0 && t.a.length > 0) {
      s.zhOnlyPredicted++;
      if (goldKeys.has(beadKey(t))) s.zhOnlyCorrect++;
    }
  }
  return s;
}

const pct = (a: number, b: number): string => (b > 0 ? ((100 * a) / b).toFixed(1).padStart(5) : '    –');
const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);

function line(label: string, s: Score): string {
  const f = scoresOf(s.counts);
  return (
    `${label.padEnd(30)} strict P/R/F1 ${f.precision_strict.toFixed(4)} ${f.recall_strict.toFixed(4)} ${f.f1_strict.toFixed(4)}` +
    `  deletions found ${String(s.deletionsFound).padStart(3)}/${String(s.deletions).padEnd(3)} (recall ${pct(s.deletionsFound, s.deletions)}%, precision ${pct(s.enOnlyCorrect, s.enOnlyPredicted)}%)` +
    `  insertions ${pct(s.insertionsFound, s.insertions)}% / ${pct(s.zhOnlyCorrect, s.zhOnlyPredicted)}%`
  );
}

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const seed = cli.number('seed', { integer: true }) ?? 1;
  const rounds = cli.number('rounds', { integer: true }) ?? 10;
  if (rounds < 1) throw new CliError('--rounds must be at least 1');
  const verbose = cli.flag('verbose');
  const settings: Settings = Object.assign({}, ...cli.positionals.map(parseSetting));
  process.stderr.write(`settings: ${describeSettings(settings)}\n`);
  const corpus = cli.string('corpus');
  const bitexts = loadBitexts(corpus ? [corpus] : BITEXT_DIRS);
  const docs = bitexts.map(docOf);
  const totals = new Map<string, Score>();
  const add = (key: string, s: Score): void => {
    totals.set(key, addScore(totals.get(key) ?? ZERO_SCORE, s));
  };
  for (const doc of docs) {
    // Inserted sentences come from the other texts, so they read like the rest (whole sentences only:
    // a title inserted into a paragraph would run on into the next sentence).
    const pool = docs.filter((d) => d !== doc).flatMap((d) => d.zh.map((u) => u.text).filter((t) => ZH_END.test(t)));
    for (let r = 0; r < rounds; r++) {
      const { doc: p, events } = perturb(doc, seed + r, pool);
      for (const presplit of [true, false]) {
        const s = await alignAndScore(p, events, presplit, settings, verbose);
        const mode = presplit ? 'presplit' : 'raw';
        add(`${doc.name} ${mode}`, s);
        add(`all ${mode}`, s);
        add('all', s);
      }
    }
    process.stderr.write(`${doc.name}: ${rounds} perturbed copies aligned\n`);
  }
  const keys = [...totals.keys()].sort((a, b) => (a.startsWith('all') ? 1 : 0) - (b.startsWith('all') ? 1 : 0) || a.localeCompare(b));
  for (const k of keys) process.stdout.write(`${line(k, totals.get(k) ?? ZERO_SCORE)}\n`);
  if (cli.flag('json')) {
    const out: Record<string, number> = {};
    for (const [k, s] of totals) {
      const key = k.replace(/\s+/g, '_');
      out[`${key}_f1_strict`] = scoresOf(s.counts).f1_strict;
      out[`${key}_deletion_recall`] = ratio(s.deletionsFound, s.deletions);
      out[`${key}_deletion_precision`] = ratio(s.enOnlyCorrect, s.enOnlyPredicted);
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

if (isEntry(import.meta.url)) runCli(main);

/**
 * bitext-review eval --src DIR --tgt DIR --gold DIR [--src-lang L --tgt-lang L] [--model …] [--json]
 * Aligns every NNN.txt pair (one sentence per line) and scores it against gold/NNN.align:
 * strict and lax precision / recall / F1, micro-averaged over all files (Vecalign's definition).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alignSentenceLists, chooseModel, MODEL_NAMES } from '../server/align/index.js';
import { addCounts, countBeads, parseBeads, scoresOf, ZERO_COUNTS, type EvalScores } from '../server/align/evaluate.js';
import { decodeBytes, detectLang } from '../server/text/index.js';
import { CliError, isEntry, parseCli, runMain, UsageError, type CliIo, type CliSpec } from './cli-util.js';
import { closeLearned, describeLearned, learnedFrom, learnedLexicon, LEARNED_OPTIONS } from './learned.js';
import type { LearnedUse } from '../server/learn/lexicon.js';

const spec: CliSpec = {
  name: 'eval',
  description: 'Aligns every NNN.txt of --src with NNN.txt of --tgt (presplit) and scores against --gold/NNN.align.',
  options: {
    src: { type: 'string', arg: 'DIR', help: 'source texts, one sentence per line (side a of the gold beads)' },
    tgt: { type: 'string', arg: 'DIR', help: 'target texts, one sentence per line (side b)' },
    gold: { type: 'string', arg: 'DIR', help: 'gold alignments NNN.align, lines like [0,1]:[0]' },
    'src-lang': { type: 'string', arg: 'LANG', help: 'language of the --src texts (e.g. de) instead of detecting it' },
    'tgt-lang': { type: 'string', arg: 'LANG', help: 'language of the --tgt texts (e.g. fr) instead of detecting it' },
    model: { type: 'string', choices: MODEL_NAMES, default: 'auto', help: 'similarity model (auto: the best available for the pair; the choice and why go to stderr)' },
    json: { type: 'boolean', help: 'print the scores as one JSON object on the last line' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'the store whose learnt table is used when it exists (default: $DATA_DIR or ./data)' },
    ...LEARNED_OPTIONS,
  },
};

/** Lines of a presplit file, numbered as the gold numbers them (a final newline adds no line). */
function lines(text: string): string[] {
  const ls = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (ls.length > 0 && ls[ls.length - 1] === '') ls.pop();
  return ls;
}

async function readText(path: string): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch {
    throw new CliError(`${path}: cannot be read`);
  }
  return decodeBytes(bytes, { name: path });
}

const fourDecimals = (x: number): string => x.toFixed(4);

export async function evaluate(argv: readonly string[], io: CliIo): Promise<void> {
  const cli = parseCli(spec, argv, io.env);
  const src = cli.string('src');
  const tgt = cli.string('tgt');
  const gold = cli.string('gold');
  if (!src || !tgt || !gold) throw new UsageError('--src, --tgt and --gold are required');
  let names: string[];
  try {
    names = (await readdir(gold)).filter((f) => /\.align$/.test(f)).sort();
  } catch {
    throw new CliError(`${gold}: not a readable directory`);
  }
  if (names.length === 0) throw new CliError(`${gold}: no .align files`);
  const from = learnedFrom(cli, io.env);
  const learned = from ? learnedLexicon(from) : undefined;
  const used: LearnedUse = { rows: 0, words: 0, pairs: 0 };
  let usedFiles = 0;
  const t0 = performance.now();
  let total = ZERO_COUNTS;
  let modelName = '';
  let reason = '';
  for (const name of names) {
    const base = name.replace(/\.align$/, '');
    const a = lines(await readText(join(src, `${base}.txt`)));
    const b = lines(await readText(join(tgt, `${base}.txt`)));
    const goldPath = join(gold, name);
    let goldBeads: ReturnType<typeof parseBeads>;
    try {
      goldBeads = parseBeads(await readFile(goldPath, 'utf8'));
    } catch (e) {
      throw new CliError(`${goldPath}: ${(e as Error).message} (expected lines like [0,1]:[0])`);
    }
    const langs = { a: cli.string('src-lang') ?? detectLang(a.join('\n')), b: cli.string('tgt-lang') ?? detectLang(b.join('\n')) };
    const choice = await chooseModel(cli.string('model') ?? 'auto', langs, learned ? { learned } : {}, io.env);
    const model = choice.model;
    if (choice.reason !== reason) io.stderr.write(`model: ${model.name} (${langs.a}–${langs.b}; ${choice.reason})\n`);
    reason = choice.reason;
    modelName = model.name;
    if (learned) learned.last = null;
    const beads = await alignSentenceLists(a, b, langs, model);
    const u = learned?.last;
    if (u) {
      used.rows = u.rows;
      used.words += u.words;
      used.pairs += u.pairs;
      usedFiles++;
    }
    const c = countBeads(beads, goldBeads);
    total = addCounts(total, c);
    const s = scoresOf(c);
    io.stdout.write(`${base}  strict P/R/F1 ${fourDecimals(s.precision_strict)} ${fourDecimals(s.recall_strict)} ${fourDecimals(s.f1_strict)}  lax ${fourDecimals(s.precision_lax)} ${fourDecimals(s.recall_lax)} ${fourDecimals(s.f1_lax)}\n`);
  }
  if (from) io.stderr.write(`${describeLearned(from, usedFiles ? used : null)}${usedFiles ? ` (${usedFiles} files)` : ''}\n`);
  await closeLearned();
  const s: EvalScores = scoresOf(total);
  io.stdout.write(
    `all   strict P/R/F1 ${fourDecimals(s.precision_strict)} ${fourDecimals(s.recall_strict)} ${fourDecimals(s.f1_strict)}  lax ${fourDecimals(s.precision_lax)} ${fourDecimals(s.recall_lax)} ${fourDecimals(s.f1_lax)}\n` +
      `model: ${modelName} · ${names.length} files · ${((performance.now() - t0) / 1000).toFixed(2)} s\n`,
  );
  if (cli.flag('json')) io.stdout.write(`${JSON.stringify(s)}\n`);
}

if (isEntry(import.meta.url)) runMain('eval', evaluate);

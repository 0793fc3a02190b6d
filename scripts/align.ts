/**
 * bitext-review align FILE_A FILE_B [--presplit] [--model …] [--format …] [--out FILE]
 * bitext-review align --batch MANIFEST.tsv --out DIR [--jobs N] [--resume] [same options]
 * (npm run align -- … in a clone.) Aligns two texts sentence by sentence, or every pair of a
 * manifest (align-batch.ts). The first file is side a ("source") in every format.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { MODEL_NAMES, type NeuralChoice } from '../server/align/index.js';
import { useCacheDir } from '../server/align/lexical/lexicon-cache.js';
import { validateModelId } from '../server/align/neural/config.js';
import { alignFiles, FORMATS, pairName, writePair, type AlignFormat, type PairOptions } from './align-pair.js';
import { checkEncoding, isEntry, parseCli, progress, runMain, UsageError, withOutput, type CliIo, type CliSpec } from './cli-util.js';
import { closeLearned, describeLearned, describeSource, learnedFrom, LEARNED_OPTIONS } from './learned.js';

export const alignSpec: CliSpec = {
  name: 'align',
  args: 'FILE_A FILE_B',
  description:
    'Aligns the sentences of two texts in two languages (a translation and its original, in either order).\n' +
    'Languages are detected from the text (or set with --src-lang/--tgt-lang); the model used and why\n' +
    'it was chosen are printed on stderr. The JSON gives each bead its word alignment ("words": the words of\n' +
    'sides a and b with sentence, offsets and kind, and the links between them [a word, b word, score, how]).\n' +
    '\n' +
    'Batch: --batch MANIFEST.tsv --out DIR aligns every line FILE_A<TAB>FILE_B[<TAB>NAME] of the manifest\n' +
    '(relative paths from the manifest\'s folder; NAME defaults to FILE_A\'s name without extension) into\n' +
    'DIR/NAME.EXT (beads: DIR/NAME.align, the MAC-Dev layout), or with --format jsonl|tmx into one file\n' +
    'DIR/corpus.jsonl|tmx. Each file is the same as one call per pair would write. A pair that fails is\n' +
    'reported with its line number and the others go on; the exit code is 1 when any failed.',
  positionals: { min: 0, max: 2 },
  options: {
    presplit: { type: 'boolean', help: 'input is one sentence per line: take lines as sentences' },
    model: { type: 'string', choices: MODEL_NAMES, default: 'auto', help: 'similarity model: neural if installed, else the pair\'s dictionary model (CC-CEDICT for zh–en, FreeDict), else generic signals + length' },
    'model-id': { type: 'string', arg: 'ID', help: 'neural model id under MODEL_DIR (default: $EMBED_MODEL or Xenova/LaBSE)' },
    blend: { type: 'string', arg: 'W', help: 'neural: weight 0..1 of the dictionary score blended in (default: $EMBED_BLEND or 0)' },
    format: { type: 'string', choices: FORMATS, default: 'pairs', help: 'output: sentence pairs, [i,j]:[k] beads, JSON, TSV, JSON lines or TMX' },
    out: { type: 'string', arg: 'PATH', help: 'write to the file PATH instead of stdout (with --batch: the output folder)' },
    'src-lang': { type: 'string', arg: 'LANG', help: 'language of FILE_A (e.g. zh, en) instead of detecting it' },
    'tgt-lang': { type: 'string', arg: 'LANG', help: 'language of FILE_B instead of detecting it' },
    encoding: { type: 'string', arg: 'NAME', default: 'auto', help: 'auto: UTF-8, UTF-16 with a BOM, or GB18030 when the file reads as Chinese (else refused, listing the encodings); or the encoding of a file that is not UTF-8, e.g. gb18030, windows-1252, shift_jis (UTF-8 files stay UTF-8)' },
    'data-dir': { type: 'string', arg: 'DIR', help: 'the store whose learnt table is used when it exists (default: $DATA_DIR or ./data); given, also the dictionary cache DIR/cache (else $CACHE_DIR or ~/.cache/bitext-review)' },
    ...LEARNED_OPTIONS,
    batch: { type: 'string', arg: 'MANIFEST', help: 'align every pair listed in MANIFEST (a TSV file); needs --out DIR' },
    jobs: { type: 'string', arg: 'N', help: 'with --batch: pairs aligned at once, one worker thread each (default: the number of cores)' },
    resume: { type: 'boolean', help: 'with --batch: skip pairs whose output is already complete in DIR' },
  },
};

function neuralChoice(modelId: string | undefined, blend: string | undefined): NeuralChoice {
  const choice: NeuralChoice = {};
  if (modelId !== undefined) {
    try {
      choice.modelId = validateModelId(modelId);
    } catch (e) {
      throw new UsageError(`--model-id: ${(e as Error).message}`);
    }
  }
  if (blend !== undefined) {
    const w = Number(blend);
    if (!(w >= 0 && w <= 1)) throw new UsageError(`--blend must be a number from 0 to 1, not "${blend}"`);
    choice.blend = w;
  }
  return choice;
}

export async function align(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = parseCli(alignSpec, argv, io.env);
  const encoding = cli.string('encoding');
  const pair: PairOptions = {
    presplit: cli.flag('presplit'),
    model: cli.string('model') ?? 'auto',
    neural: neuralChoice(cli.string('model-id'), cli.string('blend')),
    srcLang: cli.string('src-lang'),
    tgtLang: cli.string('tgt-lang'),
    encoding,
    learned: learnedFrom(cli, io.env),
  };
  const format = (cli.string('format') ?? 'pairs') as AlignFormat;
  const dataDir = cli.string('data-dir');
  const cacheDir = dataDir === undefined ? undefined : join(dataDir, 'cache');
  const manifest = cli.string('batch');
  if (manifest !== undefined) {
    if (cli.positionals.length > 0) throw new UsageError('--batch takes the pairs from the manifest: give no FILE arguments');
    const out = cli.string('out');
    if (!out || out === '-') throw new UsageError('--batch needs --out DIR (the folder for the outputs)');
    const jobs = cli.number('jobs', { integer: true }) ?? availableParallelism();
    checkEncoding(encoding);
    // Loaded on demand: the worker pool and the corpus writers are not needed for one pair.
    const { runBatch } = await import('./align-batch.js');
    if (pair.learned) io.stderr.write(`${describeSource(pair.learned)}: read by every pair\n`);
    return runBatch({ manifest, outDir: out, jobs, resume: cli.flag('resume'), format, pair, cacheDir }, io);
  }
  if (cli.string('jobs') !== undefined || cli.flag('resume')) throw new UsageError('--jobs and --resume go with --batch');
  if (cli.positionals.length !== 2) throw new UsageError(`expected 2 arguments (FILE_A FILE_B), got ${cli.positionals.length}`);
  const [fileA, fileB] = cli.positionals as [string, string];
  checkEncoding(encoding);
  if (cacheDir !== undefined) useCacheDir(cacheDir);
  const t0 = performance.now();
  let lastStage = '';
  const { result, aLang, bLang, modelReason, learnedUse } = await alignFiles(fileA, fileB, pair, (stage, done, total) => {
    // Stage changes, and every tenth of a stage with many paragraph pairs.
    const step = Math.max(1, Math.round(total / 10));
    if (stage !== lastStage || (total >= 50 && done % step === 0)) {
      progress(`${stage}: ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)`, io);
      lastStage = stage;
    }
  });
  io.stderr.write(
    `model: ${result.model} (${modelReason}) · ${aLang} ${result.a.sentences.length} sentences, ${bLang} ${result.b.sentences.length} sentences → ${result.beads.length} beads (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
  );
  if (pair.learned) io.stderr.write(`${describeLearned(pair.learned, learnedUse)}\n`);
  await closeLearned();
  await withOutput(cli.string('out'), (out) => writePair(out, result, format, { a: fileA, b: fileB, name: pairName(fileA) }), io.stdout);
  return 0;
}

if (isEntry(import.meta.url)) runMain('align', align);

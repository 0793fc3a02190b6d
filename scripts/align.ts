/**
 * npm run align -- ZH_FILE EN_FILE [--presplit] [--model …] [--format pairs|beads|json|tsv] [--out FILE]
 * Aligns two texts sentence by sentence. The first file is side a ("source") in every format.
 */
import type { AlignmentResult, TextSide } from '../server/domain.js';
import { alignTexts, MODEL_NAMES, type NeuralChoice } from '../server/align/index.js';
import { validateModelId } from '../server/align/neural/config.js';
import { detectLang, isBlankText, readTextFile } from '../server/text/index.js';
import { checkEncoding, CliError, UsageError, parseCli, progress, runCli, writeOutput, type CliSpec } from './cli-util.js';

const FORMATS = ['pairs', 'beads', 'json', 'tsv'] as const;
type Format = (typeof FORMATS)[number];

const spec: CliSpec = {
  command: 'npm run align --',
  args: 'FILE_A FILE_B',
  description:
    'Aligns the sentences of two texts (a Chinese text and its English counterpart, in either order).\n' +
    'Languages are detected from the text; the model used is printed on stderr.',
  positionals: { min: 2, max: 2 },
  options: {
    presplit: { type: 'boolean', help: 'input is one sentence per line: take lines as sentences' },
    model: { type: 'string', choices: MODEL_NAMES, default: 'auto', help: 'similarity model: neural if installed, else lexical for zh/en, else length' },
    'model-id': { type: 'string', arg: 'ID', help: 'neural model id under MODEL_DIR (default: $EMBED_MODEL or Xenova/LaBSE)' },
    blend: { type: 'string', arg: 'W', help: 'neural: weight 0..1 of the dictionary score blended in (default: $EMBED_BLEND or 0)' },
    format: { type: 'string', choices: FORMATS, default: 'pairs', help: 'output: sentence pairs, [i,j]:[k] beads, JSON, or TSV' },
    out: { type: 'string', arg: 'FILE', help: 'write to FILE instead of stdout' },
    'src-lang': { type: 'string', arg: 'LANG', help: 'language of FILE_A (e.g. zh, en) instead of detecting it' },
    'tgt-lang': { type: 'string', arg: 'LANG', help: 'language of FILE_B instead of detecting it' },
    encoding: { type: 'string', arg: 'NAME', help: 'encoding of a file that is not UTF-8, e.g. gb18030 (UTF-8 files stay UTF-8)' },
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

function oneLine(s: string): string {
  return s.replace(/[\t\r\n]+/g, ' ');
}

function joined(side: TextSide, ids: readonly number[]): string {
  const sep = /^(zh|ja|ko)/i.test(side.lang) ? '' : ' ';
  return ids.map((i) => side.sentences[i]?.text ?? '').join(sep);
}

/** The alignment in one of the CLI formats, as chunks (so 10 MB outputs are not one giant string). */
function* formatResult(r: AlignmentResult, format: Format, files: { a: string; b: string }): Generator<string> {
  switch (format) {
    case 'beads':
      for (const b of r.beads) yield `[${b.a.join(',')}]:[${b.b.join(',')}]\n`;
      return;
    case 'tsv':
      yield 'a\tb\tconfidence\ta_text\tb_text\n';
      for (const b of r.beads) {
        yield `${b.a.join(',')}\t${b.b.join(',')}\t${b.confidence}\t${oneLine(joined(r.a, b.a))}\t${oneLine(joined(r.b, b.b))}\n`;
      }
      return;
    case 'pairs':
      for (const b of r.beads) yield `${oneLine(joined(r.a, b.a))}\n${oneLine(joined(r.b, b.b))}\n\n`;
      return;
    case 'json': {
      // The normalised text is included: every offset refers to it.
      const side = (s: TextSide, file: string): object => ({
        file,
        lang: s.lang,
        text: s.text,
        paragraphs: s.paragraphs,
        sentences: s.sentences,
      });
      yield JSON.stringify(
        {
          model: r.model,
          a: side(r.a, files.a),
          b: side(r.b, files.b),
          paragraphPairs: r.paragraphPairs,
          unpaired: r.unpaired,
          beads: r.beads,
        },
        null,
        1,
      ) + '\n';
      return;
    }
  }
}

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const [fileA, fileB] = cli.positionals as [string, string];
  const encoding = cli.str('encoding');
  checkEncoding(encoding);
  const enc = encoding ? { encoding } : {};
  const [textA, textB] = await Promise.all([readTextFile(fileA, enc), readTextFile(fileB, enc)]);
  if (isBlankText(textA)) throw new CliError(`${fileA}: the file is empty (no text to align)`);
  if (isBlankText(textB)) throw new CliError(`${fileB}: the file is empty (no text to align)`);
  const aLang = cli.str('src-lang') ?? detectLang(textA);
  const bLang = cli.str('tgt-lang') ?? detectLang(textB);
  for (const [f, l] of [[fileA, aLang], [fileB, bLang]] as const) {
    if (l === 'und') throw new CliError(`${f}: no letters found, cannot tell its language (is it a text file?); set --src-lang/--tgt-lang`);
  }
  if (aLang === bLang && !cli.str('src-lang') && !cli.str('tgt-lang')) {
    throw new CliError(
      `${fileA} and ${fileB} both look like ${aLang} text; give one Chinese and one English file (or set --src-lang and --tgt-lang)`,
    );
  }
  const t0 = performance.now();
  let lastStage = '';
  const result = await alignTexts(textA, textB, {
    aLang,
    bLang,
    model: cli.str('model') ?? 'auto',
    presplit: cli.flag('presplit'),
    neural: neuralChoice(cli.str('model-id'), cli.str('blend')),
    onProgress: (stage, done, total) => {
      // Stage changes, and every tenth of a stage with many paragraph pairs.
      const step = Math.max(1, Math.round(total / 10));
      if (stage !== lastStage || (total >= 50 && done % step === 0)) {
        progress(`${stage}: ${done}/${total} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
        lastStage = stage;
      }
    },
  });
  process.stderr.write(
    `model: ${result.model} · ${aLang} ${result.a.sentences.length} sentences, ${bLang} ${result.b.sentences.length} sentences → ${result.beads.length} beads (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
  );
  const format = (cli.str('format') ?? 'pairs') as Format;
  await writeOutput(cli.str('out'), formatResult(result, format, { a: fileA, b: fileB }));
}

runCli(main);

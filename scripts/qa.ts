/**
 * bitext-review qa ZH_FILE EN_FILE [--glossary FILE] [--config FILE] [--format text|json|csv] [--model …]
 * Aligns a Chinese translation with its English original and prints the QA findings.
 */
import { alignTexts, MODEL_NAMES } from '../server/align/index.js';
import { detectLang, readTextFile } from '../server/text/index.js';
import { loadQaConfig, pairsFromAlignment, runChecksOnPairs, withGlossary, type QaConfig } from '../server/qa/index.js';
import { findingRows, reportFindings, rowsToCsv, rowsToText, countFindings } from '../server/qa/report.js';
import { checkEncoding, CliError, isEntry, parseCli, progress, runMain, type CliIo, type CliSpec } from './cli-util.js';

const FORMATS = ['text', 'json', 'csv'] as const;

const spec: CliSpec = {
  name: 'qa',
  args: 'ZH_FILE EN_FILE',
  description:
    'Checks a Chinese translation (ZH_FILE) against its English original (EN_FILE): numbers, untranslated text,\n' +
    'punctuation, repetition, terminology (glossary), consistency, length ratio, omissions and additions, alignment.\n' +
    'The texts are aligned first (sentence beads, numbered as rows 1…N). The report lists the most serious findings\n' +
    'first; findings of a document-wide kind (half-width punctuation, spacing) are one finding listing its places\n' +
    '(rows). text prints one line per finding: row, paragraph, severity, check, message. json prints one array of\n' +
    'findings with paragraph, row, check, category, severity, message, target_span (+ bead id, source_span,\n' +
    'source_text, target_text, rows).\n' +
    'Checks and thresholds come from qa.config.json (repository root) unless --config is given.',
  positionals: { min: 2, max: 2 },
  options: {
    glossary: { type: 'string', arg: 'FILE', help: 'glossary TSV (english, accepted|…, forbidden|…, note, unless|…) instead of the configured one' },
    config: { type: 'string', arg: 'FILE', help: 'QA config JSON (default: qa.config.json at the repository root)' },
    format: { type: 'string', choices: FORMATS, default: 'text', help: 'output format' },
    model: { type: 'string', choices: MODEL_NAMES, default: 'auto', help: 'alignment model: neural if installed, else lexical' },
    encoding: { type: 'string', arg: 'NAME', default: 'auto', help: 'auto: UTF-8, UTF-16 with a BOM, or GB18030 when the file reads as Chinese (else refused, listing the encodings); or the encoding of a file that is not UTF-8, e.g. gb18030, windows-1252, shift_jis (UTF-8 files stay UTF-8)' },
  },
};

function config(configPath: string | undefined, glossary: string | undefined): QaConfig {
  try {
    const c = loadQaConfig(configPath);
    return glossary ? withGlossary(c, glossary) : c;
  } catch (e) {
    const err = e as Error;
    if (err.name === 'QaConfigError' || err.name === 'GlossaryError') throw new CliError(err.message);
    throw e;
  }
}

export async function qa(argv: readonly string[], io: CliIo): Promise<void> {
  const cli = parseCli(spec, argv, io.env);
  const [zhFile = '', enFile = ''] = cli.positionals;
  const cfg = config(cli.string('config'), cli.string('glossary'));
  const enc = cli.string('encoding');
  checkEncoding(enc);
  const readOpts = enc ? { encoding: enc } : {};
  const [zhText, enText] = await Promise.all([readTextFile(zhFile, readOpts), readTextFile(enFile, readOpts)]);
  if (!zhText.trim()) throw new CliError(`${zhFile} is empty`);
  if (!enText.trim()) throw new CliError(`${enFile} is empty`);
  const zl = detectLang(zhText);
  const el = detectLang(enText);
  if (/^en/.test(zl) && /^zh/.test(el)) throw new CliError(`${zhFile} looks English and ${enFile} Chinese: the order is ZH_FILE EN_FILE`);
  progress(`qa: aligning ${enFile} ↔ ${zhFile} …`, io);
  const result = await alignTexts(enText, zhText, { aLang: 'en', bLang: 'zh', model: cli.string('model') ?? 'auto' });
  const pairs = pairsFromAlignment(result, 'a');
  const t0 = performance.now();
  const raw = runChecksOnPairs(pairs, cfg, { langs: { source: 'en', target: 'zh' } });
  const ms = performance.now() - t0;
  // The report: document-wide kinds grouped, most serious first.
  const findings = reportFindings(raw, pairs);
  const rows = findingRows(findings, pairs);
  const format = cli.string('format') ?? 'text';
  if (format === 'json') io.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
  else if (format === 'csv') io.stdout.write(rowsToCsv(rows));
  else {
    io.stdout.write(rowsToText(rows));
    const c = countFindings(findings);
    const summary = Object.entries(c.byCheck).map(([k, n]) => `${k} ${n}`).join(', ');
    io.stdout.write(`\n${findings.length} findings (${raw.length} before grouping) in ${pairs.length} rows (${summary || 'none'})\n`);
  }
  progress(`qa: model ${result.model}, ${pairs.length} rows, checks ${ms.toFixed(0)} ms`, io);
}

if (isEntry(import.meta.url)) runMain('qa', qa);

/**
 * bitext-review qa TRANSLATION ORIGINAL [--source-lang L] [--target-lang L] [--glossary FILE] [--config FILE]
 * [--format text|json|csv] [--model …]
 * Aligns a translation with its original (any pair; Chinese and English: ZH_FILE EN_FILE) and prints the QA findings.
 */
import { alignTexts, MODEL_NAMES } from '../server/align/index.js';
import { detectLang, readTextFiles } from '../server/text/index.js';
import { primaryLanguage } from '../server/text/lang.js';
import { loadQaConfig, pairsFromAlignment, runChecksOnPairs, withGlossary, type QaConfig } from '../server/qa/index.js';
import { findingRows, reportFindings, rowsToCsv, rowsToText, countFindings } from '../server/qa/report.js';
import { checkEncoding, CliError, isEntry, parseCli, progress, runMain, type CliIo, type CliSpec } from './cli-util.js';

const FORMATS = ['text', 'json', 'csv'] as const;

const spec: CliSpec = {
  name: 'qa',
  args: 'TRANSLATION ORIGINAL',
  description:
    'Checks a translation against its original, in any pair (a Chinese translation of English: ZH_FILE EN_FILE);\n' +
    'languages are detected, or given with --target-lang / --source-lang. Checks: numbers, untranslated text,\n' +
    'punctuation, repetition, terminology (glossary), consistency, length ratio, omissions and additions, alignment;\n' +
    'those written for Chinese (punctuation, repetition, Latin text in Chinese) or for English–Chinese (terminology,\n' +
    'word-level omissions) run only there; sentences left out or added, numbers and untranslated sentences for any pair.\n' +
    'The texts are aligned first (sentence beads, numbered as rows 1…N). The report lists the most serious findings\n' +
    'first; findings of a document-wide kind (half-width punctuation, spacing) are one finding listing its places\n' +
    '(rows). text prints one line per finding: row, paragraph, severity, check, message. json prints one array of\n' +
    'findings with paragraph, row, check, category, severity, message, target_span (+ bead id, source_span,\n' +
    'source_text, target_text, rows).\n' +
    'Checks and thresholds come from qa.config.json (repository root) unless --config is given.',
  positionals: { min: 2, max: 2 },
  options: {
    glossary: { type: 'string', arg: 'FILE', help: 'glossary TSV (source term, accepted|…, forbidden|…, note, unless|…) for the pair being checked, instead of the configured English–Chinese one' },
    config: { type: 'string', arg: 'FILE', help: 'QA config JSON (default: qa.config.json at the repository root)' },
    format: { type: 'string', choices: FORMATS, default: 'text', help: 'output format' },
    model: { type: 'string', choices: MODEL_NAMES, default: 'auto', help: 'alignment model: the best available for the pair (see align --help)' },
    'source-lang': { type: 'string', arg: 'LANG', help: 'language of ORIGINAL (e.g. en, fr) instead of detecting it' },
    'target-lang': { type: 'string', arg: 'LANG', help: 'language of TRANSLATION instead of detecting it' },
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
  const [targetFile = '', sourceFile = ''] = cli.positionals;
  const configured = config(cli.string('config'), cli.string('glossary'));
  const enc = cli.string('encoding');
  checkEncoding(enc);
  const readOpts = enc ? { encoding: enc } : {};
  const [targetText = '', sourceText = ''] = await readTextFiles([targetFile, sourceFile], readOpts);
  if (!targetText.trim()) throw new CliError(`${targetFile} is empty`);
  if (!sourceText.trim()) throw new CliError(`${sourceFile} is empty`);
  const targetLang = cli.string('target-lang') ?? detectLang(targetText);
  const sourceLang = cli.string('source-lang') ?? detectLang(sourceText);
  if (!cli.string('target-lang') && !cli.string('source-lang') && primaryLanguage(targetLang) === 'en' && primaryLanguage(sourceLang) === 'zh') {
    throw new CliError(`${targetFile} looks English and ${sourceFile} Chinese: the order is ZH_FILE EN_FILE (translation, then original; or say which is which with --target-lang/--source-lang)`);
  }
  if (primaryLanguage(targetLang) === primaryLanguage(sourceLang)) throw new CliError(`both files read as ${sourceLang}: give the languages with --source-lang and --target-lang`);
  // A glossary given for this run is for its pair; the configured starter glossary is English–Chinese.
  const cfg: QaConfig = cli.string('glossary') ? { ...configured, glossary: { ...configured.glossary, langs: { source: sourceLang, target: targetLang } } } : configured;
  progress(`qa: aligning ${sourceFile} (${sourceLang}) ↔ ${targetFile} (${targetLang}) …`, io);
  const result = await alignTexts(sourceText, targetText, { aLang: sourceLang, bLang: targetLang, model: cli.string('model') ?? 'auto' });
  const pairs = pairsFromAlignment(result, 'a');
  const t0 = performance.now();
  const raw = runChecksOnPairs(pairs, cfg, { langs: { source: sourceLang, target: targetLang } });
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

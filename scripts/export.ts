/**
 * bitext-review export (--doc ID | --all) --format FORMAT --out PATH [--confirmed-only] [--no-empty] [--bom]
 * bitext-review export --src FILE --tgt FILE --format FORMAT --out PATH      (aligns, no server needed)
 * bitext-review export --import FILE.tmx|FILE.json                            (stores an import; JSON with its history)
 * bitext-review export --list
 * bitext-review export --translations ORIGINAL [LANG=]TRANSLATION… --name NAME    (several translations of one original, as a set)
 * bitext-review export --set ID --format tmx --out PATH [--show fr,es]         (multilingual TMX of a set)
 *
 * Reads the store: SQLite in DATA_DIR (default ./data), or PostgreSQL at DATABASE_URL (--database-url). Output is written to PATH.partial and renamed
 * when complete, so a failed export never leaves a truncated file. bitext writes two files:
 * PATH.<source code> and PATH.<target code> (e.g. out.en and out.zh).
 */
import { readFile, stat } from 'node:fs/promises';
import { alignTexts } from '../server/align/index.js';
import {
  DEFAULT_MAX_IMPORT_BYTES,
  EXPORT_FORMATS,
  exportDocuments,
  ImportError,
  importJson,
  importTmx,
  type ExportFormat,
  type ExportItem,
  type ExportOptions,
  type ImportedDocument,
} from '../server/formats/index.js';
import { itemFor, itemsFromStore, storeImported } from '../server/formats/items.js';
import { setTmx } from '../server/formats/multi-tmx.js';
import { importTranslations } from '../server/import/index.js';
import { alignTranslationSet, reviewDocumentFromAlignment, setName } from '../server/review/index.js';
import { describeLocation } from '../server/store/open.js';
import { NotFoundError } from '../server/store/store.js';
import { detectLang, readTextFile, readTextFiles } from '../server/text/index.js';
import { cliStoreLocation, STORE_OPTIONS, withStore as withStoreAt } from './cli-store.js';
import { CliError, isEntry, parseCli, progress, runMain, UsageError, withOutput, type CliIo, type CliSpec, type ParsedCli } from './cli-util.js';
import { closeLearned, describeLearned, learnedFrom, learnedLexicon, LEARNED_OPTIONS } from './learned.js';

const spec: CliSpec = {
  name: 'export',
  description: [
    'Exports reviewed alignments from the store (DATA_DIR, default ./data, or DATABASE_URL), or aligns two text files and',
    'exports the result without the server, or imports a TMX/JSON file into the store.',
    '',
    'Formats: tmx (TMX 1.4), xliff (XLIFF 2.0), json (schemas/alignment.schema.json), jsonl ({"id", "translation": {en, zh}}),',
    'tsv, csv (UTF-8; --bom for Excel), bitext (two files PATH.<source lang> and PATH.<target lang>, one line per bead).',
    'Issues and QA findings become notes (TMX, XLIFF) or a notes column (TSV, CSV); --no-qa skips the QA checks.',
    '',
    'Examples:',
    '  npm run export -- --doc 1 --format tmx --out brics.tmx',
    '  npm run export -- --all --format json --confirmed-only --out all.json',
    '  npm run export -- --src corpus/brics-fm-2020-09-04/zh.txt --tgt corpus/brics-fm-2020-09-04/en.txt --format tmx --out brics.tmx',
    '  npm run export -- --import other-tool.tmx --target-lang zh-CN',
    '',
    'Several translations of one original (each aligned to it and stored as a document, the documents as one set;',
    'a translation\'s language is detected, or given as LANG=FILE), and their multilingual TMX (one tu per stretch of',
    'the original every translation keeps whole, one tuv per language):',
    '  npm run export -- --translations en.txt fr.txt es=es.txt ru.txt --name "Communiqué"',
    '  npm run export -- --set SET_ID --format tmx --out communique.tmx [--show fr,es]',
  ].join('\n'),
  positionals: { min: 0, max: 12 },
  options: {
    doc: { type: 'string', arg: 'ID', help: 'export this document' },
    all: { type: 'boolean', help: 'export every document in the store (one file)' },
    src: { type: 'string', arg: 'FILE', help: 'align this text file with --tgt and export (no store)' },
    tgt: { type: 'string', arg: 'FILE', help: 'the other text file for --src' },
    format: { type: 'string', choices: EXPORT_FORMATS, help: 'output format' },
    out: { type: 'string', arg: 'PATH', help: 'output file ("-" for stdout, except bitext)' },
    'confirmed-only': { type: 'boolean', help: 'only beads a reviewer confirmed' },
    'no-empty': { type: 'boolean', help: 'leave out 1-0 and 0-1 beads (one side empty)' },
    bom: { type: 'boolean', help: 'UTF-8 byte order mark (TSV/CSV/bitext, for Excel); TSV/CSV cells starting with = + - @ then get a leading \' (no formulas)' },
    'excel-safe': { type: 'boolean', help: 'TSV/CSV: prefix \' to cells starting with = + - @ even without --bom (spreadsheet formula injection)' },
    'source-lang': { type: 'string', arg: 'CODE', help: 'language code written for the original (default en); on --import: the source language to take' },
    'target-lang': { type: 'string', arg: 'CODE', help: 'language code written for the translation (default zh-CN in TMX/XLIFF, zh elsewhere); on --import: the target language' },
    'no-qa': { type: 'boolean', help: 'do not run the QA checks (no findings in the notes)' },
    model: { type: 'string', default: 'auto', choices: ['auto', 'lexical', 'length', 'neural'], help: 'similarity model for --src/--tgt' },
    'original-lang': { type: 'string', arg: 'CODE', default: 'en', help: 'with --src/--tgt: the language of the original (the export source side)' },
    import: { type: 'string', arg: 'FILE', help: 'import a TMX 1.4 or this tool\'s JSON export (restored with its history) into the store' },
    confirmed: { type: 'boolean', help: 'with --import FILE.tmx: its units are validated translations, stored as confirmed rows (the learnt table learns from them)' },
    name: { type: 'string', arg: 'NAME', help: 'document name for --import or --src/--tgt' },
    list: { type: 'boolean', help: 'list the documents in the store (with the translation set of each in one)' },
    translations: { type: 'string', arg: 'FILE', help: 'import this original with the translation files given after the options ([LANG=]FILE …) as one translation set' },
    set: { type: 'string', arg: 'ID', help: 'export this translation set as multilingual TMX (--format tmx)' },
    show: { type: 'string', arg: 'LANGS', help: 'with --set: only these translations, comma-separated codes in the order wanted' },
    ...STORE_OPTIONS,
    ...LEARNED_OPTIONS,
    project: { type: 'string', arg: 'NAME', help: "with --import: the project (client) of the stored documents; with --src/--tgt: learn only from this project's confirmed rows" },
  },
};

/** The parsed command line, with the streams and environment of this run. */
type Cli = ParsedCli & { io: CliIo };

/** Where the store is, for messages. */
function storeName(cli: Cli): string {
  return describeLocation(cliStoreLocation(cli, cli.io.env));
}

function withStore<T>(cli: Cli, fn: Parameters<typeof withStoreAt<T>>[1], opts: { create?: boolean } = {}): Promise<T> {
  return withStoreAt(cliStoreLocation(cli, cli.io.env), fn, opts);
}

/** Streams `items` to `path` (atomically, see withOutput) or stdout ("-"). */
async function writeOut(cli: Cli, path: string, items: () => AsyncIterable<ExportItem> | Iterable<ExportItem>, format: ExportFormat, opts: ExportOptions, multi: boolean): Promise<void> {
  await withOutput(path, (out) => exportDocuments(items(), format, opts, out, multi), cli.io.stdout);
  if (path !== '-') progress(`wrote ${path}`, cli.io);
}

async function exportAll(cli: Cli, items: () => AsyncIterable<ExportItem> | Iterable<ExportItem>, langs: { source: string; target: string }, multi: boolean): Promise<void> {
  const format = cli.string('format') as ExportFormat | undefined;
  const out = cli.string('out');
  if (!format) throw new UsageError('--format is required');
  if (!out) throw new UsageError('--out is required');
  const opts: ExportOptions = {
    confirmedOnly: cli.flag('confirmed-only'),
    includeEmpty: !cli.flag('no-empty'),
    bom: cli.flag('bom'),
    ...(cli.flag('excel-safe') ? { excelSafe: true } : {}),
    ...(cli.string('source-lang') ? { sourceLang: cli.string('source-lang') } : {}),
    ...(cli.string('target-lang') ? { targetLang: cli.string('target-lang') } : {}),
  };
  if (format !== 'bitext') return writeOut(cli, out, items, format, opts, multi);
  if (out === '-') throw new UsageError('bitext writes two files: give --out PATH (PATH.<lang> are written)');
  for (const side of ['source', 'target'] as const) {
    const code = side === 'source' ? (opts.sourceLang ?? langs.source) : (opts.targetLang ?? langs.target);
    await writeOut(cli, `${out}.${code}`, items, format, { ...opts, side }, multi);
  }
}

function warner(cli: Cli): (msg: string) => void {
  return (msg) => cli.io.stderr.write(`warning: ${msg}\n`);
}

async function fromFiles(cli: Cli): Promise<void> {
  const src = cli.string('src');
  const tgt = cli.string('tgt');
  if (!src || !tgt) throw new UsageError('--src and --tgt go together');
  progress('reading and aligning…', cli.io);
  const [a = '', b = ''] = await readTextFiles([src, tgt]);
  const from = learnedFrom(cli, cli.io.env);
  const learned = from ? learnedLexicon(from) : undefined;
  const result = await alignTexts(a, b, { model: cli.string('model') ?? 'auto', ...(learned ? { learned } : {}) });
  if (from) cli.io.stderr.write(`${describeLearned(from, learned?.last ?? null)}\n`);
  await closeLearned();
  const original = (cli.string('original-lang') ?? 'en').toLowerCase();
  const sourceSide = result.b.lang.toLowerCase() === original && result.a.lang.toLowerCase() !== original ? 'b' : 'a';
  const doc = reviewDocumentFromAlignment(result, { name: cli.string('name') ?? src.replace(/^.*[\\/]/, ''), sourceSide });
  doc.id = 'aligned';
  progress(`model ${result.model}: ${doc.beads.length} beads`, cli.io);
  const item = await itemFor(doc, null, { qa: !cli.flag('no-qa'), onWarning: warner(cli) });
  await exportAll(cli, () => [item], { source: doc.source.lang, target: doc.target.lang }, false);
}

async function fromStore(cli: Cli): Promise<void> {
  await withStore(cli, async (store) => {
    const docs = await store.listDocuments();
    let ids: string[];
    if (cli.flag('all')) {
      ids = docs.map((d) => d.id);
      if (ids.length === 0) throw new CliError(`no documents in the store (${storeName(cli)})`);
    } else {
      const id = cli.string('doc')!;
      if (!docs.some((d) => d.id === id)) {
        throw new CliError(`no document "${id}" in ${storeName(cli)}; known: ${docs.map((d) => d.id).join(', ') || 'none'} (see --list)`);
      }
      ids = [id];
    }
    const first = docs.find((d) => d.id === ids[0]);
    const qa = !cli.flag('no-qa');
    await exportAll(cli, () => itemsFromStore(store, ids, { qa, onWarning: warner(cli) }), { source: first?.sourceLang ?? 'en', target: first?.targetLang ?? 'zh' }, ids.length > 1);
  });
}

async function importFile(cli: Cli): Promise<void> {
  const file = cli.string('import')!;
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch {
    throw new CliError(`cannot read ${file}`);
  }
  // Refuse before reading a huge file into memory.
  if (size > DEFAULT_MAX_IMPORT_BYTES) {
    throw new CliError(`${file} is too large (${(size / 1024 / 1024).toFixed(1)} MB; the limit is ${DEFAULT_MAX_IMPORT_BYTES / 1024 / 1024} MB)`);
  }
  const bytes = await readFile(file);
  let docs: ImportedDocument[];
  try {
    docs = /\.json$/i.test(file)
      ? importJson(bytes)
      : [importTmx(bytes, {
          ...(cli.string('source-lang') ? { sourceLang: cli.string('source-lang') } : {}),
          ...(cli.string('target-lang') ? { targetLang: cli.string('target-lang') } : {}),
          ...(cli.string('name') ? { name: cli.string('name') } : {}),
        })];
  } catch (e) {
    if (e instanceof ImportError) throw new CliError(`${file}: ${e.message}`);
    throw e;
  }
  await withStore(cli, async (store) => {
    for (const imported of docs) {
      const { document } = imported;
      let id: string;
      try {
        id = (
          await storeImported(store, [imported], {
            format: /\.json$/i.test(file) ? 'json' : 'tmx',
            author: cli.io.env.USER || 'import',
            name: cli.string('name') || undefined,
            confirmed: cli.flag('confirmed'),
            project: cli.string('project'),
          })
        )[0]!;
      } catch (e) {
        throw new CliError(`${file}: not stored: ${e instanceof Error ? e.message : String(e)}`);
      }
      const confirmed = (await store.getDocument(id)).beads.filter((b) => b.status === 'confirmed').length;
      cli.io.stdout.write(`imported "${document.name}" as document ${id} (${document.beads.length} beads, ${confirmed} confirmed)\n`);
    }
  }, { create: true });
}

/** `--translations ORIGINAL [LANG=]FILE …`: aligns each translation to the original and stores them as one set. */
async function importSet(cli: Cli): Promise<void> {
  const original = cli.string('translations')!;
  const name = cli.string('name');
  if (!name) throw new UsageError('--translations needs --name');
  if (cli.positionals.length === 0) throw new UsageError('--translations ORIGINAL needs the translation files after it ([LANG=]FILE …)');
  const source = await readTextFile(original);
  const translations = await Promise.all(
    cli.positionals.map(async (arg) => {
      const m = /^([A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*)=(.+)$/.exec(arg);
      const text = await readTextFile(m ? m[2]! : arg);
      return { lang: m ? m[1]! : detectLang(text), text };
    }),
  );
  progress(`aligning ${translations.length} translation(s) (${translations.map((t) => t.lang).join(', ')}) to ${original} …`, cli.io);
  await withStore(
    cli,
    async (store) => {
      let result: { set: string; documents: string[] };
      try {
        result = await importTranslations(
          store,
          { name, source, sourceLang: cli.string('source-lang') ?? detectLang(source), translations, model: cli.string('model') ?? 'auto' },
          { author: cli.io.env.USER || 'import' },
        );
      } catch (e) {
        if (e instanceof ImportError) throw new CliError(e.message);
        throw e;
      }
      cli.io.stdout.write(`imported ${result.documents.length} translation(s) as set ${result.set}: ${result.documents.join(' ')}\n`);
    },
    { create: true },
  );
}

/** `--set ID --format tmx`: the set's multilingual TMX. */
async function exportSet(cli: Cli): Promise<void> {
  if (cli.string('format') !== 'tmx') throw new UsageError('--set exports multilingual TMX: give --format tmx');
  const out = cli.string('out')!;
  await withStore(cli, async (store) => {
    const set = await store.translationSet(cli.string('set')!);
    const docs = await Promise.all(set.documents.map((id) => store.getDocument(id)));
    const show = (cli.string('show') ?? '').split(',').map((x) => x.trim().toLowerCase()).filter(Boolean);
    const unknown = show.filter((l) => !docs.some((d) => d.target.lang.toLowerCase() === l));
    if (unknown.length) throw new CliError(`the set has no translation in ${unknown.join(', ')}; it has ${docs.map((d) => d.target.lang).join(', ')}`);
    const only = show.length ? show.map((l) => docs.findIndex((d) => d.target.lang.toLowerCase() === l)) : undefined;
    const xml = setTmx(alignTranslationSet(docs), { name: setName(docs), ...(only ? { only } : {}) });
    await withOutput(out, (w) => new Promise<void>((done, fail) => w.write(xml, (e) => (e ? fail(e) : done()))), cli.io.stdout);
    if (out !== '-') progress(`wrote ${out}`, cli.io);
  });
}

/** BCP 47 shape (as the web export checks): the codes go into xml:lang, JSON keys and bitext file names. */
const LANG_CODE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/;

export async function exportCommand(argv: readonly string[], io: CliIo): Promise<void> {
  const cli: Cli = { ...parseCli(spec, argv, io.env), io };
  for (const o of ['source-lang', 'target-lang'] as const) {
    const v = cli.string(o);
    if (v !== undefined && !LANG_CODE.test(v)) throw new UsageError(`--${o} must be a language code such as en or zh-CN, not "${v}"`);
  }
  const sl = cli.string('source-lang');
  if (sl !== undefined && sl.toLowerCase() === cli.string('target-lang')?.toLowerCase()) {
    throw new UsageError('--source-lang and --target-lang must differ');
  }
  const modes = [
    cli.string('doc') !== undefined,
    cli.flag('all'),
    cli.string('src') !== undefined || cli.string('tgt') !== undefined,
    cli.string('import') !== undefined,
    cli.flag('list'),
    cli.string('translations') !== undefined,
    cli.string('set') !== undefined,
  ];
  if (modes.filter(Boolean).length !== 1) throw new UsageError('give exactly one of --doc ID, --all, --src/--tgt, --import FILE, --list, --translations FILE, --set ID');
  if (cli.positionals.length && cli.string('translations') === undefined) throw new UsageError(`unexpected argument "${cli.positionals[0]}"`);
  const importing = cli.string('import');
  if (cli.flag('confirmed') && (importing === undefined || /\.json$/i.test(importing))) {
    throw new UsageError('--confirmed goes with --import FILE.tmx (a JSON export keeps the statuses of its rows)');
  }
  if (cli.string('project') !== undefined && importing === undefined && cli.string('src') === undefined) {
    throw new UsageError('--project goes with --import (the project of the stored documents) or --src/--tgt (the learnt table to use)');
  }
  const exporting = !cli.flag('list') && importing === undefined && cli.string('translations') === undefined;
  if (exporting && !cli.string('format')) throw new UsageError('--format is required');
  if (exporting && !cli.string('out')) throw new UsageError('--out is required');
  try {
    if (cli.flag('list')) {
      await withStore(cli, async (store) => {
        for (const d of await store.listDocuments()) {
          const set = await store.translationSetOf(d.id);
          io.stdout.write(`${d.id}\t${d.name}\t${d.beads} rows, ${d.confirmed} confirmed, ${d.flagged} flagged, ${d.openIssues} open issues${set ? `\tset ${set.id}` : ''}\n`);
        }
      });
    } else if (cli.string('import') !== undefined) await importFile(cli);
    else if (cli.string('translations') !== undefined) await importSet(cli);
    else if (cli.string('set') !== undefined) await exportSet(cli);
    else if (cli.string('src') !== undefined || cli.string('tgt') !== undefined) await fromFiles(cli);
    else await fromStore(cli);
  } catch (e) {
    if (e instanceof NotFoundError) throw new CliError(e.message);
    if (e instanceof Error && (e as NodeJS.ErrnoException).code && /^E[A-Z]+$/.test((e as NodeJS.ErrnoException).code!)) {
      throw new CliError(`cannot write ${cli.string('out') ?? 'output'}: ${e.message}`);
    }
    throw e;
  }
}

if (isEntry(import.meta.url)) runMain('export', exportCommand);

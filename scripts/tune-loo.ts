/**
 * npm run tune:loo -- [--data DIR] [--json] NAME=V1,V2,… [NAME=…]
 * Leave-one-chapter-out choice of aligner settings on MAC-Dev, so a reported gain is not tuning:
 * every combination of the given values (a grid; see align-settings.ts for the names) aligns every
 * chapter; then, for each chapter, the combination with the best micro strict F1 on the OTHER
 * chapters is chosen and scored on that chapter. Prints each combination's per-chapter and overall
 * strict F1, the choice per held-out chapter, and the leave-one-chapter-out strict F1 (the held-out
 * scores micro-averaged). Ties go to the combination listed first (the first value of each name).
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { alignSentenceLists } from '../server/align/index.js';
import { addCounts, countBeads, parseBeads, scoresOf, ZERO_COUNTS, type EvalCounts } from '../server/align/evaluate.js';
import { describeSettings, modelAndWeights, parseSetting, type Settings } from './align-settings.js';
import { CliError, parseCli, runCli, UsageError, type CliSpec } from './cli-util.js';
import { sharedDataset } from './datasets.js';



const spec: CliSpec = {
  command: 'npm run tune:loo --',
  args: 'NAME=V1,V2,… [NAME=…]',
  description: 'Leave-one-chapter-out selection of aligner settings on MAC-Dev (a grid over the given values).',
  positionals: { min: 0, max: 20 },
  options: {
    data: { type: 'string', arg: 'DIR', default: sharedDataset('mac-dev'), help: 'MAC-Dev folder (zh/, en/, gold/)' },
    json: { type: 'boolean', help: 'print the result as one JSON object on the last line' },
  },
};

/** `a=1,2 b=3` → [{a:1,b:3}, {a:2,b:3}] (the first name varies slowest). */
export function grid(args: readonly string[]): Settings[] {
  let out: Settings[] = [{}];
  for (const arg of args) {
    const eq = arg.indexOf('=');
    if (eq < 0) throw new UsageError(`"${arg}": expected NAME=V1,V2,…`);
    const name = arg.slice(0, eq);
    const values = arg.slice(eq + 1).split(',').map((v) => parseSetting(`${name}=${v}`));
    out = out.flatMap((s) => values.map((v) => ({ ...s, ...v })));
  }
  return out;
}

interface Chapter {
  name: string;
  zh: string[];
  en: string[];
  gold: ReturnType<typeof parseBeads>;
}

const lines = (text: string): string[] => {
  const ls = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
};

async function loadChapters(dir: string): Promise<Chapter[]> {
  let names: string[];
  try {
    names = (await readdir(join(dir, 'gold'))).filter((f) => f.endsWith('.align')).sort();
  } catch {
    throw new CliError(`${dir}/gold: not a readable directory (is --data the MAC-Dev folder?)`);
  }
  return Promise.all(
    names.map(async (f) => {
      const name = f.replace(/\.align$/, '');
      const [zh, en, gold] = await Promise.all([
        readFile(join(dir, 'zh', `${name}.txt`), 'utf8'),
        readFile(join(dir, 'en', `${name}.txt`), 'utf8'),
        readFile(join(dir, 'gold', f), 'utf8'),
      ]);
      return { name, zh: lines(zh), en: lines(en), gold: parseBeads(gold) };
    }),
  );
}

const f1 = (c: EvalCounts): number => scoresOf(c).f1_strict;
const sum = (cs: readonly EvalCounts[]): EvalCounts => cs.reduce(addCounts, ZERO_COUNTS);

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const chapters = await loadChapters(cli.string('data') ?? sharedDataset('mac-dev'));
  const combos = grid(cli.positionals);
  // counts[c][x]: combination c on chapter x.
  const counts: EvalCounts[][] = [];
  for (const s of combos) {
    const { model, weights } = modelAndWeights(s);
    const row: EvalCounts[] = [];
    for (const ch of chapters) {
      const beads = await alignSentenceLists(ch.zh, ch.en, { a: 'zh', b: 'en' }, model, { weights });
      row.push(countBeads(beads, ch.gold));
    }
    counts.push(row);
    process.stdout.write(`${describeSettings(s).padEnd(40)} ${row.map((c) => f1(c).toFixed(4)).join(' ')}  all ${f1(sum(row)).toFixed(4)}\n`);
  }
  const held: EvalCounts[] = [];
  const picks: string[] = [];
  chapters.forEach((ch, x) => {
    let best = 0;
    let bestF = -1;
    counts.forEach((row, c) => {
      const f = f1(sum(row.filter((_, y) => y !== x)));
      if (f > bestF) {
        bestF = f;
        best = c;
      }
    });
    held.push(counts[best]?.[x] ?? ZERO_COUNTS);
    picks.push(`${ch.name}: ${describeSettings(combos[best] ?? {})} → ${f1(counts[best]?.[x] ?? ZERO_COUNTS).toFixed(4)}`);
  });
  process.stdout.write(`chapters: ${chapters.map((c) => c.name).join(' ')}\n`);
  process.stdout.write(`held-out choices:\n  ${picks.join('\n  ')}\n`);
  const loo = f1(sum(held));
  process.stdout.write(`leave-one-chapter-out strict F1: ${loo.toFixed(4)}\n`);
  if (cli.flag('json')) {
    process.stdout.write(`${JSON.stringify({ loo_f1_strict: loo, combos: combos.map((s, c) => ({ settings: s, f1_strict: f1(sum(counts[c] ?? [])), chapters: (counts[c] ?? []).map(f1) })) })}\n`);
  }
}

runCli(main);

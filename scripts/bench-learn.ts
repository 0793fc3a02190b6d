/**
 * npm run bench:learn [-- --data DIR --beads N --runs R --skip-effect --skip-scale]
 * The table learnt from confirmed rows, measured on the compiled build through a real store:
 * 1. Learning effect on MAC-Dev, strict F1 with and without the table:
 *    (a) each chapter: its first half's gold beads stored as confirmed rows, its second half aligned;
 *    (b) leave one chapter out: the other five chapters' gold beads confirmed, the sixth aligned.
 * 2. Scale: N (default 100,000) synthetic confirmed rows (CC-CEDICT words in jieba's frequencies,
 *    rendered by one of their glosses or freely): time to store them (learnt on the way), to rebuild
 *    the table from them (`npm run learn`), to load the table for one MAC-Dev chapter's words, and
 *    all of it.
 * 3. `bitext-review align` on MAC-Dev chapter 001 with that store (DATA_DIR) and with none: median
 *    wall and main-thread CPU time of R calls each, interleaved.
 * The MAC-Dev data is read from ../shared/datasets/mac-dev beside the clone (evaluation data, never
 * copied into the project). The machine may be shared: the times are medians, and noisy.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReviewBead, ReviewDocument, TargetSentence } from '../server/domain.js';
import { sideOfSentences } from '../server/review/index.js';
import { alignSentenceLists, getModel, type LearnedLexicon } from '../server/align/index.js';
import { addCounts, countBeads, parseBeads, scoresOf, ZERO_COUNTS, type EvalCounts, type PlainBead } from '../server/align/evaluate.js';
import { cleanGlosses, parseCedict, cedictPath } from '../server/align/lexical/cedict.js';
import { jiebaDictPath } from '../server/align/lexical/lexicon-cache.js';
import { parseJiebaDict } from '../server/align/lexical/lexicon-file.js';
import { englishTerms } from '../server/align/lexical/english.js';
import { zhTokens } from '../server/align/lexical/dictionary.js';
import { CountsLexicon, scopedReader } from '../server/learn/lexicon.js';
import { projectRoot } from '../server/project-root.js';
import { DB_FILE, openStore, type SqliteStore } from '../server/store/sqlite.js';
import { median } from './bench-stats.js';
import { sharedDataset } from './datasets.js';
import { seededRandom } from './seeded-random.js';
import { CliError, parseCli, runCli, type CliSpec } from './cli-util.js';

const root = projectRoot();
const BIN = join(root, 'bin', 'bitext-review.mjs');

const spec: CliSpec = {
  command: 'npm run bench:learn --',
  description: 'Learning from confirmed rows: MAC-Dev strict F1 with and without the learnt table; learning, loading and aligning speed with a large store.',
  options: {
    data: { type: 'string', arg: 'DIR', default: sharedDataset('mac-dev'), help: 'MAC-Dev folder (zh/, en/, gold/)' },
    beads: { type: 'string', arg: 'N', default: '100000', help: 'synthetic confirmed rows in the scale test' },
    runs: { type: 'string', arg: 'R', default: '7', help: 'align calls with and without the store (medians printed)' },
    'skip-effect': { type: 'boolean', help: 'leave out the MAC-Dev learning effect' },
    'skip-scale': { type: 'boolean', help: 'leave out the scale and speed measurements' },
  },
};

interface Chapter {
  name: string;
  zh: string[];
  en: string[];
  gold: PlainBead[];
}

const lines = (text: string): string[] => {
  const ls = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (ls[ls.length - 1] === '') ls.pop();
  return ls;
};

async function loadChapters(dir: string): Promise<Chapter[]> {
  const names = ['001', '002', '003', '004', '005', '006'];
  try {
    return await Promise.all(
      names.map(async (name) => ({
        name,
        zh: lines(await readFile(join(dir, 'zh', `${name}.txt`), 'utf8')),
        en: lines(await readFile(join(dir, 'en', `${name}.txt`), 'utf8')),
        gold: parseBeads(await readFile(join(dir, 'gold', `${name}.align`), 'utf8')),
      })),
    );
  } catch {
    throw new CliError(`${dir}: not the MAC-Dev folder (zh/NNN.txt, en/NNN.txt, gold/NNN.align)`);
  }
}

/** A stored document of sentence lists and beads (a: zh, b: en), every row of it with `status`: English source, Chinese target. */
function documentOf(name: string, zh: readonly string[], en: readonly string[], beads: readonly PlainBead[], status: ReviewBead['status']): Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'> {
  const source = sideOfSentences(en, '\n');
  const target = sideOfSentences(zh, '\n');
  return {
    name,
    source: { lang: 'en', ...source },
    target: { lang: 'zh', text: target.text, paragraphs: target.paragraphs, sentences: target.sentences.map((s): TargetSentence => ({ ...s, original: s.text })) },
    paragraphPairs: [{ a: [0], b: [0], method: 'whole' }],
    beads: beads.map((b, i) => ({ id: `b${i + 1}`, source: [...b.b], target: [...b.a], confidence: 1, status, origin: 'gold' })),
    issues: [],
    versions: [],
    model: 'gold',
  };
}

const f1 = (c: EvalCounts): string => scoresOf(c).f1_strict.toFixed(4);

/** CPU time of this process so far (ms): steadier than wall time on a machine shared with other jobs. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

function tempStore(): { store: SqliteStore; dir: string; done: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-learn-'));
  const store = openStore(dir);
  return {
    store,
    dir,
    done: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function alignScore(zh: readonly string[], en: readonly string[], gold: readonly PlainBead[], learned?: LearnedLexicon): Promise<EvalCounts> {
  const langs = { a: 'zh', b: 'en' };
  const model = await getModel('lexical', langs, learned ? { learned } : {});
  return countBeads(await alignSentenceLists(zh, en, langs, model), gold);
}

async function learningEffect(chapters: readonly Chapter[]): Promise<void> {
  const all = { langs: 'zh-en' } as const;
  process.stdout.write('\n1. Learning effect, MAC-Dev strict F1 (without → with the learnt table)\n');
  // (a) first half confirmed, second half aligned.
  let without = ZERO_COUNTS;
  let withTable = ZERO_COUNTS;
  const rowsA: string[] = [];
  for (const ch of chapters) {
    const h = Math.floor(ch.gold.length / 2);
    const first = ch.gold.slice(0, h);
    const second = ch.gold.slice(h);
    const za = Math.min(...second.flatMap((b) => b.a));
    const eb = Math.min(...second.flatMap((b) => b.b));
    const gold2 = second.map((b) => ({ a: b.a.map((i) => i - za), b: b.b.map((j) => j - eb) }));
    const t = tempStore();
    await t.store.createDocument(documentOf(`${ch.name} first half`, ch.zh.slice(0, za), ch.en.slice(0, eb), first, 'confirmed'), { author: 'bench' });
    const rows = (await t.store.learntSummary(all)).beads;
    const c0 = await alignScore(ch.zh.slice(za), ch.en.slice(eb), gold2);
    const c1 = await alignScore(ch.zh.slice(za), ch.en.slice(eb), gold2, new CountsLexicon(scopedReader(t.store, all)));
    await t.done();
    without = addCounts(without, c0);
    withTable = addCounts(withTable, c1);
    rowsA.push(`  ${ch.name}: ${f1(c0)} → ${f1(c1)}  (learnt from ${rows} rows)`);
  }
  process.stdout.write(`(a) first half of each chapter confirmed, second half aligned\n${rowsA.join('\n')}\n  all: ${f1(without)} → ${f1(withTable)}\n`);
  // (b) leave one chapter out.
  without = ZERO_COUNTS;
  withTable = ZERO_COUNTS;
  const rowsB: string[] = [];
  for (const ch of chapters) {
    const t = tempStore();
    for (const other of chapters) {
      if (other !== ch) await t.store.createDocument(documentOf(other.name, other.zh, other.en, other.gold, 'confirmed'), { author: 'bench' });
    }
    const rows = (await t.store.learntSummary(all)).beads;
    const c0 = await alignScore(ch.zh, ch.en, ch.gold);
    const c1 = await alignScore(ch.zh, ch.en, ch.gold, new CountsLexicon(scopedReader(t.store, all)));
    await t.done();
    without = addCounts(without, c0);
    withTable = addCounts(withTable, c1);
    rowsB.push(`  ${ch.name}: ${f1(c0)} → ${f1(c1)}  (learnt from ${rows} rows)`);
  }
  process.stdout.write(`(b) leave one chapter out: the other five confirmed, the sixth aligned\n${rowsB.join('\n')}\n  all: ${f1(without)} → ${f1(withTable)}\n`);
}

/**
 * N synthetic rows: 8–16 Chinese words drawn by jieba's frequencies from CC-CEDICT headwords; the
 * English renders 60 % of them by one of their glosses, 25 % by another word's gloss (a free
 * rendering), and leaves 15 % out. Rows of 2,000 per document.
 */
function syntheticDocuments(n: number): Array<Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>> {
  const cedict = parseCedict(readFileSync(cedictPath(), 'utf8'));
  const freq = parseJiebaDict(readFileSync(jiebaDictPath(), 'utf8'));
  const vocab: Array<{ word: string; gloss: string[]; f: number }> = [];
  for (const [word, raw] of cedict.raw) {
    const f = freq.get(word);
    if (!f || !/^[\u4e00-\u9fff]+$/.test(word)) continue;
    const gloss = cleanGlosses(raw).filter((g) => /^[a-z][a-z ,'-]*$/i.test(g));
    if (gloss.length) vocab.push({ word, gloss, f });
  }
  vocab.sort((x, y) => y.f - x.f || (x.word < y.word ? -1 : 1));
  const words = vocab.slice(0, 60_000);
  const cum: number[] = [];
  let total = 0;
  for (const w of words) {
    total += w.f;
    cum.push(total);
  }
  const rnd = seededRandom(20_240_601);
  const pick = () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cum[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return words[lo]!;
  };
  const docs = [];
  for (let start = 0; start < n; start += 2000) {
    const zh: string[] = [];
    const en: string[] = [];
    const beads: PlainBead[] = [];
    for (let i = start; i < Math.min(n, start + 2000); i++) {
      const k = 8 + Math.floor(rnd() * 9);
      const z: string[] = [];
      const e: string[] = [];
      for (let j = 0; j < k; j++) {
        const w = pick();
        z.push(w.word);
        const r = rnd();
        if (r < 0.6) e.push(w.gloss[Math.floor(rnd() * w.gloss.length)]!);
        else if (r < 0.85) e.push(pick().gloss[0]!);
      }
      beads.push({ a: [zh.length], b: [en.length] });
      zh.push(`${z.join('')}。`);
      en.push(`${e.join(' ')}.`);
    }
    docs.push(documentOf(`synthetic ${start / 2000 + 1}`, zh, en, beads, 'confirmed'));
  }
  return docs;
}

/** Runs the CLI; returns wall time and the child's main-thread CPU time (Linux schedstat). */
function runAlign(args: string[], env: NodeJS.ProcessEnv): Promise<{ wallMs: number; cpuMs: number; stderr: string }> {
  const hook =
    'data:text/javascript,import{readFileSync as r}from"node:fs";process.on("exit",()=>{let c;try{c=Number(r("/proc/self/task/"+process.pid+"/schedstat","utf8").split(" ")[0])/1e6}catch{const u=process.resourceUsage();c=(u.userCPUTime+u.systemCPUTime)/1e3}process.stderr.write("\\n__CPU__"+c.toFixed(1)+"\\n")})';
  return new Promise((res, rej) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['--import', hook, BIN, 'align', ...args], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', rej);
    child.on('exit', (code) => {
      const wallMs = performance.now() - t0;
      if (code !== 0) return rej(new CliError(`align ${args.join(' ')} failed (${code}): ${err.trim()}`));
      const m = /__CPU__([\d.]+)/.exec(err);
      res({ wallMs, cpuMs: m ? Number(m[1]) : NaN, stderr: err.replace(/\n?__CPU__[\d.]+\n?/, '').trim() });
    });
  });
}

async function scale(chapters: readonly Chapter[], data: string, n: number, runs: number): Promise<void> {
  const all = { langs: 'zh-en' } as const;
  process.stdout.write(`\n2. Scale: ${n.toLocaleString('en-US')} synthetic confirmed rows (load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})\n`);
  const docs = syntheticDocuments(n);
  const dir = mkdtempSync(join(tmpdir(), 'bench-learn-scale-'));
  const empty = mkdtempSync(join(tmpdir(), 'bench-learn-empty-'));
  try {
    let store = openStore(dir);
    let t0 = performance.now();
    let c0 = cpuMs();
    for (const d of docs) await store.createDocument(d, { author: 'bench' });
    const storeMs = performance.now() - t0;
    const storeCpu = cpuMs() - c0;
    t0 = performance.now();
    c0 = cpuMs();
    const summary = await store.rebuildLearnt(all);
    const rebuildMs = performance.now() - t0;
    const rebuildCpu = cpuMs() - c0;
    await store.close();
    const mb = (f: string): number => statSync(join(dir, f), { throwIfNoEntry: false })?.size ?? 0;
    process.stdout.write(
      `  stored with the table learnt on the way: ${(storeMs / 1000).toFixed(1)} s wall, ${(storeCpu / 1000).toFixed(1)} s CPU (${docs.length} documents of 2,000 rows)\n` +
        `  rebuilt from the confirmed rows (npm run learn): ${(rebuildMs / 1000).toFixed(1)} s wall, ${(rebuildCpu / 1000).toFixed(1)} s CPU → ${summary.beads.toLocaleString('en-US')} rows, ${summary.words.toLocaleString('en-US')} words, ${summary.terms.toLocaleString('en-US')} terms, ${summary.pairs.toLocaleString('en-US')} pairs\n` +
        `  store: ${((mb(DB_FILE) + mb(`${DB_FILE}-wal`)) / 1024 / 1024).toFixed(0)} MB\n`,
    );
    // Loading: a freshly opened store, the words and terms of chapter 001 (what `align` reads), and everything.
    const ch = chapters[0]!;
    const words = [...new Set(ch.zh.flatMap((s) => zhTokens(s).map((t) => t.word)))];
    const terms = [...new Set(ch.en.flatMap((s) => englishTerms(s)))];
    const loads: number[] = [];
    const fulls: number[] = [];
    let used = 0;
    for (let r = 0; r < 5; r++) {
      t0 = performance.now();
      store = openStore(dir);
      const lex = new CountsLexicon(scopedReader(store, all));
      used = (await lex.candidates(words, terms)).size;
      loads.push(performance.now() - t0);
      t0 = performance.now();
      store.learntTable(all);
      fulls.push(performance.now() - t0);
      await store.close();
    }
    process.stdout.write(
      `  table loaded for chapter ${ch.name} (${words.length} words, ${terms.length} terms; store opened, counts read and weighed): median ${median(loads).toFixed(0)} ms of 5 (${used} words with learnt candidates)\n` +
        `  whole table loaded into memory: median ${median(fulls).toFixed(0)} ms of 5\n`,
    );
    process.stdout.write(`\n3. bitext-review align on chapter ${ch.name} (presplit), with this store and without one, ${runs} calls each, interleaved (load average ${loadavg().map((x) => x.toFixed(1)).join(' ')})\n`);
    const args = [join(data, 'zh', `${ch.name}.txt`), join(data, 'en', `${ch.name}.txt`), '--presplit', '--format', 'beads'];
    const withStore: Array<{ wallMs: number; cpuMs: number }> = [];
    const without: Array<{ wallMs: number; cpuMs: number }> = [];
    let line = '';
    await runAlign(args, { ...process.env, DATA_DIR: empty }); // warm the dictionary cache and the OS file cache
    for (let r = 0; r < runs; r++) {
      without.push(await runAlign(args, { ...process.env, DATA_DIR: empty }));
      const w = await runAlign(args, { ...process.env, DATA_DIR: dir });
      withStore.push(w);
      line = w.stderr.split('\n').find((l) => l.startsWith('learnt table')) ?? '';
    }
    const wall0 = median(without.map((x) => x.wallMs));
    const wall1 = median(withStore.map((x) => x.wallMs));
    const cpu0 = median(without.map((x) => x.cpuMs));
    const cpu1 = median(withStore.map((x) => x.cpuMs));
    process.stdout.write(
      `  without a store: wall ${wall0.toFixed(0)} ms, main-thread CPU ${cpu0.toFixed(0)} ms (medians)\n` +
        `  with the store:  wall ${wall1.toFixed(0)} ms, main-thread CPU ${cpu1.toFixed(0)} ms  → ×${(wall1 / wall0).toFixed(2)} wall, ×${(cpu1 / cpu0).toFixed(2)} CPU\n` +
        `  ${line}\n`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const cli = parseCli(spec);
  const data = cli.string('data') ?? sharedDataset('mac-dev');
  const chapters = await loadChapters(data);
  if (!cli.flag('skip-effect')) await learningEffect(chapters);
  if (!cli.flag('skip-scale')) await scale(chapters, data, cli.number('beads', { integer: true }) ?? 100_000, cli.number('runs', { integer: true }) ?? 7);
}

runCli(main);

/**
 * npm run bench:editor [-- options]
 *
 * The review editor in Chromium on a 2,000-row document (the demo corpus, aligned by the lexical
 * model, repeated): for confirm, merge, split, edit-save and undo, the time from the key press (the
 * keydown event's time) to the changed rows shown on the page (the frame after the page script put
 * them in place), N of each, with the server's own time for the request (Server-Timing). Prints
 * p50/p95 per operation on stdout, progress on stderr; exit code 1 when a p95 is over the bound.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM, LAUNCH_ARGS } from './chromium.js';
import type { ReviewDocument } from '../server/domain.js';
import { prepareImport } from '../server/import/document.js';
import { openStore } from '../server/store/sqlite.js';
import { createApp, projectRoot } from '../server/web/app.js';
import { percentile } from './bench-stats.js';

const HELP = `Usage: npm run bench:editor [-- options]

Times the review editor in Chromium (loopback only): key press to changed row shown.
  --rows N      rows of the document (the demo corpus repeated; default 2000)
  --runs N      times each operation is timed (default 50)
  --all         show all rows on one page (default: the first page of 500 rows)
  --bound MS    p95 bound per operation (default 100)
  --chromium P  browser (default $CHROMIUM_PATH or /usr/bin/chromium)
  --help        this text
`;

interface Args {
  rows: number;
  runs: number;
  all: boolean;
  bound: number;
  chromium: string;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { rows: 2000, runs: 50, all: false, bound: 100, chromium: CHROMIUM };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    const num = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0) fail(`${x} needs a positive whole number`);
      return v;
    };
    if (x === '--help' || x === '-h') {
      process.stdout.write(HELP);
      process.exit(0);
    } else if (x === '--rows') a.rows = num();
    else if (x === '--runs') a.runs = num();
    else if (x === '--bound') a.bound = num();
    else if (x === '--all') a.all = true;
    else if (x === '--chromium') a.chromium = argv[++i] ?? fail('--chromium needs a path');
    else fail(`unknown option ${x} (see --help)`);
  }
  return a;
}

function fail(message: string): never {
  process.stderr.write(`bench:editor: ${message}\n`);
  process.exit(2);
}

const progress = (s: string): void => {
  process.stderr.write(`${s}\n`);
};

/** The demo corpus aligned once, then repeated (sentences, paragraphs and rows shifted) to `rows` rows. */
async function bigDocument(rows: number): Promise<Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>> {
  const corpus = join(projectRoot(), 'corpus/brics-fm-2020-09-04');
  const one = await prepareImport({ name: 'demo', source: readFileSync(join(corpus, 'en.txt'), 'utf8'), target: readFileSync(join(corpus, 'zh.txt'), 'utf8'), model: 'lexical' });
  const times = Math.ceil(rows / one.beads.length);
  const shift = <T extends { index: number; paragraph: number; start: number; end: number }>(x: T, k: number, side: ReviewDocument['source']): T => {
    const at = k * (side.text.length + 2);
    return { ...x, index: x.index + k * side.sentences.length, paragraph: x.paragraph + k * side.paragraphs.length, start: x.start + at, end: x.end + at };
  };
  const paras = (side: ReviewDocument['source'], k: number): ReviewDocument['source']['paragraphs'] => {
    const at = k * (side.text.length + 2);
    return side.paragraphs.map((p) => ({ ...p, index: p.index + k * side.paragraphs.length, spans: p.spans.map((sp) => ({ start: sp.start + at, end: sp.end + at })) }));
  };
  const src = { text: [] as string[], sentences: [] as ReviewDocument['source']['sentences'], paragraphs: [] as ReviewDocument['source']['paragraphs'] };
  const tgt = { text: [] as string[], sentences: [] as ReviewDocument['target']['sentences'], paragraphs: [] as ReviewDocument['target']['paragraphs'] };
  const beads: ReviewDocument['beads'] = [];
  const targetSide = { ...one.target, sentences: one.target.sentences } as unknown as ReviewDocument['source'];
  for (let k = 0; k < times; k++) {
    src.text.push(one.source.text);
    tgt.text.push(one.target.text);
    src.sentences.push(...one.source.sentences.map((x) => shift(x, k, one.source)));
    src.paragraphs.push(...paras(one.source, k));
    tgt.sentences.push(...one.target.sentences.map((x) => shift(x, k, targetSide)));
    tgt.paragraphs.push(...paras(targetSide, k));
    for (const b of one.beads) {
      beads.push({ ...b, id: `b${beads.length + 1}`, source: b.source.map((i) => i + k * one.source.sentences.length), target: b.target.map((i) => i + k * one.target.sentences.length) });
    }
  }
  const n = Math.min(rows, beads.length);
  const keepS = beads[n - 1]!.source.at(-1)! + 1;
  const keepT = beads[n - 1]!.target.at(-1)! + 1;
  return {
    name: `demo ×${times} (${n} rows)`,
    source: { lang: one.source.lang, text: src.text.join('\n\n'), paragraphs: src.paragraphs.filter((p) => src.sentences.slice(0, keepS).some((s) => s.paragraph === p.index)), sentences: src.sentences.slice(0, keepS) },
    target: { lang: one.target.lang, text: tgt.text.join('\n\n'), paragraphs: tgt.paragraphs.filter((p) => tgt.sentences.slice(0, keepT).some((s) => s.paragraph === p.index)), sentences: tgt.sentences.slice(0, keepT) },
    paragraphPairs: [],
    beads: beads.slice(0, n),
    issues: [],
    versions: [],
    model: 'lexical',
  };
}

/** The page's times of one change (ms since the page's time origin): key down, request sent, answer in, rows in place, frame done. */
interface Shown {
  started: number;
  sent: number;
  answered: number;
  applied: number;
  shown: number;
  server: number | null;
}

/**
 * Presses `key` and waits for the change to be on the screen; returns the page's timing of it (the
 * page script's `review:shown` event, recorded by RECORDER, given as text: this script is compiled
 * without the DOM's types).
 */
async function timed(page: Page, key: string): Promise<Shown> {
  await page.evaluate(() => {
    (globalThis as unknown as { __last: null }).__last = null;
  });
  await page.keyboard.press(key);
  try {
    await page.waitForFunction(() => (globalThis as unknown as { __last: unknown }).__last !== null, null, { timeout: 20_000 });
  } catch (e) {
    const toast = await page.locator('#toast').textContent().catch(() => null);
    throw new Error(`no change shown after ${key}: ${toast} (${(e as Error).message})`);
  }
  return page.evaluate(() => (globalThis as unknown as { __last: Shown }).__last);
}

const RECORDER =
  "document.addEventListener('review:shown', (e) => { const d = e.detail; window.__last = { started: d.started, sent: d.sent, answered: d.answered, applied: d.applied, shown: d.shown, server: d.server }; });";

async function select(page: Page, n: number): Promise<void> {
  await page.locator(`tbody.rg[data-n="${n}"] td.conf`).click();
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'bench-editor-'));
  mkdirSync(join(dir, 'corpus'));
  const store = openStore(join(dir, 'data'));
  const app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: args.chromium, headless: true, args: LAUNCH_ARGS });
  try {
    progress(`bench:editor: aligning the demo corpus and repeating it to ${args.rows} rows …`);
    const id = await store.createDocument(await bigDocument(args.rows), { author: 'bench' });
    const rows = (await store.getDocument(id)).beads.length;
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await page.goto(`${base}/`);
    await page.fill('header input[name="name"]', 'Bench Reviewer');
    await Promise.all([page.waitForEvent('load'), page.click('header button[type="submit"]')]);
    await page.addInitScript({ content: RECORDER });
    let loads = 0;
    page.on('request', (r) => {
      if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads++;
    });
    await page.goto(`${base}/documents/${id}${args.all ? '?page=all' : ''}`);
    const shownRows = await page.locator('tr.row').count();
    loads = 0;
    progress(`bench:editor: ${rows} rows, ${shownRows} on the page; ${args.runs} of each operation`);
    const results: Record<string, Shown[]> = { confirm: [], merge: [], split: [], 'edit-save': [], undo: [] };
    // Warm-up (the model's first load for scoring rows aligned by hand, first QA of a row, JIT): not counted.
    await select(page, 2);
    await timed(page, 'c');
    await timed(page, 'u');
    await select(page, 4);
    await timed(page, 'm');
    await timed(page, 'u');

    // confirm: c on consecutive rows (it moves on to the next unconfirmed row itself).
    await select(page, 10);
    for (let k = 0; k < args.runs; k++) results.confirm!.push(await timed(page, 'c'));
    progress('  confirm done');
    // merge: m on rows from a fifth of the page down (each merged row then moved past with j).
    const mergeAt = Math.max(20, Math.floor(shownRows / 5));
    const editAt = mergeAt + 2 * args.runs + 10;
    if (editAt + args.runs > shownRows) fail(`too few rows on the page (${shownRows}) for ${args.runs} runs`);
    await select(page, mergeAt);
    for (let k = 0; k < args.runs; k++) {
      results.merge!.push(await timed(page, 'm'));
      await page.keyboard.press('j');
    }
    progress('  merge done');
    // split: s, then Enter (timed) on each merged row.
    for (let k = 0; k < args.runs; k++) {
      await select(page, mergeAt + 2 * k);
      await page.keyboard.press('s');
      results.split!.push(await timed(page, 'Enter'));
    }
    progress('  split done');
    // edit-save: e, type, Ctrl+Enter (timed) on the rows below those.
    for (let k = 0; k < args.runs; k++) {
      await select(page, editAt + k);
      await page.keyboard.press('e');
      await page.keyboard.press('Control+End');
      await page.keyboard.type('改');
      results['edit-save']!.push(await timed(page, 'Control+Enter'));
    }
    progress('  edit-save done');
    // undo: u (the reviewer's own last change: the edits, then the splits).
    for (let k = 0; k < args.runs; k++) results.undo!.push(await timed(page, 'u'));
    progress('  undo done');
    if (loads !== 0) fail(`${loads} page load(s) happened during the operations`);

    const fmt = (x: number): string => x.toFixed(1).padStart(7);
    const p50 = (list: Shown[], f: (r: Shown) => number): string => fmt(percentile(list.map(f), 50));
    const lines = [
      `bench:editor — ${rows}-row document, ${shownRows} rows on the page, ${args.runs} runs each, Chromium ${browser.version()}, ${cpus().length} cores (load ${loadavg()[0]!.toFixed(2)})`,
      `operation    key→shown p50    p95  | server p50    p95  | p50 of: key→sent  request  rows in  frame   (ms)`,
    ];
    let over = false;
    for (const [op, list] of Object.entries(results)) {
      const total = list.map((r) => r.shown - r.started);
      const srv = list.map((r) => r.server ?? NaN).filter(Number.isFinite);
      const p95 = percentile(total, 95);
      if (p95 > args.bound) over = true;
      lines.push(
        `${op.padEnd(12)} ${fmt(percentile(total, 50))} ${fmt(p95)}  | ${fmt(percentile(srv, 50))} ${fmt(percentile(srv, 95))}  |   ${p50(list, (r) => r.sent - r.started)} ${p50(list, (r) => r.answered - r.sent)} ${p50(list, (r) => r.applied - r.answered)} ${p50(list, (r) => r.shown - r.applied)}${p95 > args.bound ? `   over ${args.bound} ms` : ''}`,
      );
    }
    lines.push(`page loads during the operations: ${loads}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    await context.close();
    if (over) process.exitCode = 1;
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();

/**
 * Browser test (playwright-core + Debian Chromium) of the work that runs as jobs: an import's job
 * page shows a progress bar and lands on the new document; TMX and JSON files are imported from the
 * Import page; the document's export menu downloads every format with "confirmed rows only" and
 * "leave out empty rows" (a large document's export through its job page). Screenshots in
 * test-artifacts/. A missing browser is an error (never a skip).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, CORPUS, LAUNCH_ARGS, missingBrowser } from './browser.js';
import { exportDocument } from '../../server/formats/index.js';
import { syntheticDocument } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { httpServer } from '../../server/web/security.js';
import { Capture } from '../helpers/cli.js';
import { makeDoc } from '../web/fixtures.js';


let dir: string;
let store: SqliteStore;
let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
let app: ReturnType<typeof createApp>;
const problems: string[] = [];

beforeAll(async () => {
  if (missingBrowser) return;
  dir = mkdtempSync(join(tmpdir(), 'jobs-e2e-'));
  store = openStore(join(dir, 'data'));
  app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  server = httpServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1280, height: 900 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
}, 60_000);

afterAll(async () => {
  await context?.close();
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  }
  await (app?.locals.jobs as { close(): Promise<void> } | undefined)?.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A download's content as text. */
async function downloaded(start: () => Promise<unknown>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), start()]);
  const path = await download.path();
  return { name: download.suggestedFilename(), text: readFileSync(path, 'utf8') };
}

describe('jobs in the browser', () => {
  it('an import shows its progress bar and lands on the document; TMX and JSON files import from the Import page', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    await page.goto(`${base}/`);
    await page.fill('header input[name="name"]', 'Job Tester');
    await page.click('header button[type="submit"]');

    // The demo corpus with the lexical model: long enough to see the job page.
    await page.goto(`${base}/import`);
    await page.fill('input[name="name"]', 'BRICS via a job');
    await page.setInputFiles('input[name="targetFile"]', join(CORPUS, 'zh.txt'));
    await page.setInputFiles('input[name="sourceFile"]', join(CORPUS, 'en.txt'));
    await page.selectOption('select[name="model"]', 'lexical');
    await Promise.all([page.waitForURL(/\/jobs\/j[0-9a-f]{16}$/), page.click('#import-form button.primary')]);
    expect(await page.locator('progress#job-progress').count()).toBe(1);
    expect(await page.textContent('h1')).toContain('Import of “BRICS via a job”');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'job-progress.png') });
    await page.waitForURL(/\/documents\/d[0-9a-f]+$/, { timeout: 60_000 });
    expect(await page.locator('tr.row').count()).toBeGreaterThan(50);
    const docId = page.url().split('/').pop()!;

    // A TMX export of it, imported back through the file form.
    const doc = await store.getDocument(docId);
    const tmx = new Capture();
    await exportDocument(doc, 'tmx', {}, tmx);
    writeFileSync(join(dir, 'brics.tmx'), tmx.text);
    await page.goto(`${base}/import`);
    await page.setInputFiles('#file-import-form input[name="file"]', join(dir, 'brics.tmx'));
    await page.fill('#file-import-form input[name="name"]', 'From TMX');
    await Promise.all([page.waitForURL(/\/documents\/[^/]+$/, { timeout: 30_000 }), page.click('#file-import-form button.primary')]);
    expect(await page.locator('tr.row').count()).toBe(doc.beads.length);
    expect((await store.listDocuments()).some((d) => d.name === 'From TMX' && d.beads === doc.beads.length)).toBe(true);

    // A JSON export (with history) restored through the same form.
    await store.apply(docId, { kind: 'confirm', beadId: doc.beads[0]!.id }, { author: 'Job Tester' });
    const json = new Capture();
    await exportDocument(await store.getDocument(docId), 'json', { history: await store.history(docId, { changes: false }) }, json);
    writeFileSync(join(dir, 'brics.json'), json.text);
    await page.goto(`${base}/import`);
    await page.setInputFiles('#file-import-form input[name="file"]', join(dir, 'brics.json'));
    await page.fill('#file-import-form input[name="name"]', 'From JSON');
    await Promise.all([page.waitForURL(/\/documents\/[^/]+$/, { timeout: 30_000 }), page.click('#file-import-form button.primary')]);
    expect(await page.locator('tr.row.st-confirmed').count()).toBe(1);

    // A refused file stays on the Import page with the reason.
    writeFileSync(join(dir, 'bad.tmx'), '<tmx version="1.1"><header/><body/></tmx>');
    await page.goto(`${base}/import`);
    await page.setInputFiles('#file-import-form input[name="file"]', join(dir, 'bad.tmx'));
    await Promise.all([page.waitForURL(/\/jobs\//), page.click('#file-import-form button.primary')]);
    await expect.poll(() => page.textContent('#job-message'), { timeout: 30_000 }).toContain('unsupported TMX version');
    expect(problems).toEqual([]);
  }, 120_000);

  it('the export menu downloads every format with "confirmed rows only" and "leave out empty rows"; a large one through its job', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    // Rows 1–3 confirmed, row 4 a 0-1 row (no source), the rest automatic.
    const base6 = makeDoc(6, { name: 'Menu test' });
    const id = await store.createDocument(base6, { author: 't' });
    await store.apply(id, { kind: 'confirmAbove', beadId: 'b3' }, { author: 't' });
    await store.apply(id, { kind: 'detach', beadId: 'b4', side: 'source' }, { author: 't' });
    await page.goto(`${base}/documents/${id}/history`);
    const options = await page.locator('.export-menu select[name="format"] option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options).toEqual(['tmx', 'xliff', 'json', 'jsonl', 'tsv', 'csv', 'bitext']);
    const menu = async (format: string, opts: { confirmed?: boolean; noEmpty?: boolean; side?: string } = {}) => {
      await page.goto(`${base}/documents/${id}/history`);
      await page.click('.export-menu summary');
      await page.selectOption('.export-menu select[name="format"]', format);
      if (opts.side) await page.selectOption('.export-menu select[name="side"]', opts.side);
      if (opts.confirmed) await page.check('.export-menu input[name="confirmedOnly"]');
      if (opts.noEmpty) await page.check('.export-menu input[name="empty"]');
      return downloaded(() => page.click('.export-menu button[type="submit"]'));
    };
    const all = await menu('jsonl');
    expect(all.name).toBe('Menu test.jsonl');
    expect(all.text.trim().split('\n')).toHaveLength(7); // 6 rows + the detached sentence's own row
    const confirmed = await menu('jsonl', { confirmed: true });
    expect(confirmed.text.trim().split('\n')).toHaveLength(3);
    const noEmpty = await menu('tsv', { noEmpty: true });
    expect(noEmpty.text.trim().split('\n')).toHaveLength(1 + 5); // header + rows with both sides
    const bitext = await menu('bitext', { side: 'target', confirmed: true });
    expect(bitext.name).toBe('Menu test.zh.txt');
    expect(bitext.text.trim().split('\n')).toEqual(['这是第1句中文，包含数字0。', '这是第2句中文，包含数字3。', '这是第3句中文，包含数字6。']);
    for (const f of ['tmx', 'xliff', 'json', 'csv']) expect((await menu(f)).text.length).toBeGreaterThan(100);

    // A large document: the export runs as a job; its page downloads the file when done.
    const big = await store.createDocument({ ...syntheticDocument(400), name: 'Large export' }, { author: 't' });
    await page.goto(`${base}/documents/${big}/history`);
    await page.click('.export-menu summary');
    await page.selectOption('.export-menu select[name="format"]', 'tmx');
    const file = await downloaded(() => page.click('.export-menu button[type="submit"]'));
    expect(page.url()).toMatch(/\/jobs\/j[0-9a-f]{16}$/);
    expect(file.name).toBe('Large export.tmx');
    expect(file.text.match(/<tu /g)).toHaveLength(400);
    await expect.poll(() => page.isVisible('#job-done')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'job-export-done.png') });
    expect(problems).toEqual([]);
  }, 120_000);
});

/**
 * Browser test (playwright-core + Debian Chromium) of what issue 11 asks the pages to show, on the
 * demo corpus: the QA report's first screen holds the major findings (国家党, the untranslated "and",
 * 金砖四国) and each document-wide style kind takes one line, a text cell opening to its whole text; the scorecard page draws its charts; on
 * the review page, pointing at a word or putting the caret on it highlights its counterparts.
 * Screenshots: test-artifacts/qa-report.png (first screen), qa-report-full.png, scorecard.png, word-links.png.
 * A missing browser is an error (never a skip), with the command that installs it.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, CORPUS, LAUNCH_ARGS, missingBrowser } from './browser.js';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';

const VIEWPORT = { width: 1280, height: 800 };

let dir: string;
let store: Store;
let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
let docId: string;
const problems: string[] = [];

beforeAll(async () => {
  if (missingBrowser) return;
  dir = mkdtempSync(join(tmpdir(), 'qa-e2e-'));
  mkdirSync(join(dir, 'corpus'));
  store = openStore(join(dir, 'data'));
  const result = await alignTexts(readFileSync(join(CORPUS, 'en.txt'), 'utf8'), readFileSync(join(CORPUS, 'zh.txt'), 'utf8'), { aLang: 'en', bLang: 'zh', model: 'lexical' });
  const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...doc } = reviewDocumentFromAlignment(result, { name: 'BRICS FM 2020-09-04', sourceSide: 'a' });
  docId = await store.createDocument(doc, { author: 'e2e' });
  const app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: VIEWPORT,
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Whether the element lies wholly inside the first screen (the viewport at the top of the page). */
async function onFirstScreen(selector: string): Promise<boolean> {
  const box = await page.locator(selector).first().boundingBox();
  return box !== null && box.y >= 0 && box.y + box.height <= VIEWPORT.height;
}

describe('QA report, scorecard and word highlighting in the browser', () => {
  it('shows the major findings on the report\'s first screen and one line per style kind', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    await page.goto(`${base}/documents/${encodeURIComponent(docId)}/qa`);
    await page.screenshot({ path: join(ARTIFACTS, 'qa-report.png') });
    await page.screenshot({ path: join(ARTIFACTS, 'qa-report-full.png'), fullPage: true });
    for (const text of ['国家党', 'and', '金砖四国', '政策安全']) {
      expect(await onFirstScreen(`table.qa-findings tr:has(mark:text-is("${text}"))`), text).toBe(true);
    }
    // A text cell is one line around its span and opens to the whole text (the report never cuts it).
    const cell = page.locator('table.qa-findings tr:has(mark:text-is("政策安全")) td[lang="zh"] details.text').first();
    const line = (await cell.locator('.line').textContent()) ?? '';
    expect(line).toContain('…');
    expect(await cell.locator('.all').isVisible()).toBe(false);
    await cell.locator('summary').click();
    expect(await cell.locator('.line').isVisible()).toBe(false);
    const whole = (await cell.locator('.all').textContent()) ?? '';
    expect(whole.length).toBeGreaterThan(line.length);
    for (const part of line.split('…').filter(Boolean)) expect(whole).toContain(part);
    await cell.locator('summary').click();
    expect(await cell.locator('.line').isVisible()).toBe(true);
    // Severity order: no minor finding before the last major one.
    const severities = await page.locator('table.qa-findings tbody tr td.sev').allTextContents();
    const lastMajor = severities.lastIndexOf('major');
    expect(lastMajor).toBeGreaterThan(5);
    expect(severities.slice(0, lastMajor)).not.toContain('minor');
    // Style kinds: one row each, listing their places.
    expect(await page.locator('table.qa-findings tr:has-text("Half-width punctuation next to Chinese text")').count()).toBe(1);
    expect(await page.locator('table.qa-findings tr:has-text("Inconsistent spacing between Chinese")').count()).toBe(1);
    expect(await page.locator('table.qa-findings tr.qa-grouped .places a').count()).toBeGreaterThan(10);
    expect(await page.locator('table.qa-findings tr:has-text("No space between Chinese")').count()).toBe(0);
    expect(problems).toEqual([]);
  }, 60_000);

  it('draws the scorecard with its charts', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    await page.goto(`${base}/documents/${encodeURIComponent(docId)}/scorecard`);
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.screenshot({ path: join(ARTIFACTS, 'scorecard.png'), fullPage: true });
    await page.setViewportSize(VIEWPORT);
    expect(await page.locator('#scorecard-totals td.fail').count()).toBe(1); // the open findings fail, no issue accepted yet
    expect(await page.locator('#chart-categories rect.automatic').count()).toBeGreaterThan(3);
    const bars = await page.locator('#chart-paragraphs rect.automatic').count();
    expect(bars).toBeGreaterThan(10);
    const box = await page.locator('#chart-paragraphs').boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(problems).toEqual([]);
  }, 60_000);

  it('highlights a word\'s counterparts on pointing at it and on moving the caret onto it', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    await page.goto(`${base}/documents/${encodeURIComponent(docId)}`);
    const row = page.locator('tr[data-bead]:has-text("Russian Federation")').first();
    const word = row.locator('.src .wl', { hasText: /^Federation$/ });
    await expect.poll(() => word.count(), { timeout: 15_000 }).toBe(1);
    await word.hover();
    await expect.poll(() => row.locator('.tgt .wl-partner').allTextContents()).toEqual(['俄罗斯联邦']);
    expect(await word.getAttribute('class')).toContain('wl-on');
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'word-links.png') });
    // Away from the words: nothing lit.
    await page.mouse.move(5, 5);
    await expect.poll(() => page.locator('.wl-partner').count()).toBe(0);
    // The caret on a Chinese word lights its English counterpart.
    const zh = row.locator('.tgt .wl', { hasText: /^视频会议$/ });
    await zh.evaluate((el) => {
      const range = document.createRange();
      range.setStart(el.firstChild ?? el, 1);
      range.collapse(true);
      const sel = document.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
    });
    await expect.poll(() => row.locator('.src .wl-partner').allTextContents()).toEqual(['videoconferencing']);
    expect(problems).toEqual([]);
  }, 60_000);
});

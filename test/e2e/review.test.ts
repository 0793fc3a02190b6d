/**
 * Browser test (playwright-core + Debian Chromium): import the demo corpus through the import page,
 * then merge (a button), split in place, move a sentence and edit with the diff shown on the row page
 * (plain forms), flag, undo, confirm all above, keyboard navigation and a conflict with another
 * reviewer on the review page; keeps a screenshot in test-artifacts/review.png. Every key and
 * operation in detail: editor.test.ts; a whole session: session.test.ts.
 * A missing browser is an error (never a skip), with the command that installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, CORPUS, LAUNCH_ARGS, missingBrowser } from './browser.js';
import { createApp } from '../../server/web/app.js';
import { openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';


let dir: string;
let store: Store;
let server: Server;
let base: string;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (missingBrowser) return;
  dir = mkdtempSync(join(tmpdir(), 'web-e2e-'));
  mkdirSync(join(dir, 'corpus'));
  store = openStore(join(dir, 'data'));
  const app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  context = await chromium.launchPersistentContext(join(dir, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: LAUNCH_ARGS,
    viewport: { width: 1400, height: 900 },
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
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rowCount = (): Promise<number> => page.locator('tr.row').count();
const row = (beadId: string) => page.locator(`tr#b-${beadId}`);
/** Waits for the in-place update after a change (the script swaps the page content). */
async function waitRows(n: number): Promise<void> {
  await expect.poll(() => rowCount(), { timeout: 15_000 }).toBe(n);
}

describe('review in the browser', () => {
  it('imports the demo corpus and reviews it', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    // The reviewer's name is asked once.
    await page.goto(`${base}/`);
    await page.fill('header input[name="name"]', 'E2E Reviewer');
    await page.click('header button[type="submit"]');
    await expect.poll(() => page.textContent('header .reviewer')).toContain('E2E Reviewer');

    // Import through the form, uploading the two files.
    await page.goto(`${base}/import`);
    await page.fill('input[name="name"]', 'BRICS FM 2020-09-04');
    await page.setInputFiles('input[name="targetFile"]', join(CORPUS, 'zh.txt'));
    await page.setInputFiles('input[name="sourceFile"]', join(CORPUS, 'en.txt'));
    await page.selectOption('select[name="model"]', 'lexical');
    await Promise.all([page.waitForURL(/\/documents\/[^/?#]+$/, { timeout: 30_000 }), page.click('button.primary')]);
    const docUrl = page.url();
    const reviewUrl = docUrl.split('#')[0] ?? docUrl;
    const total = await rowCount();
    expect(total).toBeGreaterThan(50);
    await expect.poll(() => page.textContent('tr.row >> nth=0')).toContain('金砖国家');

    // Merge row 1 with row 2 (in place, through the script).
    const firstTwo = [await row('b1').locator('td.src').textContent(), await row('b2').locator('td.src').textContent()];
    await row('b1').locator('button[data-op="merge"]').click();
    await waitRows(total - 1);
    const merged = (await row('b1').locator('td.src').textContent()) ?? '';
    expect(merged).toContain((firstTwo[0] ?? '').trim());
    expect(merged).toContain((firstTwo[1] ?? '').trim());

    // "more…" opens the row in place; s splits it again there (the boundaries default to the middle).
    await row('b1').locator('a[data-op="more"]').click();
    await page.locator('tr.panel').waitFor();
    expect(page.url()).not.toContain('/rows/');
    await page.keyboard.press('s');
    await page.keyboard.press('Enter');
    await waitRows(total);

    // Move the first Chinese sentence of row 4 to row 3.
    await page.goto(`${reviewUrl}/rows/b4`);
    await Promise.all([page.waitForURL(/#b-b4$/), page.click('button[value="shiftUp:target:b4"]')]);
    expect(await row('b3').locator('td.tgt span.s').count()).toBe(2);
    expect(await row('b4').locator('td.tgt .empty-side').count()).toBe(1);

    // Edit the Chinese of row 5 and see the diff against the machine output.
    await page.goto(`${reviewUrl}/rows/b5`);
    const original = (await page.inputValue('.edit-form textarea')).trim();
    await page.fill('.edit-form textarea', `${original.slice(0, 4)}（已修改）${original.slice(4)}`);
    await Promise.all([page.waitForURL(/\/rows\/b5/), page.click('.edit-form button[data-op="edit"]')]);
    await expect.poll(() => page.locator('.diff ins').first().textContent()).toContain('已修改');
    expect(await page.textContent('.original')).toContain(original);

    // Flag row 6, then undo the flag.
    await page.goto(docUrl);
    await row('b6').locator('button[data-op="flag"]').click();
    await expect.poll(() => row('b6').getAttribute('class')).toContain('st-flagged');
    await page.click('button[data-key="u"]');
    await expect.poll(() => row('b6').getAttribute('class')).toContain('st-automatic');

    // Confirm every row above row 10.
    await row('b10').locator('button[data-op="confirmAbove"]').click();
    await expect.poll(() => page.locator('tr.row.st-confirmed').count()).toBe(10);

    // n: from row 1 to the next row not confirmed yet (row 11).
    await row('b1').locator('td.src').click();
    await page.keyboard.press('n');
    await expect.poll(() => row('b11').getAttribute('class')).toContain('current');

    // Keyboard: select row 20, j → row 21, c confirms it and moves on to row 22 (the next
    // unconfirmed one: one key per row), k → back to row 21, ? shows the help.
    await row('b20').locator('td.src').click();
    await page.keyboard.press('j');
    await expect.poll(() => row('b21').getAttribute('class')).toContain('current');
    await page.keyboard.press('c');
    await expect.poll(() => row('b21').getAttribute('class')).toContain('st-confirmed');
    await expect.poll(() => row('b22').getAttribute('class')).toContain('current');
    await page.keyboard.press('k');
    await expect.poll(() => row('b21').getAttribute('class')).toContain('current');
    await page.keyboard.press('?');
    expect(await page.locator('#help').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    expect(await page.locator('#help').isVisible()).toBe(false);

    // A fresh page: Tab does not choose a row, the first j chooses row 1 (none is skipped).
    await page.goto(reviewUrl);
    await page.keyboard.press('Tab');
    expect(await page.locator('tr.row.current').count()).toBe(0);
    await page.keyboard.press('j');
    await expect.poll(() => row('b1').getAttribute('class')).toContain('current');
    await page.keyboard.press('j');
    const second = page.locator('tr.row').nth(1);
    await expect.poll(() => second.getAttribute('class')).toContain('current');
    const secondId = (await second.getAttribute('data-bead')) ?? '';
    // e opens the editor in place, with the keyboard in the edit box (no page load); Esc closes it.
    await page.keyboard.press('e');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.id)).toBe(`b-${secondId}`);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    expect(page.url()).not.toContain('/rows/');
    await page.keyboard.press('Escape');

    // Every change is in the history, with the reviewer's name.
    const id = decodeURIComponent(new URL(docUrl).pathname.split('/')[2] ?? '');
    const kinds = (await store.history(id)).map((e) => e.op.kind);
    expect(kinds).toEqual(['import', 'merge', 'split', 'shiftUp', 'editTarget', 'flag', 'undo', 'confirmAbove', 'confirm']);
    expect((await store.history(id)).at(-1)!.author).toBe('E2E Reviewer');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.goto(`${reviewUrl}#b-b18`); // a mix of confirmed and automatic rows, with the current row marked
    await page.screenshot({ path: join(ARTIFACTS, 'review.png') });
    expect(existsSync(join(ARTIFACTS, 'review.png'))).toBe(true);

    // A button pressed from the keyboard keeps the focus in its row after the in-place update.
    await row('b30').locator('button[data-op="flag"]').focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => row('b30').getAttribute('class')).toContain('st-flagged');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.id ?? document.activeElement?.tagName)).toBe('b-b30');
    expect(problems).toEqual([]);

    // Another reviewer merges rows 40 and 41 meanwhile: confirming row 41 from this (stale) page is
    // refused, and the message says who changed what.
    await store.apply(id, { kind: 'merge', beadId: 'b40' }, { author: 'Other Reviewer' });
    await row('b41').locator('button[data-op="confirm"]').click();
    // Row numbers, not ids (item 4 of issue 10).
    await expect.poll(() => page.textContent('#toast')).toMatch(/Other Reviewer merged rows \d+–\d+/);
    await expect.poll(() => row('b41').count()).toBe(0); // the page shows the current version
    // The keyboard position stays where the reviewer was: on the row that took row 41's sentences.
    await expect.poll(() => row('b40').getAttribute('class')).toContain('current');
    expect(page.url()).toMatch(/#b-b40$/);
  }, 120_000);
});

/**
 * What the browser tests share: Debian Chromium through playwright-core (one browser per test file,
 * a context per scenario), the app on a loopback port over a temporary DATA_DIR, the demo corpus
 * aligned once, and a count of full page loads (main-frame navigations) per page. A missing browser
 * is an error (never a skip), with the command that installs it.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { CHROMIUM, LAUNCH_ARGS } from '../../scripts/chromium.js';
import { prepareImport } from '../../server/import/document.js';
import { openStore } from '../../server/store/sqlite.js';
import type { Store } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';
import type { ReviewDocument } from '../../server/domain.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS = join(ROOT, 'corpus/brics-fm-2020-09-04');
export const ARTIFACTS = join(ROOT, 'test-artifacts');
export { CHROMIUM, LAUNCH_ARGS };

/** Set when the browser is missing: the tests then fail with this message (they are never skipped). */
export const missingBrowser = existsSync(CHROMIUM)
  ? null
  : process.env.CI
    ? `Chromium is required for the browser tests in CI but ${CHROMIUM} is missing (.ci/run installs it).`
    : `Chromium not found at ${CHROMIUM}: install it with \`apt-get install -y chromium fonts-wqy-microhei\` to run the browser tests.`;

export interface Harness {
  dir: string;
  store: Store;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startHarness(prefix: string): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  mkdirSync(join(dir, 'corpus'));
  const store = openStore(join(dir, 'data'));
  const app = createApp({ store, corpusDir: join(dir, 'corpus') }, { log: false });
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise<void>((r) => server.once('listening', () => r()));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: LAUNCH_ARGS });
  return {
    dir,
    store,
    base,
    browser,
    async close() {
      await browser.close();
      await new Promise<void>((r) => server.close(() => r()));
      await (app.locals.jobs as { close(): Promise<void> }).close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let demo: ReviewDocument | null = null;
/** The demo corpus aligned with the lexical model (once per process). */
export async function demoDocument(): Promise<ReviewDocument> {
  demo ??= await prepareImport({
    name: 'BRICS FM 2020-09-04',
    source: readFileSync(join(CORPUS, 'en.txt'), 'utf8'),
    target: readFileSync(join(CORPUS, 'zh.txt'), 'utf8'),
    model: 'lexical',
  });
  return demo;
}

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Full page loads of the main frame since the last `resetLoads()`. */
  loads(): number;
  resetLoads(): void;
  /** Console errors, page errors and 5xx answers seen. */
  problems: string[];
}

export async function openPage(h: Harness, opts: BrowserContextOptions = {}): Promise<TestPage> {
  const context = await h.browser.newContext({ viewport: { width: 1400, height: 900 }, ...opts });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const problems: string[] = [];
  let loads = 0;
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('response', (r) => {
    if (r.status() >= 500) problems.push(`${r.status()} ${r.url()}`);
  });
  page.on('request', (r) => {
    if (r.isNavigationRequest() && r.frame() === page.mainFrame()) loads++;
  });
  return {
    context,
    page,
    problems,
    loads: () => loads,
    resetLoads: () => {
      loads = 0;
    },
  };
}

/** Names the reviewer through the header form (a page load; the review page asks in place otherwise). */
export async function nameReviewer(t: TestPage, base: string, name: string): Promise<void> {
  await t.page.goto(`${base}/`);
  await t.page.fill('header input[name="name"]', name);
  await Promise.all([t.page.waitForURL(`${base}/`), t.page.click('header button[type="submit"]')]);
}

export function artifact(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

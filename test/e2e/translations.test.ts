/**
 * Browser test (playwright-core + Debian Chromium) of several translations of one original: the
 * invented communiqué (English, with French, Spanish and Russian translations, each leaving out one
 * sentence and changing one number) is imported through the import page's form; each translation's
 * review page shows the left-out sentence as a row with an empty counterpart and the QA marks for it
 * and for the changed number, and a row is confirmed; the side-by-side page shows the chosen
 * translations at 1024 and 1920 px (chosen from the keyboard, and without JavaScript), and its
 * multilingual TMX download validates against the TMX 1.4 DTD.
 * Screenshots: test-artifacts/translations-1024.png, translations-1920.png.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { xmllint } from '../formats/fixtures.js';
import { communique, PLANTED } from '../helpers/communique.js';
import { artifact, missingBrowser, nameReviewer, openPage, startHarness, type Harness, type TestPage } from './browser.js';

let h: Harness;
let t: TestPage;
const LANGS = ['fr', 'es', 'ru'] as const;

beforeAll(async () => {
  if (missingBrowser) return;
  h = await startHarness('translations-e2e-');
  t = await openPage(h);
}, 60_000);

afterAll(async () => {
  await t?.context.close();
  await h?.close();
});

describe('several translations of one original in the browser', () => {
  let setUrl = '';

  it('imports the original and three translations from the import page and lands on the side-by-side view', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    await nameReviewer(t, h.base, 'E2E Reviewer');
    const { page } = t;
    await page.goto(`${h.base}/import`);
    const form = page.locator('#translations-import-form');
    await form.locator('input[name="name"]').fill('Communiqué on water security');
    await form.locator('input[name="sourceLang"]').fill('en');
    await form.locator('textarea[name="sourceText"]').fill(communique('en'));
    for (const [k, lang] of LANGS.entries()) {
      await form.locator(`input[name="t${k + 1}Lang"]`).fill(lang);
      await form.locator(`textarea[name="t${k + 1}Text"]`).fill(communique(lang));
    }
    await Promise.all([page.waitForURL(/\/sets\/s[0-9a-f]+$/, { timeout: 60_000 }), form.locator('button.primary').click()]);
    setUrl = page.url();
    expect(await page.locator('#set-rows thead th').allTextContents()).toEqual(['#', 'English (original)', 'French', 'Spanish', 'Russian']);
    expect(await page.locator('#set-rows tbody tr').count()).toBe(15);
    // Each left-out sentence: one empty cell, in its translation's column, on the row of that sentence.
    for (const [k, lang] of LANGS.entries()) {
      const row = page.locator('#set-rows tbody tr', { hasText: PLANTED[lang].omitted });
      expect(await row.locator('td.tgt').nth(k).locator('.empty-side').count()).toBe(1);
      expect(await row.locator('td.tgt .empty-side').count()).toBe(1);
    }
    expect(t.problems).toEqual([]);
  }, 90_000);

  for (const lang of LANGS) {
    it(`reviews the ${lang} translation: the omission is a row with an empty counterpart, QA marks it and the changed number; a row is confirmed`, async () => {
      if (missingBrowser) expect.fail(missingBrowser);
      const { page } = t;
      await page.goto(setUrl);
      await Promise.all([page.waitForURL(/\/documents\/[^/]+$/), page.locator('nav.doc-nav a', { hasText: `(${lang})` }).click()]);
      const omitted = page.locator('tr.row', { hasText: PLANTED[lang].omitted });
      expect(await omitted.count()).toBe(1);
      expect(await omitted.locator('td.tgt .empty-side').count()).toBe(1);
      expect(await omitted.locator('td.tgt').getAttribute('lang')).toBe(lang);
      await expect.poll(() => omitted.locator('td.marks .mark').first().getAttribute('title')).toMatch(/Omitted sentence/);
      const changed = page.locator('tr.row', { has: page.locator('td.src', { hasText: new RegExp(`\\b${PLANTED[lang].source}\\b`) }) }).filter({ has: page.locator('td.tgt', { hasText: PLANTED[lang].target }) });
      expect(await changed.count()).toBe(1);
      const titles = (await changed.locator('td.marks .mark').evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))).join('\n');
      expect(titles).toContain(`Number "${PLANTED[lang].source}"`);
      expect(titles).toContain(`Number "${PLANTED[lang].target}"`);
      // The QA report lists both, major.
      const docUrl = page.url();
      await page.goto(`${docUrl}/qa`);
      const report = (await page.locator('table.qa-findings').textContent()) ?? '';
      expect(report).toContain('Omitted sentence');
      expect(report).toContain(`Number "${PLANTED[lang].source}"`);
      // Confirm the omission row (the reviewer accepts that the sentence is missing): in place.
      await page.goto(docUrl);
      const before = t.loads();
      await omitted.locator('button[data-op="confirm"]').click();
      await expect.poll(() => omitted.getAttribute('class')).toContain('st-confirmed');
      expect(t.loads()).toBe(before);
      expect(t.problems).toEqual([]);
    }, 60_000);
  }

  it('shows chosen translations side by side at 1024 and 1920 px, chosen from the keyboard', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const { page } = t;
    for (const width of [1024, 1920]) {
      await page.setViewportSize({ width, height: 900 });
      await page.goto(setUrl);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `horizontal scroll at ${width} px`).toBeLessThanOrEqual(0);
      const heads = await page.locator('#set-rows thead th').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().width));
      for (const w of heads.slice(1)) expect(w).toBeGreaterThan(width / 6);
      await page.screenshot({ path: artifact(`translations-${width}.png`), fullPage: true });
    }
    // Leave Spanish out from the keyboard: focus its box, Space, then the Show button with Enter.
    await page.locator('#set-choice input[value="es"]').focus();
    await page.keyboard.press('Space');
    await page.locator('#set-choice button[type="submit"]').focus();
    await Promise.all([page.waitForURL(/show=fr&show=ru$/), page.keyboard.press('Enter')]);
    expect(await page.locator('#set-rows thead th').allTextContents()).toEqual(['#', 'English (original)', 'French', 'Russian']);
    // The row confirmed on the French review page shows as confirmed here.
    const frCell = page.locator('#set-rows tbody tr', { hasText: PLANTED.fr.omitted }).locator('td.tgt').first();
    expect(await frCell.getAttribute('class')).toContain('confirmed');
  }, 60_000);

  it('works without JavaScript', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const plain = await openPage(h, { javaScriptEnabled: false, viewport: { width: 1024, height: 800 } });
    try {
      await plain.page.goto(setUrl);
      await plain.page.locator('#set-choice input[value="fr"]').uncheck();
      await Promise.all([plain.page.waitForURL(/show=es&show=ru$/), plain.page.locator('#set-choice button[type="submit"]').click()]);
      expect(await plain.page.locator('#set-rows thead th').allTextContents()).toEqual(['#', 'English (original)', 'Spanish', 'Russian']);
      expect(plain.problems).toEqual([]);
    } finally {
      await plain.context.close();
    }
  }, 60_000);

  it('downloads the multilingual TMX, valid against the TMX 1.4 DTD, one tu per row and one tuv per language', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const { page } = t;
    await page.goto(setUrl);
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#set-export').click()]);
    expect(download.suggestedFilename()).toBe('Communiqué on water security.tmx');
    const xml = readFileSync((await download.path())!, 'utf8');
    expect(xmllint(xml, 'tmx')).toBe('');
    expect(xml.match(/<tu /g)).toHaveLength(15);
    for (const lang of ['en', ...LANGS]) expect(xml.match(new RegExp(`<tuv xml:lang="${lang}">`, 'g'))?.length).toBe(lang === 'en' ? 15 : 14);
    // Each translation's confirmed row (its left-out sentence) says so in its unit.
    expect((xml.match(/<prop type="x-status">confirmed: [a-z ]+<\/prop>/g) ?? []).sort()).toEqual(['<prop type="x-status">confirmed: es</prop>', '<prop type="x-status">confirmed: fr</prop>', '<prop type="x-status">confirmed: ru</prop>']);
  }, 60_000);
});

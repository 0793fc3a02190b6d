/**
 * The review editor in a real browser (Debian Chromium through playwright-core, one browser for the
 * file): every operation and key of the contract on the demo corpus, each checked on the page and in
 * the store, with no full page load (re-align, which runs as a job, too); the same operations without JavaScript (forms post and come
 * back to the row); the phone layout (no column narrower than 8 characters); screenshots at 390,
 * 1024 and 1920 px in test-artifacts/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewDocument } from '../../server/domain.js';
import { artifact, demoDocument, type Harness, missingBrowser, openPage, startHarness, type TestPage } from './browser.js';

let h: Harness;
beforeAll(async () => {
  if (missingBrowser) return;
  h = await startHarness('e2e-editor-');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const shape = (d: ReviewDocument): string[] => d.beads.map((b) => `${b.source.join('+')}|${b.target.join('+')}`);

/** Drives one review page: keys, waiting for each change to be on the screen. */
function driver(t: TestPage, docId: string) {
  const { page } = t;
  const doc = () => h.store.getDocument(docId);
  const shownCount = () => page.evaluate(() => (window as unknown as { __shown: number }).__shown);
  return {
    doc,
    /** The current row's number (its position), or null. */
    current: () => page.evaluate(() => document.querySelector('tr.row.current')?.closest('tbody')?.getAttribute('data-n') ?? null).then((n) => (n === null ? null : Number(n))),
    row: (n: number) => page.locator(`tbody.rg[data-n="${n}"] tr.row`),
    /** Presses a key that changes the document and waits until the change is shown. */
    async change(key: string): Promise<string> {
      const before = await shownCount();
      await page.keyboard.press(key);
      await page.waitForFunction((n) => (window as unknown as { __shown: number }).__shown > n, before);
      return (await page.textContent('#toast')) ?? '';
    },
    /** Clicks a row (not a link or button in it) to make it the current one. */
    async select(n: number): Promise<void> {
      await page.locator(`tbody.rg[data-n="${n}"] td.conf`).click();
      await expect.poll(() => page.evaluate(() => document.querySelector('tr.row.current')?.closest('tbody')?.getAttribute('data-n'))).toBe(String(n));
    },
  };
}

async function reviewPage(name: string, doc?: ReviewDocument): Promise<{ t: TestPage; id: string; d: ReturnType<typeof driver> }> {
  const id = await h.store.createDocument({ ...(doc ?? (await demoDocument())), name }, { author: 'importer' });
  const t = await openPage(h);
  await t.page.addInitScript(() => {
    (window as unknown as { __shown: number }).__shown = 0;
    document.addEventListener('review:shown', () => {
      (window as unknown as { __shown: number }).__shown++;
    });
  });
  await t.page.goto(`${h.base}/documents/${id}?page=all`);
  t.resetLoads();
  return { t, id, d: driver(t, id) };
}

describe('the review editor with the keyboard', () => {
  it('every operation and key works in place, on the page and in the store, with no page load', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const { t, id, d } = await reviewPage('keys');
    const { page } = t;
    const total = (await d.doc()).beads.length;

    // The first key only chooses a row; the first change asks the reviewer's name, once, in place.
    await page.keyboard.press('j');
    expect(await d.current()).toBe(1);
    await page.keyboard.press('c');
    await expect.poll(() => page.locator('#name-dialog').isVisible()).toBe(true);
    await page.fill('#name-form input[name="name"]', 'Kay Board');
    const before = await page.evaluate(() => (window as unknown as { __shown: number }).__shown);
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => (window as unknown as { __shown: number }).__shown > n, before);
    expect((await d.doc()).beads[0]!.status).toBe('confirmed');
    expect((await h.store.history(id)).at(-1)!.author).toBe('Kay Board');
    expect(await page.textContent('header .reviewer')).toContain('Kay Board');
    // c confirms and moves on to the next unconfirmed row.
    expect(await d.current()).toBe(2);

    // j / k and the arrows move; c and Ctrl+Enter confirm and move on; Shift+C unconfirms.
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    expect(await d.current()).toBe(4);
    await page.keyboard.press('k');
    await page.keyboard.press('ArrowUp');
    expect(await d.current()).toBe(2);
    expect(await d.change('c')).toBe('Confirmed row 2');
    expect(await d.current()).toBe(3);
    expect(await d.change('Control+Enter')).toBe('Confirmed row 3');
    expect(await d.current()).toBe(4);
    await page.keyboard.press('k');
    expect(await d.change('Shift+C')).toBe('Set row 3 back to unconfirmed');
    expect((await d.doc()).beads.slice(0, 3).map((b) => b.status)).toEqual(['confirmed', 'confirmed', 'automatic']);
    // n / N: next and previous unconfirmed row.
    await page.keyboard.press('n');
    expect(await d.current()).toBe(4);
    await d.select(1);
    await page.keyboard.press('n');
    expect(await d.current()).toBe(3);
    await d.select(5);
    await page.keyboard.press('Shift+N');
    expect(await d.current()).toBe(4);
    // a confirms this row and every row above.
    await d.select(5);
    expect(await d.change('a')).toMatch(/^Confirmed rows? .*every row up to row 5/);
    expect((await d.doc()).beads.slice(0, 5).every((b) => b.status === 'confirmed')).toBe(true);
    expect(await d.row(5).getAttribute('class')).toContain('st-confirmed');
    await expect.poll(() => page.textContent('[data-count="confirmed"]')).toBe('5');

    // f flags and unflags.
    await d.select(6);
    expect(await d.change('f')).toBe('Flagged row 6');
    expect((await d.doc()).beads[5]!.status).toBe('flagged');
    expect(await d.change('f')).toBe('Set row 6 back to unconfirmed');

    // m merges with the next row: one row fewer on the page and in the store, the rows below renumbered.
    const s0 = await d.doc();
    const eighthId = s0.beads[7]!.id;
    expect(await d.change('m')).toBe('Merged rows 6–7');
    let s = await d.doc();
    expect(s.beads).toHaveLength(total - 1);
    expect(s.beads[5]).toMatchObject({ source: [...s0.beads[5]!.source, ...s0.beads[6]!.source], origin: 'manual' });
    expect(await page.locator('tr.row').count()).toBe(total - 1);
    expect(await page.textContent(`tr#b-${eighthId} td.n`)).toBe('7');
    expect(await d.row(6).locator('.by-hand').count()).toBe(1);

    // s splits in place: the boundaries move with the arrows, Esc cancels, Enter splits.
    await page.keyboard.press('s');
    await expect.poll(() => d.row(6).locator('button.cut.on').count()).toBe(2);
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('Escape');
    expect(await d.row(6).locator('button.cut').count()).toBe(0);
    expect(shape(await d.doc())).toEqual(shape(s));
    await page.keyboard.press('s');
    expect(await d.change('Enter')).toBe('Split row 6 into rows 6–7');
    s = await d.doc();
    expect(shape(s)).toEqual(shape(s0));
    expect(s.beads.slice(5, 7).every((b) => b.origin === 'manual')).toBe(true);
    expect(await page.locator('tr.row').count()).toBe(total);

    // [ ] { }: the first sentence of a side to the row above, the last to the row below.
    await d.select(9);
    expect(await d.change(']')).toBe('Moved the last Chinese sentence of row 9 to row 10');
    s = await d.doc();
    expect(s.beads[9]!.target[0]).toBe(s0.beads[8]!.target.at(-1));
    await d.select(10);
    expect(await d.change('[')).toBe('Moved the first Chinese sentence of row 10 to row 9');
    expect(await d.change('{')).toBe('Moved the first English sentence of row 10 to row 9');
    await d.select(9);
    expect(await d.change('}')).toBe('Moved the last English sentence of row 9 to row 10');
    expect(shape(await d.doc())).toEqual(shape(s0));

    // o / O: the Chinese or the English of a row on a row of its own (an empty counterpart).
    await d.select(11);
    expect(await d.change('o')).toBe('Put the Chinese of row 11 on a row of its own (row 12)');
    s = await d.doc();
    expect([s.beads[10]!.target, s.beads[11]!.source]).toEqual([[], []]);
    expect(await d.row(11).locator('td.tgt .empty-side').count()).toBe(1);
    expect(await d.change('m')).toBe('Merged rows 11–12');
    expect(await d.change('O')).toBe('Put the English of row 11 on a row of its own (row 12)');
    expect((await d.doc()).beads[10]!.source).toEqual([]);

    // u undoes my last change and says what it undid; U redoes it.
    expect(await d.change('u')).toBe('Undid: empty counterpart of row 11');
    expect(shape(await d.doc())).toEqual(shape(s0));
    expect(await d.change('Shift+U')).toBe('Redid: empty counterpart of row 11');
    expect((await d.doc()).beads[10]!.source).toEqual([]);
    expect(await d.change('u')).toBe('Undid: empty counterpart of row 11');

    // e edits the Chinese in place, with the live diff against the machine output; Esc cancels.
    await d.select(13);
    const s13 = (await d.doc()).beads[12]!;
    const original = (await d.doc()).target.sentences[s13.target[0]!]!.text;
    await page.keyboard.press('e');
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    await page.keyboard.press('End');
    await page.keyboard.type('（改）');
    await expect.poll(() => d.row(13).locator('.live-diff ins').first().textContent()).toContain('改');
    await page.keyboard.press('Escape');
    expect(await d.row(13).locator('textarea').count()).toBe(0);
    expect((await d.doc()).target.sentences[s13.target[0]!]!.text).toBe(original);
    await page.keyboard.press('e');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('（改）');
    expect(await d.change('Control+Enter')).toMatch(/^Edited the Chinese of row 13: “/);
    expect((await d.doc()).target.sentences[s13.target[0]!]!.text).toBe(`${original}（改）`);
    expect(await d.row(13).locator('td.tgt .s.edited').count()).toBe(1);

    // In the editor, Alt+Enter splits a sentence at the caret and Alt+J joins it with the next (either side).
    const sentencesBefore = (await d.doc()).target.sentences.length;
    await page.keyboard.press('e');
    await page.keyboard.press('Control+Home');
    for (let k = 0; k < 3; k++) await page.keyboard.press('ArrowRight');
    expect(await d.change('Alt+Enter')).toMatch(/^Split Chinese sentence \d+ in two \(row 13\)$/);
    s = await d.doc();
    expect(s.target.sentences).toHaveLength(sentencesBefore + 1);
    expect(s.beads[12]!.target).toHaveLength(s13.target.length + 1);
    expect(s.target.sentences[s13.target[0]!]!.text).toBe(original.slice(0, 3));
    // The editor is open again, on the second part.
    await expect.poll(() => d.row(13).locator('textarea').count()).toBeGreaterThan(1);
    await page.keyboard.press('Shift+Tab');
    expect(await d.change('Alt+J')).toMatch(/^Joined Chinese sentences \d+ and \d+ \(row 13\)$/);
    expect((await d.doc()).target.sentences).toHaveLength(sentencesBefore);
    const src = (await d.doc()).source.sentences[s13.source[0]!]!.text;
    await d.row(13).locator('textarea[data-side="source"]').first().click();
    await page.keyboard.press('Control+Home');
    for (let k = 0; k < 4; k++) await page.keyboard.press('ArrowRight');
    expect(await d.change('Alt+Enter')).toMatch(/^Split English sentence \d+ in two \(row 13\)$/);
    expect((await d.doc()).source.sentences[s13.source[0]!]!.text).toBe(src.slice(0, 4).trimEnd());
    await page.keyboard.press('Escape');

    // i adds an issue (category, severity, comment) in place: shown by name, as a reviewer's.
    await d.select(14);
    await page.keyboard.press('i');
    await page.selectOption('tr.inplace-row select[name="category"]', 'Terminology');
    await page.selectOption('tr.inplace-row select[name="severity"]', 'critical');
    await page.fill('tr.inplace-row textarea[name="comment"]', '国家党 should be 缔约国');
    expect(await d.change('Control+Enter')).toMatch(/^Added an issue \(Terminology, critical\) on row 14/);
    expect((await d.doc()).issues.at(-1)).toMatchObject({ category: 'Terminology', severity: 'critical', comment: '国家党 should be 缔约国', origin: 'human', author: 'Kay Board' });
    expect(await d.row(14).locator('.mark.mark-issue.by-reviewer.sev-critical').textContent()).toBe('✖✎ Terminology: 国家党 should be 缔约国');

    // x (or Enter) opens a row in place: its findings with the span highlighted; dismiss, make issue.
    const withFinding = await page.locator('tbody.rg:has(.mark-finding)').first().getAttribute('data-n');
    const fn = Number(withFinding);
    await d.select(fn);
    await page.keyboard.press('x');
    const panel = page.locator('tr.panel');
    await expect.poll(() => panel.count()).toBe(1);
    const findingsShown = await panel.locator('li.finding').count();
    expect(findingsShown).toBeGreaterThan(0);
    const issuesBefore = (await d.doc()).issues.length;
    const before2 = await page.evaluate(() => (window as unknown as { __shown: number }).__shown);
    await panel.locator('li.finding button[data-finding-action="dismiss"]').first().click();
    await page.waitForFunction((n) => (window as unknown as { __shown: number }).__shown > n, before2);
    expect((await d.doc()).issues.at(-1)).toMatchObject({ status: 'dismissed', origin: 'automatic' });
    expect((await d.doc()).issues).toHaveLength(issuesBefore + 1);
    // The row stays open and shows one finding fewer.
    await expect.poll(() => page.locator('tr.panel li.finding').count()).toBe(findingsShown - 1);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('tr.panel').count()).toBe(0);

    // A key never acts on a row the reviewer cannot see: it selects a row in view instead.
    await d.select(2);
    await page.mouse.move(700, 500);
    await page.mouse.wheel(0, 6000);
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(3000);
    await page.keyboard.press('f');
    await expect.poll(() => d.current()).not.toBe(2);
    expect((await d.doc()).beads[1]!.status).toBe('confirmed');
    const inView = await d.current();
    expect(inView).toBeGreaterThan(20);
    // The row chosen is one the reviewer sees.
    expect(await d.row(inView!).evaluate((tr) => {
      const r = tr.getBoundingClientRect();
      return r.bottom > 0 && r.top < window.innerHeight;
    })).toBe(true);

    // Undo of my own change when another reviewer changed that row since: says so, changes nothing.
    await d.select(20);
    expect(await d.change('f')).toBe('Flagged row 20');
    const row20 = (await d.doc()).beads[19]!.id;
    await h.store.apply(id, { kind: 'confirm', beadId: row20 }, { author: 'Other Reviewer' });
    await page.keyboard.press('u');
    await expect.poll(() => page.textContent('#toast')).toContain('Not undone: Other Reviewer changed those rows after your flag (row 20): confirm (row 20)');
    expect(await page.getAttribute('#toast', 'class')).toContain('error');
    expect((await d.doc()).beads[19]!.status).toBe('confirmed');
    expect((await h.store.history(id)).at(-1)!.author).toBe('Other Reviewer');

    // g goes to a row by number, / goes to the search, ? shows the keys, q finds the next row with a
    // finding or an issue (w, the next weak alignment: the reviewer session test).
    page.once('dialog', (dlg) => {
      void dlg.accept('40');
    });
    await page.keyboard.press('g');
    await expect.poll(() => d.current()).toBe(40);
    await page.keyboard.press('/');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('q');
    await page.locator('tr.row.current').focus();
    await page.keyboard.press('?');
    expect(await page.locator('#help').isVisible()).toBe(true);
    expect(await page.locator('#help').textContent()).toContain('issue a reviewer added');
    await page.keyboard.press('Escape');
    expect(await page.locator('#help').isVisible()).toBe(false);
    await page.keyboard.press('q');
    const checked = await d.current();
    expect(checked).toBeGreaterThan(40);
    expect(await d.row(checked!).locator('td.marks .mark').count()).toBeGreaterThan(0);
    await page.keyboard.press('Shift+Q');
    expect(await d.current()).toBeLessThan(checked!);

    // R re-aligns from this row to the next fixed one, after asking.
    await d.select(45);
    await page.keyboard.press('Shift+R');
    await expect.poll(() => page.locator('#realign-dialog').isVisible()).toBe(true);
    expect(await page.locator('#realign-dialog').textContent()).toContain('Re-align from row 45');
    const beforeRealign = await d.doc();
    const rev = beforeRealign.revision;
    const before3 = await page.evaluate(() => (window as unknown as { __shown: number }).__shown);
    await page.locator('#realign-dialog button[type="submit"]').click();
    await page.waitForFunction((n) => (window as unknown as { __shown: number }).__shown > n, before3);
    const after = await d.doc();
    expect(after.revision === rev ? await page.textContent('#toast') : (await h.store.history(id)).at(-1)!.op.kind).toMatch(/kept every row|realign/);
    // It ran as a job; the page then shows the re-aligned rows in place, the first one current.
    if (after.revision !== rev) {
      const known = new Set(beforeRealign.beads.map((b) => b.id));
      expect(await d.current()).toBe(after.beads.findIndex((b) => !known.has(b.id)) + 1);
    }

    // Every key above: not one full page load, no error.
    expect(t.loads()).toBe(0);
    expect(t.problems).toEqual([]);
    await t.page.screenshot({ path: artifact('editor-1400.png') });
    await t.context.close();
  }, 120_000);
});

describe('re-align from the keyboard', () => {
  it('runs as a job, then shows the re-aligned rows in place with the first one current (no page load)', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    // The demo corpus with four 1-1 rows shifted by one Chinese sentence: the aligner's mistake to fix.
    const demo = await demoDocument();
    const k = demo.beads.findIndex((_, i) => i > 20 && demo.beads.slice(i, i + 4).every((x) => x.source.length === 1 && x.target.length === 1));
    expect(k).toBeGreaterThan(0);
    const t0 = demo.beads[k]!.target[0]!;
    const shifted = [[t0, t0 + 1], [t0 + 2], [t0 + 3], []];
    const beads = demo.beads.map((b, i) => (i >= k && i < k + 4 ? { ...b, target: shifted[i - k]! } : b));
    const { t, id, d } = await reviewPage('realign', { ...demo, beads });
    const { page } = t;
    await page.locator(`tbody.rg[data-n="${k + 1}"] td.conf`).click();
    await page.keyboard.press('Shift+R');
    await expect.poll(() => page.locator('#realign-dialog').isVisible()).toBe(true);
    expect(await page.locator('#realign-dialog').textContent()).toContain(`Re-align from row ${k + 1}`);
    const before = await d.doc();
    await page.locator('#realign-dialog button[type="submit"]').click();
    // The first change asks the reviewer's name, in place.
    await expect.poll(() => page.locator('#name-dialog').isVisible()).toBe(true);
    await page.fill('#name-form input[name="name"]', 'Ray Line');
    const shown = await page.evaluate(() => (window as unknown as { __shown: number }).__shown);
    await page.click('#name-form button[type="submit"]');
    await page.waitForFunction((n) => (window as unknown as { __shown: number }).__shown > n, shown, { timeout: 60_000 });
    const after = await d.doc();
    expect(after.revision).toBe(before.revision + 1);
    expect((await h.store.history(id)).at(-1)).toMatchObject({ author: 'Ray Line', op: { kind: 'realign' } });
    // The misaligned rows are aligned again; rows above the start stay as they were.
    expect(shape(after).slice(0, k)).toEqual(shape(before).slice(0, k));
    expect(after.beads[k]).toMatchObject({ source: before.beads[k]!.source, target: [t0] });
    expect(await page.textContent('#toast')).toMatch(/rows re-aligned/);
    // The page shows the stored rows, the first re-aligned one current.
    const known = new Set(before.beads.map((b) => b.id));
    expect(await d.current()).toBe(after.beads.findIndex((b) => !known.has(b.id)) + 1);
    expect(await page.locator('tr.row').count()).toBe(after.beads.length);
    expect(await d.row(k + 1).getAttribute('data-bead')).toBe(after.beads[k]!.id);
    expect(t.loads()).toBe(0);
    expect(t.problems).toEqual([]);
    await t.context.close();
  }, 120_000);
});

describe('without JavaScript', () => {
  it('each operation is a form that posts and comes back to the row', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const id = await h.store.createDocument({ ...(await demoDocument()), name: 'no-js' }, { author: 'importer' });
    const t = await openPage(h, { javaScriptEnabled: false });
    const { page } = t;
    const doc = () => h.store.getDocument(id);
    const s0 = await doc();
    const ids = s0.beads.map((b) => b.id);
    // The first change asks for the name (a page), then goes back to the row.
    await page.goto(`${h.base}/documents/${id}`);
    await page.click(`tr#b-${ids[0]} button[data-op="confirm"]`);
    await page.waitForURL(/\/reviewer\?returnTo=/);
    await page.fill('main input[name="name"]', 'Plain Form');
    await Promise.all([page.waitForURL(new RegExp(`/documents/${id}$`)), page.click('main button[type="submit"]')]);
    const back = (bead: string) => new RegExp(`/documents/${id}[^#]*#b-${bead}$`);
    /** Submits a form by its button and waits for the page it leads to (after the 303). */
    const submit = async (selector: string) => {
      await Promise.all([page.waitForEvent('load'), page.click(selector)]);
    };
    const click = async (selector: string, bead: string) => {
      await submit(selector);
      expect(page.url(), (await page.textContent('main')) ?? '').toMatch(back(bead));
    };
    await click(`tr#b-${ids[0]} button[data-op="confirm"]`, ids[0]!);
    expect((await doc()).beads[0]!.status).toBe('confirmed');
    await click(`tr#b-${ids[1]} button[data-op="flag"]`, ids[1]!);
    await click(`tr#b-${ids[1]} button[data-op="unflag"]`, ids[1]!);
    await click(`tr#b-${ids[2]} button[data-op="confirmAbove"]`, ids[2]!);
    await click(`tr#b-${ids[2]} button[data-op="unconfirm"]`, ids[2]!);
    expect((await doc()).beads.slice(0, 3).map((b) => b.status)).toEqual(['confirmed', 'confirmed', 'automatic']);
    await click(`tr#b-${ids[3]} button[data-op="merge"]`, ids[3]!);
    expect((await doc()).beads).toHaveLength(s0.beads.length - 1);
    // The row page: split, moves, empty counterpart, edit, segmentation, issue; each back to the row.
    const rowPage = async (bead: string) => {
      await page.goto(`${h.base}/documents/${id}/rows/${bead}`);
    };
    await rowPage(ids[3]!);
    await page.selectOption('#split select[name="targetAt"]', String(s0.beads[3]!.target.length));
    await page.selectOption('#split select[name="sourceAt"]', String(s0.beads[3]!.source.length));
    await click('#split button[data-op="split"]', ids[3]!);
    expect(shape(await doc())).toEqual(shape(s0));
    const cur = (await doc()).beads.map((b) => b.id); // the split's second part has a new id
    await rowPage(cur[5]!);
    await click(`button[value="shiftUp:target:${cur[5]}"]`, cur[5]!);
    await rowPage(cur[4]!);
    await click(`button[value="shiftDown:target:${cur[4]}"]`, cur[4]!);
    expect(shape(await doc())).toEqual(shape(s0));
    await rowPage(ids[6]!);
    await click(`button[value="detach:source:${ids[6]}"]`, ids[6]!);
    expect((await doc()).beads[6]!.source).toEqual([]);
    await rowPage(ids[8]!);
    const text = await page.inputValue('#edit textarea');
    await page.fill('#edit textarea', `${text}（改）`);
    await submit('#edit button[data-op="edit"]');
    expect(page.url()).toMatch(new RegExp(`/rows/${ids[8]}`));
    expect(await page.locator('.diff ins').first().textContent()).toContain('改');
    const row8 = async () => (await doc()).beads.find((b) => b.id === ids[8])!;
    const firstTarget = (await row8()).target[0]!;
    await page.fill('#segments form:first-of-type input[name="at"]', '2');
    await submit('#segments form:first-of-type button[value="splitSentence"]');
    expect((await row8()).target).toEqual([firstTarget, firstTarget + 1]);
    await submit('#segments form:first-of-type button[value="joinSentence"]');
    expect((await row8()).target).toEqual([firstTarget]);
    await page.selectOption('#issue select[name="category"]', 'Style');
    await page.fill('#issue textarea[name="comment"]', 'awkward');
    await submit('#issue button[type="submit"]');
    expect((await doc()).issues.at(-1)).toMatchObject({ category: 'Style', comment: 'awkward', author: 'Plain Form' });
    // A finding on the row page: make it an issue, or dismiss it.
    const withFinding = await (async () => {
      await page.goto(`${h.base}/documents/${id}`);
      return page.locator('tbody.rg:has(.mark-finding)').first().getAttribute('data-bead');
    })();
    await rowPage(withFinding!);
    await submit('ul.findings li:first-child button[value="dismissed"]');
    expect(page.url()).toMatch(new RegExp(`/rows/${withFinding}`));
    expect((await doc()).issues.at(-1)).toMatchObject({ status: 'dismissed', origin: 'automatic', beadId: withFinding });
    // Undo mine, redo mine (the review page), and the document's undo (History).
    await page.goto(`${h.base}/documents/${id}`);
    await submit('button[data-key="u"]');
    expect((await doc()).issues.at(-1)!.status).not.toBe('dismissed');
    await submit('button[data-key="U"]');
    expect((await doc()).issues.at(-1)!.status).toBe('dismissed');
    // Re-align asks first, on a page of its own.
    await page.click('a[data-realign]');
    await page.waitForURL(new RegExp(`/documents/${id}/realign$`));
    expect(await page.textContent('main')).toContain('keeps as they are');
    expect(t.problems).toEqual([]);
    await t.context.close();
  }, 90_000);
});

describe('layout', () => {
  it('at 390 px the sides are stacked and no column is narrower than 8 characters; screenshots at 390, 1024 and 1920 px', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const id = await h.store.createDocument({ ...(await demoDocument()), name: 'layout' }, { author: 'importer' });
    await h.store.apply(id, { kind: 'confirmAbove', beadId: (await h.store.getDocument(id)).beads[2]!.id }, { author: 'x' });
    await h.store.apply(id, { kind: 'addIssue', beadId: (await h.store.getDocument(id)).beads[4]!.id, category: 'Terminology', severity: 'major', comment: '国家党 should be 缔约国' }, { author: 'x' });
    for (const width of [390, 1024, 1920]) {
      const t = await openPage(h, { viewport: { width, height: width < 500 ? 844 : 1000 } });
      await t.page.goto(`${h.base}/documents/${id}`);
      // The width of 8 characters in the table's font, and of every cell shown in the first rows.
      const check = await t.page.evaluate(() => {
        const probe = document.createElement('span');
        probe.textContent = '00000000';
        document.querySelector('td.src')!.appendChild(probe);
        const eight = probe.getBoundingClientRect().width;
        probe.remove();
        const narrow: string[] = [];
        for (const tr of Array.from(document.querySelectorAll('tr.row')).slice(0, 20)) {
          for (const td of Array.from(tr.children) as HTMLElement[]) {
            const w = td.getBoundingClientRect().width;
            if (getComputedStyle(td).display !== 'none' && w > 0 && w < eight - 0.5) narrow.push(`${tr.id} ${td.className} ${w.toFixed(0)} < ${eight.toFixed(0)}`);
          }
        }
        const overflow = document.documentElement.scrollWidth - window.innerWidth;
        return { narrow, eight, overflow };
      });
      if (width === 390) {
        expect(check.narrow, `${width}px`).toEqual([]);
        expect(check.overflow).toBeLessThanOrEqual(0);
        // Stacked: the English starts below the Chinese, both as wide as the row.
        const [tgt, srcBox] = await Promise.all([t.page.locator('tr.row td.tgt').first().boundingBox(), t.page.locator('tr.row td.src').first().boundingBox()]);
        expect(srcBox!.y).toBeGreaterThanOrEqual(tgt!.y + tgt!.height - 1);
        expect(tgt!.width).toBeGreaterThan(300);
      }
      // The current row, and a row opened in place (its findings and actions).
      await t.page.locator('tbody.rg').nth(3).locator('td.conf').click();
      await t.page.keyboard.press('x');
      await t.page.locator('tr.panel').waitFor();
      await t.page.evaluate(() => window.scrollTo(0, 0));
      await t.page.screenshot({ path: artifact(`review-${width}.png`) });
      for (const [name, path] of [['qa', `/documents/${id}/qa`], ['glossary', '/glossary'], ['history', `/documents/${id}/history`]] as const) {
        await t.page.goto(`${h.base}${path}`);
        await t.page.screenshot({ path: artifact(`${name}-${width}.png`) });
      }
      expect(t.problems).toEqual([]);
      await t.context.close();
    }
  }, 90_000);
});

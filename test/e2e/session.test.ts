/**
 * A reviewer session, scripted: the demo corpus (aligned by the lexical model: 92 rows, all 1-1) with
 * ten misalignments seeded in it, of seven kinds (two rows merged, three rows merged, a row split
 * apart, a Chinese or English sentence in the row above or below), scored by the model as the aligner
 * would have; the reviewer fixes all of them by keyboard only, in the browser. Prints the keys and
 * page loads used (goal: no page load, at most 3 keys per fix on average) and checks that the result
 * is the original alignment, in the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getModel } from '../../server/align/index.js';
import type { ReviewDocument, ReviewOp } from '../../server/domain.js';
import { applyOp } from '../../server/review/index.js';
import { scoreRows } from '../../server/review/rescore.js';
import { artifact, demoDocument, type Harness, missingBrowser, nameReviewer, openPage, startHarness } from './browser.js';

let h: Harness;
beforeAll(async () => {
  if (missingBrowser) return;
  h = await startHarness('e2e-session-');
}, 60_000);
afterAll(async () => {
  await h?.close();
});

const shape = (d: ReviewDocument): string[] => d.beads.map((b) => `${b.source.join('+')}|${b.target.join('+')}`);

/** A misalignment: how it is made from the right alignment (ops on row ids), and the keys that fix it. */
interface Seed {
  kind: string;
  row: number;
  make: (id: (n: number) => string) => ReviewOp[];
  keys: string[];
}

const SEEDS: Seed[] = [
  { kind: 'two rows merged (2-2)', row: 5, make: (id) => [{ kind: 'merge', beadId: id(5) }], keys: ['w', 's', 'Enter'] },
  { kind: 'a row split apart (1-0, 0-1)', row: 14, make: (id) => [{ kind: 'split', beadId: id(14), sourceAt: 1, targetAt: 0 }], keys: ['w', 'm'] },
  { kind: 'Chinese sentence in the row below', row: 23, make: (id) => [{ kind: 'shiftDown', beadId: id(23), side: 'target' }], keys: ['w', 'j', '['] },
  { kind: 'Chinese sentence in the row above', row: 31, make: (id) => [{ kind: 'shiftUp', beadId: id(32), side: 'target' }], keys: ['w', ']'] },
  { kind: 'English sentence in the row below', row: 40, make: (id) => [{ kind: 'shiftDown', beadId: id(40), side: 'source' }], keys: ['w', 'j', '{'] },
  { kind: 'English sentence in the row above', row: 48, make: (id) => [{ kind: 'shiftUp', beadId: id(49), side: 'source' }], keys: ['w', '}'] },
  {
    kind: 'three rows merged (3-3)',
    row: 56,
    make: (id) => [
      { kind: 'merge', beadId: id(56) },
      { kind: 'merge', beadId: id(56) },
    ],
    keys: ['w', 's', 'Enter', 'j', 's', 'Enter'],
  },
  { kind: 'a row split apart (1-0, 0-1)', row: 66, make: (id) => [{ kind: 'split', beadId: id(66), sourceAt: 1, targetAt: 0 }], keys: ['w', 'm'] },
  { kind: 'Chinese sentence in the row above', row: 75, make: (id) => [{ kind: 'shiftUp', beadId: id(76), side: 'target' }], keys: ['w', ']'] },
  { kind: 'English sentence in the row above', row: 84, make: (id) => [{ kind: 'shiftUp', beadId: id(85), side: 'source' }], keys: ['w', '}'] },
];

/** The demo document with the seeds applied, their rows scored by the model as the aligner's own. */
async function seeded(gold: ReviewDocument): Promise<ReviewDocument> {
  const idOf = (n: number): string => gold.beads[n - 1]!.id;
  let doc = gold;
  for (const s of SEEDS) for (const op of s.make(idOf)) doc = applyOp(doc, op);
  const model = await getModel('lexical', { a: 'en', b: 'zh' });
  const made = doc.beads.filter((b) => b.origin === 'manual').map((b) => b.id);
  const scores = new Map((await scoreRows(doc, made, model, 3)).map((x) => [`${x.source}|${x.target}`, x.confidence]));
  return { ...doc, beads: doc.beads.map((b) => (b.origin === 'manual' ? { ...b, origin: 'lexical', confidence: scores.get(`${b.source}|${b.target}`) ?? 0 } : b)) };
}

describe('a reviewer session', () => {
  it('fixes ten seeded misalignments of seven kinds by keyboard only', async () => {
    if (missingBrowser) expect.fail(missingBrowser);
    const gold = await demoDocument();
    const doc = await seeded(gold);
    const id = await h.store.createDocument({ ...doc, name: 'seeded' }, { author: 'importer' });
    const weak = doc.beads.filter((b) => b.confidence < 0.5 || !b.source.length || !b.target.length).length;
    const t = await openPage(h);
    await nameReviewer(t, h.base, 'Session Reviewer');
    await t.page.addInitScript(() => {
      (window as unknown as { __shown: number }).__shown = 0;
      document.addEventListener('review:shown', () => {
        (window as unknown as { __shown: number }).__shown++;
      });
    });
    await t.page.goto(`${h.base}/documents/${id}`);
    t.resetLoads();
    const { page } = t;
    let keys = 0;
    const lines: string[] = [];
    for (const s of SEEDS) {
      for (const key of s.keys) {
        const changes = ['Enter', 'm', '[', ']', '{', '}'].includes(key);
        const before = await page.evaluate(() => (window as unknown as { __shown: number }).__shown);
        await page.keyboard.press(key);
        keys++;
        if (changes) await page.waitForFunction((n) => (window as unknown as { __shown: number }).__shown > n, before);
      }
      lines.push(`  ${s.kind.padEnd(36)} row ${String(s.row).padStart(2)}: ${s.keys.join(' ')} (${s.keys.length} keys) → ${await page.textContent('#toast')}`);
    }
    const fixed = await h.store.getDocument(id);
    const report = [
      `reviewer session: ${SEEDS.length} seeded misalignments (${weak} weak rows among ${doc.beads.length}), fixed by keyboard only`,
      ...lines,
      `keys: ${keys} (${(keys / SEEDS.length).toFixed(1)} per fix), page loads: ${t.loads()}`,
    ].join('\n');
    process.stdout.write(`${report}\n`);
    expect(shape(fixed)).toEqual(shape(gold));
    expect(fixed.beads.every((b) => b.origin === 'manual' || gold.beads.some((g) => g.id === b.id))).toBe(true);
    expect(t.loads()).toBe(0);
    expect(keys / SEEDS.length).toBeLessThanOrEqual(3);
    expect(t.problems).toEqual([]);
    await page.screenshot({ path: artifact('session-1400.png') });
    await t.context.close();
  }, 120_000);
});

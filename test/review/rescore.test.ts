/**
 * Rows a reviewer aligned by hand are scored with the document's model: the aligner's own confidence
 * for a row it would have made, a low one for a row it would not; the score travels in the op, so the
 * store records it and replaying the history gives it again; the aligner's "low confidence" finding
 * is not raised on such a row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignLengths, confidencesOf, getModel, sentenceLength } from '../../server/align/index.js';
import type { ReviewDocument } from '../../server/domain.js';
import { applyScoredOp, scoresFor } from '../../server/import/scored-op.js';
import { pairsFromDocument, runChecksOnPairs } from '../../server/qa/index.js';
import { applyOp, replayHistory, syntheticDocument } from '../../server/review/index.js';
import { scoreRows } from '../../server/review/rescore.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { makeDoc } from '../web/fixtures.js';

const EN = ['The ministers met in Moscow on Friday.', 'They discussed trade and security.', 'The next meeting will be held in Brazil in 2021.', 'The talks were held online.', 'Both sides praised the results.'];
const ZH = ['部长们星期五在莫斯科会晤。', '他们讨论了贸易和安全问题。', '下次会议将于2021年在巴西举行。', '会谈在网上举行。', '双方赞扬了会谈成果。'];

/** A 1-1 document of the sentences above (a real text, so the lexical model has something to match). */
function doc(): ReviewDocument {
  const d = makeDoc(EN.length, { en: (i) => EN[i]!, zh: (i) => ZH[i]! });
  return { ...d, id: 'd1', revision: 0, createdAt: 'x', updatedAt: 'x', model: 'lexical' };
}

let dir: string;
let store: SqliteStore;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rescore-'));
  store = openStore(dir);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('confidencesOf (align/dp.ts)', () => {
  it('gives the beads the aligner chose about the confidence the aligner gave them, and 0 to a bead it would not make', async () => {
    const model = await getModel('lexical', { a: 'en', b: 'zh' });
    const scorer = await model.prepare(EN, ZH, { a: 'en', b: 'zh' });
    const la = EN.map(sentenceLength);
    const lb = ZH.map(sentenceLength);
    const weights = { sim: 1, len: 1, lenVar: 4.5, merge: 7, skip: 10, confScale: 1.5 };
    const best = alignLengths(la, lb, scorer, { weights });
    expect(best.map((b) => `${b.a}|${b.b}`)).toEqual(['0|0', '1|1', '2|2', '3|3', '4|4']);
    const again = confidencesOf(la, lb, scorer, best, { weights });
    again.forEach((c, i) => {
      expect(Math.abs(c - best[i]!.confidence)).toBeLessThan(0.02);
    });
    const wrong = [{ a: [0, 1], b: [0, 1], confidence: 0 }, { a: [2], b: [2], confidence: 0 }, { a: [3], b: [3], confidence: 0 }, { a: [4], b: [4], confidence: 0 }];
    expect(confidencesOf(la, lb, scorer, wrong, { weights })[0]).toBe(0);
  });
});

describe('scoring rows aligned by hand', () => {
  it('a right row keeps about its confidence, a wrong merge gets a low one', async () => {
    const model = await getModel('lexical', { a: 'en', b: 'zh' });
    const d = doc();
    const right = await scoreRows(d, ['b3'], model);
    expect(right).toHaveLength(1);
    expect(right[0]).toMatchObject({ source: [2], target: [2] });
    expect(right[0]!.confidence).toBeGreaterThan(0.5);
    const merged = applyOp(d, { kind: 'merge', beadId: 'b2' });
    const [wrong] = await scoreRows(merged, ['b2'], model);
    expect(wrong).toMatchObject({ source: [1, 2], target: [1, 2] });
    expect(wrong!.confidence).toBeLessThan(0.2);
  });

  it('the op carries the scores into the store; the history replays to them; no low-confidence finding on the row', async () => {
    const initial = doc();
    const id = await store.createDocument(initial, { author: 'x' });
    const stored = await store.getDocument(id);
    const scores = await scoresFor(stored, { kind: 'merge', beadId: 'b2' });
    expect(scores).toHaveLength(1);
    const r = await applyScoredOp(store, id, { kind: 'merge', beadId: 'b2' }, { author: 'ann' });
    const row = r.doc.beads[1]!;
    expect(row).toMatchObject({ origin: 'manual', confidence: scores[0]!.confidence });
    const recorded = (await store.history(id)).at(-1)!;
    expect(recorded.op).toMatchObject({ kind: 'merge', beadId: 'b2', scores });
    expect(replayHistory(stored, await store.history(id)).beads).toEqual(r.doc.beads);
    // A split scores both parts.
    const split = await applyScoredOp(store, id, { kind: 'split', beadId: 'b2', sourceAt: 1, targetAt: 1 }, { author: 'ann' });
    expect(split.doc.beads.slice(1, 3).every((b) => b.origin === 'manual' && b.confidence > 0.5)).toBe(true);
    // The aligner's low-confidence finding is for its own rows only.
    const low = { ...split.doc, beads: split.doc.beads.map((b) => ({ ...b, confidence: 0.05 })) };
    const findings = runChecksOnPairs(pairsFromDocument(low)).filter((f) => f.check === 'alignment' && /Low alignment confidence/.test(f.message));
    expect(findings.map((f) => f.beadId).sort()).toEqual(low.beads.filter((b) => b.origin !== 'manual').map((b) => b.id).sort());
  });

  it('without a usable model in time, the op goes through without scores', async () => {
    const d = syntheticDocument(5);
    expect(await scoresFor(d, { kind: 'merge', beadId: 'b1' }, 0)).toEqual([]);
    expect(await scoresFor(d, { kind: 'confirm', beadId: 'b1' })).toEqual([]);
    expect(await scoresFor(d, { kind: 'merge', beadId: 'b5' })).toEqual([]); // refused by the op: the store says why
  });
});

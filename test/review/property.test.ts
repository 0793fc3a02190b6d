/**
 * Property-style tests (seeded, deterministic): long random sequences of review operations, undos and
 * redos, checked after every step against a reference model of the undo/redo stacks, the invariants,
 * "undo everything gives the original back" and "the final state equals a replay of the history".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry, ReviewBead, ReviewDocument, ReviewOp } from '../../server/domain.js';
import { applyChange, applyOp, checkInvariants, diffDocuments, lastConfirmedIndex, replayHistory, syntheticDocument } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { InvalidOperationError, NotFoundError } from '../../server/store/store.js';
import { seededBelow } from '../../scripts/seeded-random.js';

const state = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences });
/** With the further target versions as shown on the current rows. */
const stateV = (d: ReviewDocument): unknown => ({ beads: d.beads, issues: d.issues, target: d.target.sentences, versions: d.versions });


/** A valid re-alignment of the rows after the last confirmed one: random 0-1, 1-0, 1-1, 1-2, 2-1 groups. */
function randomRealign(doc: ReviewDocument, rnd: (n: number) => number, tag: string): Extract<ReviewOp, { kind: 'realign' }> {
  const keep = lastConfirmedIndex(doc) + 1;
  let s = 0;
  let t = 0;
  for (const b of doc.beads.slice(0, keep)) {
    s += b.source.length;
    t += b.target.length;
  }
  const S = doc.source.sentences.length;
  const T = doc.target.sentences.length;
  const beads: ReviewBead[] = [];
  let k = 0;
  while (s < S || t < T) {
    let ns = Math.min(S - s, rnd(3));
    let nt = Math.min(T - t, rnd(3));
    if (ns + nt === 0) {
      if (s < S) ns = 1;
      else nt = 1;
    }
    beads.push({
      id: `r${tag}_${k++}`,
      source: Array.from({ length: ns }, (_, i) => s + i),
      target: Array.from({ length: nt }, (_, i) => t + i),
      confidence: rnd(101) / 100,
      status: 'automatic',
      origin: 'test',
    });
    s += ns;
    t += nt;
  }
  return { kind: 'realign', beads };
}

function randomOp(doc: ReviewDocument, rnd: (n: number) => number, i: number): ReviewOp {
  // Sometimes a row id that does not exist, and rows at both ends more often than not (edge cases).
  const pick = rnd(10);
  const b = pick === 0 ? doc.beads[0]! : pick === 1 ? doc.beads[doc.beads.length - 1]! : doc.beads[rnd(doc.beads.length)]!;
  const beadId = rnd(50) === 0 ? 'gone' : b.id;
  const side = rnd(2) ? 'source' : 'target';
  const issue = doc.issues.length ? doc.issues[rnd(doc.issues.length)]! : null;
  switch (rnd(16)) {
    case 0: return { kind: 'confirm', beadId };
    case 1: return { kind: 'unconfirm', beadId };
    case 2: return { kind: 'flag', beadId };
    case 3: return { kind: 'confirmAbove', beadId };
    case 4: return { kind: 'merge', beadId };
    case 5:
    case 6: return { kind: 'split', beadId, sourceAt: rnd(b.source.length + 1), targetAt: rnd(b.target.length + 1) };
    case 7: return { kind: 'shiftUp', beadId, side };
    case 8: return { kind: 'shiftDown', beadId, side };
    case 9: return { kind: 'detach', beadId, side };
    case 10: return { kind: 'editTarget', sentence: rnd(doc.target.sentences.length + 1), text: rnd(4) ? `改${i}` : doc.target.sentences[0]!.text };
    case 11: return { kind: 'addIssue', beadId, category: 'Style', severity: 'minor', comment: `c${i}`, targetSpan: rnd(2) ? { start: 0, end: rnd(5) } : null };
    case 12: return issue ? { kind: 'setIssueStatus', issueId: issue.id, status: (['open', 'resolved', 'dismissed'] as const)[rnd(3)]! } : { kind: 'merge', beadId };
    case 13: return randomRealign(doc, rnd, String(i));
    default: return { kind: 'shiftUp', beadId, side };
  }
}

const isRefusal = (e: unknown): boolean => e instanceof InvalidOperationError || e instanceof NotFoundError;

describe('property: pure operations', () => {
  for (const seed of [1, 7, 2024]) {
    it(`seed ${seed}: 600 random ops keep the invariants, undo all returns the original, replay equals the result`, () => {
      const rnd = seededBelow(seed);
      const initial = syntheticDocument(40, { seed });
      let doc = initial;
      const entries: HistoryEntry[] = [];
      let refused = 0;
      for (let i = 0; i < 600; i++) {
        const op = randomOp(doc, rnd, i);
        const frozen = JSON.stringify(doc);
        const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
        let next: ReviewDocument;
        try {
          next = applyOp(doc, op, { author: 'p', at });
        } catch (e) {
          if (!isRefusal(e)) throw e;
          // A refused op leaves its input untouched.
          expect(JSON.stringify(doc)).toBe(frozen);
          refused++;
          continue;
        }
        expect(JSON.stringify(doc)).toBe(frozen);
        checkInvariants(next);
        const change = diffDocuments(doc, next);
        // The change undoes and redoes exactly.
        expect(state(applyChange(next, change.after, change.before))).toEqual(state(doc));
        expect(state(applyChange(doc, change.before, change.after))).toEqual(state(next));
        const revision = doc.revision + 1;
        entries.push({ seq: entries.length + 1, documentId: 'd', revision, author: 'p', at, op, beadIds: change.beadIds, before: change.before, after: change.after });
        doc = { ...next, revision, updatedAt: at };
      }
      expect(refused).toBeGreaterThan(0);
      expect(entries.length).toBeGreaterThan(300);
      expect(state(replayHistory(initial, entries))).toEqual(state(doc));
      // Undo everything, newest first.
      let undone = doc;
      for (const e of [...entries].reverse()) {
        undone = applyChange(undone, e.after!, e.before!);
        checkInvariants(undone);
      }
      expect(state(undone)).toEqual(state(initial));
    });
  }
});

describe('property: the store against a reference model of undo and redo', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-prop-'));
    store = openStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  for (const seed of [3, 11]) {
    it(`seed ${seed}: ops, undos and redos in random order match the model; undo all; replay; reopen`, async () => {
      const rnd = seededBelow(seed);
      const id = await store.createDocument(syntheticDocument(30, { seed }), { author: 'a' });
      const initial = await store.getDocument(id);
      // An official translation of every row, so its text has to follow every change of the rows.
      const withVersion = await store.addVersion(id, { name: 'official', lang: 'zh', textByBead: Object.fromEntries(initial.beads.map((b, i) => [b.id, `官${i}。`])) }, { author: 'a' });
      // The model: states reachable by undo (applied) and by redo (redoable), newest last.
      const applied: unknown[] = [stateV(withVersion)];
      const redoable: unknown[] = [];
      // Adding the version is recorded (a revision of its own) but is not on the undo stack.
      expect(withVersion.revision).toBe(initial.revision + 1);
      expect((await store.history(id)).at(-1)!.op).toEqual({ kind: 'addVersion', versionId: withVersion.versions[0]!.id, name: 'official' });
      let revision = withVersion.revision;
      for (let i = 0; i < 500; i++) {
        const cur = await store.getDocument(id);
        const k = rnd(10);
        const author = rnd(2) ? 'ann' : 'bob';
        try {
          if (k === 0) {
            const d = await store.undo(id, { author, baseRevision: cur.revision });
            redoable.push(applied.pop());
            expect(applied.length).toBeGreaterThan(0);
            expect(stateV(d)).toEqual(applied[applied.length - 1]);
          } else if (k === 1) {
            const d = await store.redo(id, { author, baseRevision: cur.revision });
            const s = redoable.pop();
            expect(s).toBeDefined();
            applied.push(s);
            expect(stateV(d)).toEqual(s);
          } else {
            const d = await store.apply(id, randomOp(cur, rnd, i), { author, baseRevision: cur.revision });
            applied.push(stateV(d));
            redoable.length = 0;
          }
          revision++;
        } catch (e) {
          if (!isRefusal(e)) throw e;
          if (k === 0) expect(applied.length).toBe(1);
          if (k === 1) expect(redoable.length).toBe(0);
          // A refusal changes nothing.
          expect(await store.getDocument(id)).toEqual(cur);
        }
        const now = await store.getDocument(id);
        expect(now.revision).toBe(revision);
        checkInvariants(now);
        // Every version text is shown on exactly one row, in order.
        expect(Object.values(now.versions[0]!.textByBead).join('')).toBe(initial.beads.map((_, k) => `官${k}。`).join(''));
      }
      const final = await store.getDocument(id);
      expect(state(replayHistory(initial, await store.history(id)))).toEqual(state(final));
      await store.close();
      store = openStore(dir);
      expect(await store.getDocument(id)).toEqual(final);
      // Undo everything that can be undone: back to the imported state.
      for (;;) {
        try {
          await store.undo(id, { author: 'a' });
        } catch (e) {
          expect(String(e)).toMatch(/nothing to undo/);
          break;
        }
      }
      expect(stateV(await store.getDocument(id))).toEqual(stateV(withVersion));
      await store.close();
      store = openStore(dir);
      expect(stateV(await store.getDocument(id))).toEqual(stateV(withVersion));
    });
  }
});

describe('property: stale reviewers never overwrite what they have not seen', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'store-prop-stale-'));
    store = openStore(dir);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an op posted against an old revision is accepted only when every row, issue and sentence it changes is as the poster saw it', async () => {
    const rnd = seededBelow(99);
    const id = await store.createDocument(syntheticDocument(30, { seed: 5 }), { author: 'a' });
    const initial = await store.getDocument(id);
    // Three reviewers, each with a copy refreshed now and then.
    const copies: ReviewDocument[] = [initial, initial, initial];
    let accepted = 0;
    let conflicts = 0;
    for (let i = 0; i < 600; i++) {
      const who = rnd(3);
      if (rnd(4) === 0) copies[who] = await store.getDocument(id);
      const seen = copies[who]!;
      const k = rnd(12);
      try {
        if (k === 0) await store.undo(id, { author: `r${who}`, baseRevision: seen.revision });
        else if (k === 1) await store.redo(id, { author: `r${who}`, baseRevision: seen.revision });
        else await store.apply(id, randomOp(seen, rnd, i), { author: `r${who}`, baseRevision: seen.revision });
      } catch (e) {
        if (e instanceof Error && e.name === 'ConflictError') conflicts++;
        else if (!isRefusal(e)) throw e;
        continue;
      }
      accepted++;
      const [entry] = await store.history(id, { limit: 1, newestFirst: true });
      const before = entry!.before!;
      for (const b of before.beads?.items ?? []) expect(seen.beads.find((x) => x.id === b.id)).toEqual(b);
      for (const x of before.issues?.items ?? []) expect(seen.issues.find((y) => y.id === x.id)).toEqual(x);
      for (const s of before.target) expect(seen.target.sentences[s.index]).toEqual(s);
      copies[who] = await store.getDocument(id);
    }
    expect(accepted).toBeGreaterThan(100);
    expect(conflicts).toBeGreaterThan(10);
    expect(state(replayHistory(initial, await store.history(id)))).toEqual(state(await store.getDocument(id)));
  });
});

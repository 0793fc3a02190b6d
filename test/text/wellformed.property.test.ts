/**
 * Text that is always valid (issue 12, item 3): whatever comes in — lone surrogates, BOMs, CR/LF,
 * combining marks, emoji, CJK and Latin mixed — every entry point turns lone surrogates into U+FFFD
 * before sentences and offsets are computed, so stored text is valid UTF-8 and every sentence is the
 * slice of the text at its offsets (whitespace inside it collapsed: see collapseWhitespace).
 * 10,000 random texts through the text pipeline; fewer (each one is stored) through the doors.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alignImport, checkImport } from '../../server/import/index.js';
import { checkInvariants, parseOp } from '../../server/review/index.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { buildSide, collapseWhitespace, firstInvalidUtf8, normalizeText, wellFormedJson } from '../../server/text/index.js';
import { makeDoc } from '../web/fixtures.js';

/** Pieces texts are made of: anything a JSON body or a file can carry, lone surrogates included. */
const piece = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u)) }, // any UTF-16 unit, lone surrogates too
  { weight: 2, arbitrary: fc.constantFrom('\ud800', '\udfff', '\udbff\udbff', '\ude00a', '😀', '👨‍👩‍👧', 'e\u0301', '\u1100\u1161', '\ufeff') },
  { weight: 4, arbitrary: fc.constantFrom('。', '！', '？', '.', '!', '?', '…', '“', '”', '"', ' ', '  ', '\n', '\r\n', '\r', '\n\n', '\u3000', '\u00a0', '\u2028', '\t') },
  { weight: 4, arbitrary: fc.constantFrom('中文', '缔约国', '第12条', 'The', 'ministers', 'Mr.', 'No. 5', '1,000', 'U.S.', '(a)', '1.', '一、', '（一）') },
);
const text = fc.array(piece, { maxLength: 60 }).map((ps) => ps.join(''));

const validUtf8 = (s: string): boolean => firstInvalidUtf8(new Uint8Array(Buffer.from(s, 'utf8'))) === -1 && Buffer.from(s, 'utf8').toString('utf8') === s;

describe('text that is always valid', () => {
  it('10,000 random texts: well formed, valid UTF-8, every sentence the slice at its offsets', () => {
    fc.assert(
      fc.property(text, fc.constantFrom('zh', 'en', 'de'), fc.boolean(), (raw, lang, presplit) => {
        const side = buildSide(raw, lang, { presplit });
        expect(side.text.isWellFormed()).toBe(true);
        expect(validUtf8(side.text)).toBe(true);
        expect(side.text).toBe(normalizeText(raw));
        for (const s of side.sentences) {
          expect(s.text.isWellFormed()).toBe(true);
          expect(0 <= s.start && s.start <= s.end && s.end <= side.text.length).toBe(true);
          const slice = side.text.slice(s.start, s.end);
          // Exactly the slice, except that runs of whitespace inside a sentence are shown collapsed.
          expect(collapseWhitespace(slice)).toBe(s.text);
          if (!/\s/.test(slice)) expect(slice).toBe(s.text);
        }
      }),
      { numRuns: 10_000, seed: 12 },
    );
  });

  it('a JSON body with lone surrogates (the API door) parses to well-formed strings of the same length', () => {
    fc.assert(
      fc.property(text, (raw) => {
        const parsed = JSON.parse(JSON.stringify({ op: { kind: 'editTarget', sentence: 0, text: raw } }), wellFormedJson) as { op: { text: string } };
        expect(parsed.op.text.isWellFormed()).toBe(true);
        expect(parsed.op.text.length).toBe(raw.length);
      }),
      { numRuns: 2_000, seed: 7 },
    );
  });
});

describe('through the doors into the store', () => {
  let dir: string;
  let store: SqliteStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wellformed-'));
    store = openStore(dir);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Every stored text column, as the bytes SQLite holds: all valid UTF-8. */
  function storedBytesValid(): boolean {
    const rows = store.db.prepare('SELECT CAST(text AS BLOB) AS b FROM sentences UNION ALL SELECT CAST(source_text AS BLOB) FROM documents UNION ALL SELECT CAST(target_text AS BLOB) FROM documents UNION ALL SELECT CAST(name AS BLOB) FROM documents UNION ALL SELECT CAST(comment AS BLOB) FROM issues').all() as { b: Buffer }[];
    return rows.every((r) => firstInvalidUtf8(new Uint8Array(r.b)) === -1);
  }

  it('imports (checked at the door, aligned as a job would) store valid UTF-8 with offsets that hold', async () => {
    await fc.assert(
      fc.asyncProperty(text, text, async (en, zh) => {
        let checked: ReturnType<typeof checkImport>;
        try {
          checked = checkImport({ name: `n${en.slice(0, 5)}`, source: `${en} A.`, target: `${zh}甲。`, sourceLang: 'en', targetLang: 'zh', model: 'length' });
        } catch {
          return; // refused (a name of only spaces …): nothing to store
        }
        const doc = await alignImport(checked);
        const id = await store.createDocument(doc, { author: 'prop' });
        const stored = await store.getDocument(id);
        checkInvariants(stored);
        for (const side of [stored.source, stored.target]) {
          expect(side.text.isWellFormed()).toBe(true);
          for (const s of side.sentences) expect(collapseWhitespace(side.text.slice(s.start, s.end))).toBe(s.text);
        }
      }),
      { numRuns: 150, seed: 3 },
    );
    expect((await store.listDocuments()).length).toBeGreaterThan(100);
    expect(storedBytesValid()).toBe(true);
  });

  it('edits and comments (the op parser, both doors) store valid UTF-8', async () => {
    const id = await store.createDocument(makeDoc(5), { author: 'prop' });
    await fc.assert(
      fc.asyncProperty(text, fc.integer({ min: 0, max: 4 }), async (raw, sentence) => {
        for (const op of [
          { kind: 'editTarget', sentence, text: raw },
          { kind: 'addIssue', beadId: `b${sentence + 1}`, category: 'Terminology', severity: 'minor', comment: raw },
        ]) {
          let parsed: ReturnType<typeof parseOp>;
          try {
            parsed = parseOp(op);
          } catch {
            continue; // too long: refused
          }
          await store.apply(id, parsed, { author: 'prop' }).catch(() => undefined);
        }
      }),
      { numRuns: 300, seed: 5 },
    );
    const doc = await store.getDocument(id);
    for (const s of doc.target.sentences) expect(s.text.isWellFormed()).toBe(true);
    // The comments went in too (well formed, lone surrogates replaced).
    expect(doc.issues.length).toBeGreaterThan(200);
    for (const i of doc.issues) expect(i.comment.isWellFormed()).toBe(true);
    expect(storedBytesValid()).toBe(true);
  });
});

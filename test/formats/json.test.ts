import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { importJson, ImportError } from '../../server/formats/index.js';
import { buildScorecard } from '../../server/qa/index.js';
import { alignmentSchema, validateJson, type JsonSchema } from '../../server/formats/json-schema.js';
import { wellFormedValue } from '../../server/text/index.js';
import { adversarialDoc, exportManyToString, exportToString, makeDoc, maskTimestamps, repoRoot } from './fixtures.js';

/** The parts of an export the assertions read. */
interface Exported {
  format: string;
  filters: { confirmedOnly: boolean; includeEmpty: boolean };
  document: { id: string; revision: number };
  source: { text: string; sentences: unknown[] };
  beads: Array<{ id: string; targetText: string } & Record<string, unknown>>;
  history: { summary: unknown };
  documents: Array<{ document: { id: string } }>;
}

const schema = JSON.parse(readFileSync(path.join(repoRoot, 'schemas', 'alignment.schema.json'), 'utf8')) as JsonSchema;

describe('JSON export', () => {
  it('validates against schemas/alignment.schema.json and carries what the schema documents', async () => {
    const { doc, history } = adversarialDoc();
    const text = await exportToString(doc, 'json', { history });
    const value = JSON.parse(text) as Exported;
    expect(validateJson(schema, value)).toEqual([]);
    expect(value.format).toBe('bitext-review/alignment');
    expect(value.document).toMatchObject({ id: 'doc1', revision: 3 });
    expect(value.beads).toHaveLength(7);
    expect(value.beads[1]!).toMatchObject({ id: 'b2', corrected: true, originalTargetText: '机器 & 译文。', issueIds: ['i2'], changedBy: 'bob "the <reviewer>"' });
    expect(value.beads[2]!.targetText).toBe('表情 😀 和 𠀀𠀁𪚥 扩展B。');
    expect(value.history.summary).toEqual({
      entries: 4,
      firstAt: '2026-01-02T03:04:05.000Z',
      lastAt: '2026-01-02T12:00:00.000Z',
      authors: ['alice', 'bob "the <reviewer>"', 'carol', 'importer'],
      byKind: { import: 1, confirm: 1, editTarget: 1, flag: 1 },
    });
    expect(value.source.text).toBe(doc.source.text);
  });

  it('filters only the bead list, and records the filters', async () => {
    const { doc } = adversarialDoc();
    const value = JSON.parse(await exportToString(doc, 'json', { confirmedOnly: true })) as Exported;
    expect(validateJson(schema, value)).toEqual([]);
    expect(value.filters).toEqual({ confirmedOnly: true, includeEmpty: true });
    expect(value.beads.map((b) => b.id)).toEqual(['b1', 'b7']);
    expect(value.source.sentences).toHaveLength(doc.source.sentences.length);
  });

  it('several documents make a collection that validates too', async () => {
    const a = makeDoc([{ src: ['A.'], tgt: ['甲。'] }], { id: 'd1' });
    const b = makeDoc([{ src: ['B.'], tgt: ['乙。'] }], { id: 'd2' });
    const value = JSON.parse(await exportManyToString([{ doc: a }, { doc: b }], 'json')) as Exported;
    expect(validateJson(schema, value)).toEqual([]);
    expect(value.documents.map((d) => d.document.id)).toEqual(['d1', 'd2']);
    const empty = JSON.parse(await exportManyToString([], 'json')) as Exported;
    expect(validateJson(schema, empty)).toEqual([]);
    expect(importJson(JSON.stringify(value)).map((d) => d.document.id)).toEqual(['d1', 'd2']);
  });

  it('carries the quality scorecard (when QA ran), valid against the schema; an import reads past it', async () => {
    const { doc, history } = adversarialDoc();
    const findings = [{ check: 'numbers', category: 'Accuracy/Mistranslation' as const, severity: 'major' as const, message: 'm', beadId: 'b1', sourceSpan: null, targetSpan: null }];
    const scorecard = buildScorecard(doc, findings);
    const text = await exportToString(doc, 'json', { history, findings, scorecard });
    const value = JSON.parse(text) as Exported & { scorecard: { automatic: { errors: number; points: number } } };
    expect(validateJson(schema, value)).toEqual([]);
    expect(value.scorecard.automatic).toMatchObject({ errors: 1, points: 5 });
    // The import reads past the scorecard; it makes the adversarial document's lone surrogates U+FFFD.
    expect(importJson(text)[0]!.document).toEqual(wellFormedValue(doc));
    const broken = JSON.parse(text) as { scorecard: { accepted: { pass: unknown } } };
    broken.scorecard.accepted.pass = 'yes';
    expect(validateJson(schema, broken)).toEqual(['(root): matches 0 of the oneOf alternatives']);
    expect(validateJson({ ...schema, $ref: '#/$defs/alignment', oneOf: undefined }, broken)).toContain('/scorecard/accepted/pass: expected boolean, got string');
    // Without QA (no scorecard) the export is as before.
    expect(JSON.parse(await exportToString(doc, 'json', { history }))).not.toHaveProperty('scorecard');
  });

  it('the schema validator rejects what the schema forbids', () => {
    expect(validateJson(alignmentSchema(), { format: 'x' }).length).toBeGreaterThan(0);
    const bad = { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 1 } }, additionalProperties: false } as JsonSchema;
    expect(validateJson(bad, { a: 0, b: 1 })).toEqual(['/a: must be ≥ 1', '(root): unexpected property "b"']);
    expect(validateJson(bad, {})).toEqual(['(root): missing property "a"']);
  });
});

describe('JSON import and round trip', () => {
  it('restores the document, statuses, issues and history; export → import → export is identical', async () => {
    const { doc, history } = adversarialDoc();
    const findings = [{ check: 'numbers', category: 'Accuracy/Mistranslation' as const, severity: 'minor' as const, message: 'm', beadId: 'b1', sourceSpan: null, targetSpan: { start: 0, end: 1 } }];
    const first = await exportToString(doc, 'json', { history, findings });
    const [imported] = importJson(first);
    // The adversarial document holds lone surrogates: the import makes them U+FFFD (one unit for one,
    // so every offset still holds); everything else comes back as it was.
    expect(JSON.stringify(doc)).toMatch(/\\ud[89ab]/);
    expect(imported!.document).toEqual(wellFormedValue(doc));
    expect(JSON.stringify(imported!.document)).not.toMatch(/\\ud[89abcdef][0-9a-f]{2}/);
    expect(imported!.history).toEqual(history);
    const second = await exportToString(imported!.document, 'json', { history: imported!.history, findings: imported!.findings });
    const wellFormedFirst = await exportToString(wellFormedValue(doc), 'json', { history, findings });
    expect(maskTimestamps(second)).toBe(maskTimestamps(wellFormedFirst));
    expect(second).not.toBe(first.replace(/x/g, 'y')); // sanity: the comparison is on real content
  });

  function refuse(input: string | Buffer, re: RegExp): void {
    let err: unknown;
    try {
      importJson(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(re);
  }

  it('refuses bad input with a clear ImportError', async () => {
    const good = await exportToString(makeDoc([{ src: ['A.'], tgt: ['甲。'] }]), 'json');
    refuse('{"format": ', /not valid JSON/);
    refuse('{"format": "something"}', /not a bitext-review export/);
    refuse(good.replace('"formatVersion": 1', '"formatVersion": 2'), /unsupported formatVersion 2/);
    refuse(good.replace('"status":"automatic"', '"status":"maybe"'), /does not match the export schema: \/beads\/0\/status: must be one of/);
    refuse(good.replace('"source":[0]', '"source":[5]'), /refers to source sentence 5, which does not exist/);
    refuse(Buffer.from(good.replace('A.', 'Caf\u00e9'), 'latin1'), /not valid UTF-8/);
    refuse(Buffer.alloc(60 * 1024 * 1024, 0x20), /too large/);
  });

  it('refuses absurdly nested values (they would pass the schema, then overflow the stack when stored)', async () => {
    const good = await exportToString(makeDoc([{ src: ['A.'], tgt: ['甲。'] }]), 'json');
    expect(good).toContain('"entries": []');
    const entry = (x: string) => `"entries": [{"seq":1,"documentId":"doc1","revision":0,"author":"a","at":"2026-01-01T00:00:00.000Z","op":{"kind":"import","x":${x}},"beadIds":[]}]`;
    refuse(good.replace('"entries": []', entry('['.repeat(100_000) + ']'.repeat(100_000))), /nests values deeper than 64 levels/);
    expect(importJson(good.replace('"entries": []', entry('[[["ok"]]]')))[0]!.history).toHaveLength(1);
  });
});

describe('JSON import of partial exports', () => {
  it('refuses a filtered export (it is not a whole document)', async () => {
    const { doc } = adversarialDoc();
    expect(() => importJson(Buffer.from(''))).toThrow(ImportError);
    const partial = await exportToString(doc, 'json', { confirmedOnly: true });
    expect(() => importJson(partial)).toThrow(/was exported with filters \(confirmed only\): only a complete export can be imported/);
  });
  it('refuses an inconsistent alignment (a sentence in no bead)', async () => {
    const doc = makeDoc([{ src: ['A.'], tgt: ['甲。'] }, { src: ['B.'], tgt: ['乙。'] }]);
    const text = await exportToString(doc, 'json');
    const value = JSON.parse(text) as { beads: unknown[] };
    value.beads.pop();
    expect(() => importJson(JSON.stringify(value))).toThrow(/not a consistent alignment: source sentences 2–2 are in no row/);
  });
});

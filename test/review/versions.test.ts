import { describe, expect, it } from 'vitest';
import type { ReviewBead } from '../../server/domain.js';
import { applyOp, projectVersion, syntheticDocument, versionAnchors } from '../../server/review/index.js';

const row = (id: string, source: number[], target: number[]): ReviewBead => ({ id, source, target, confidence: 1, status: 'automatic', origin: 't' });

describe('projectVersion', () => {
  it('is the identity on the rows the version was imported for', () => {
    const beads = [row('b1', [0], [0]), row('b2', [], [1]), row('b3', [1, 2], [2])];
    const text = { b1: 'A.', b2: '', b3: 'C.' };
    expect(projectVersion(text, versionAnchors(beads, text), beads, 'en')).toEqual(text);
    // Rows the version has no text for get no entry.
    expect(versionAnchors(beads, { b3: 'C.' })).toEqual([['b3', 'source', 1]]);
  });

  it('joins the texts of merged rows in order, by the language (no space for Chinese)', () => {
    const doc = syntheticDocument(4);
    const zh = { b1: '一。', b2: '二。', b3: '三。', b4: '四。' };
    const anchors = versionAnchors(doc.beads, zh);
    const merged = applyOp(applyOp(doc, { kind: 'merge', beadId: 'b2' }), { kind: 'merge', beadId: 'b1' });
    expect(projectVersion(zh, anchors, merged.beads, 'zh-CN')).toEqual({ b1: '一。二。三。', b4: '四。' });
    expect(projectVersion({ b1: 'One.', b2: 'Two.', b3: '', b4: 'Four.' }, anchors, merged.beads, 'en')).toEqual({ b1: 'One. Two.', b4: 'Four.' });
  });

  it('a row anchored by its target (no source) follows its target sentence', () => {
    const beads = [row('b1', [0], [0]), row('b2', [], [1]), row('b3', [1], [2])];
    const text = { b1: 'A', b2: 'B', b3: 'C' };
    const anchors = versionAnchors(beads, text);
    expect(anchors[1]).toEqual(['b2', 'target', 1]);
    const now = [row('b1', [0], [0, 1]), row('b3', [1], [2])];
    expect(projectVersion(text, anchors, now, 'en')).toEqual({ b1: 'A B', b3: 'C' });
  });
});

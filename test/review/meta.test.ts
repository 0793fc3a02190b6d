import { describe, expect, it } from 'vitest';
import type { BeadMeta, ReviewDocument } from '../../server/domain.js';
import { applyChange, applyOp, diffDocuments, syntheticDocument } from '../../server/review/index.js';

const metaA: BeadMeta = { props: [{ type: 'x-project', value: 'Acme' }], notes: ['checked by Kim'] };
const metaB: BeadMeta = { props: [{ type: 'x-context', value: 'ui' }], notes: ['second note'] };

function withMeta(): ReviewDocument {
  const doc = syntheticDocument(6);
  doc.beads[0] = { ...doc.beads[0]!, meta: metaA };
  doc.beads[1] = { ...doc.beads[1]!, meta: metaB };
  return doc;
}

describe('bead meta (foreign TMX props and notes) through review ops', () => {
  it('merge concatenates the two rows\' props and notes; rows without meta stay without', () => {
    const merged = applyOp(withMeta(), { kind: 'merge', beadId: 'b1' });
    expect(merged.beads[0]!.meta).toEqual({ props: [...metaA.props, ...metaB.props], notes: [...metaA.notes, ...metaB.notes] });
    const plain = applyOp(withMeta(), { kind: 'merge', beadId: 'b3' });
    expect(plain.beads[2]).not.toHaveProperty('meta');
    const oneSided = applyOp(syntheticDocument(6), { kind: 'merge', beadId: 'b1' });
    expect(oneSided.beads[0]).not.toHaveProperty('meta');
  });

  it('split keeps the meta on the first part (the row that keeps the id); detach likewise', () => {
    const doc = withMeta();
    doc.beads[3] = { ...doc.beads[3]!, meta: metaA }; // b4 is a 1-2 row: splittable
    const split = applyOp(doc, { kind: 'split', beadId: 'b4', sourceAt: 1, targetAt: 1 });
    expect(split.beads[3]).toMatchObject({ id: 'b4', meta: metaA });
    expect(split.beads[4]!.id).not.toBe('b4');
    expect(split.beads[4]).not.toHaveProperty('meta');
    const detached = applyOp(withMeta(), { kind: 'detach', beadId: 'b1', side: 'target' });
    expect(detached.beads[0]).toMatchObject({ id: 'b1', meta: metaA });
    expect(detached.beads[1]).not.toHaveProperty('meta');
  });

  it('a row emptied by a shift hands its meta to the row that took its sentence, like its issues', () => {
    const doc = withMeta();
    doc.beads[1] = { ...doc.beads[1]!, target: [] };
    doc.beads[0] = { ...doc.beads[0]!, target: [0, 1] };
    const up = applyOp(doc, { kind: 'shiftUp', beadId: 'b2', side: 'source' });
    expect(up.beads[0]!.meta).toEqual({ props: [...metaA.props, ...metaB.props], notes: [...metaA.notes, ...metaB.notes] });
  });

  it('a change to the meta alone is seen by the diff, so undo restores it', () => {
    const doc = withMeta();
    const next: ReviewDocument = { ...doc, beads: [{ ...doc.beads[0]!, meta: metaB }, ...doc.beads.slice(1)] };
    const change = diffDocuments(doc, next);
    expect(change.beadIds).toEqual(['b1']);
    expect(applyChange(next, change.after, change.before).beads[0]!.meta).toEqual(metaA);
  });
});

/**
 * The invariants of a document under review, checked after every operation: each sentence of each
 * side is in exactly one bead, in order; no bead is empty; bead and issue ids are unique; issues
 * refer to existing beads.
 */
import type { ReviewDocument } from '../domain.js';
import { InvalidOperationError } from './errors.js';

export function checkInvariants(doc: Pick<ReviewDocument, 'source' | 'target' | 'beads' | 'issues'>): void {
  const ids = new Set<string>();
  let nextSource = 0;
  let nextTarget = 0;
  for (let i = 0; i < doc.beads.length; i++) {
    const b = doc.beads[i]!;
    if (!b.id) throw new InvalidOperationError(`row ${i + 1} has no id`);
    if (ids.has(b.id)) throw new InvalidOperationError(`bead id ${b.id} is used twice`);
    ids.add(b.id);
    if (b.source.length === 0 && b.target.length === 0) throw new InvalidOperationError(`row ${i + 1} (${b.id}) would be empty`);
    for (const s of b.source) {
      if (s >= doc.source.sentences.length) throw new InvalidOperationError(`row ${i + 1} refers to source sentence ${s + 1}, which does not exist`);
      if (s !== nextSource) throw new InvalidOperationError(`source sentence ${nextSource + 1} is not where expected (row ${i + 1} holds ${s + 1}): sentences must stay in order, each in one row`);
      nextSource++;
    }
    for (const t of b.target) {
      if (t >= doc.target.sentences.length) throw new InvalidOperationError(`row ${i + 1} refers to target sentence ${t + 1}, which does not exist`);
      if (t !== nextTarget) throw new InvalidOperationError(`target sentence ${nextTarget + 1} is not where expected (row ${i + 1} holds ${t + 1}): sentences must stay in order, each in one row`);
      nextTarget++;
    }
    if (!(b.confidence >= 0 && b.confidence <= 1)) throw new InvalidOperationError(`row ${i + 1} has a confidence outside [0, 1]`);
  }
  if (nextSource !== doc.source.sentences.length) throw new InvalidOperationError(`source sentences ${nextSource + 1}–${doc.source.sentences.length} are in no row`);
  if (nextTarget !== doc.target.sentences.length) throw new InvalidOperationError(`target sentences ${nextTarget + 1}–${doc.target.sentences.length} are in no row`);
  const issueIds = new Set<string>();
  for (const issue of doc.issues) {
    if (issueIds.has(issue.id)) throw new InvalidOperationError(`issue id ${issue.id} is used twice`);
    issueIds.add(issue.id);
    if (!ids.has(issue.beadId)) throw new InvalidOperationError(`issue ${issue.id} refers to a row that does not exist (${issue.beadId})`);
  }
}

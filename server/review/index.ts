/** The review core: pure operations on a document under review (no database, no HTTP). */
export { applyOp, lastConfirmedIndex, beadIndex, newBeadId, HAND_ALIGNING_OPS, isFixedRow, MQM_CATEGORIES, SEVERITIES, ISSUE_STATUSES } from './ops.js';
export type { OpContext } from './ops.js';
export { checkInvariants } from './invariants.js';
export { diffDocuments, applyChange, changeSize, rowRange } from './change.js';
export type { ChangeSide, DocumentChange } from './change.js';
export { reviewDocumentFromAlignment } from './from-alignment.js';
export type { FromAlignmentOptions } from './from-alignment.js';
export { replayHistory } from './replay.js';
export { parseOp, OpValidationError, OP_KINDS, OP_FIELDS, NUMBER_FIELDS, ID_RE, MAX_EDIT_CHARS, MAX_COMMENT_CHARS } from './validate.js';
export { sideOfSentences, syntheticDocument } from './synthetic.js';
export { projectVersion, shiftAnchors, versionAnchors } from './versions.js';
export type { VersionAnchor } from './versions.js';
export { ConflictError, InvalidOperationError, NotFoundError } from './errors.js';
export { applyPosted, changedSinceError, checkUndoRedo, conflictError, unseenAfter, type UndoScope } from './conflict.js';
export { mapOffset } from './segmentation.js';
export { alignTranslationSet, setName, type SetAlignment, type SetCell, type SetRow } from './translation-set.js';

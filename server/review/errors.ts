/**
 * The errors of the review core, which every store throws too (web routes answer them with 409, 404
 * and 422): here rather than in store/, so that review/ imports nothing from the adapters.
 */
import type { HistoryEntry } from '../domain.js';

/** Thrown when an operation is posted against an old revision and conflicts with what changed since. */
export class ConflictError extends Error {
  constructor(
    message: string,
    readonly currentRevision: number,
    /** The history entries the poster has not seen. */
    readonly changes: HistoryEntry[],
  ) {
    super(message);
    this.name = 'ConflictError';
  }
}

/** Thrown for a missing document, bead, sentence or issue. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

/** Thrown when an operation is not valid on the current state (bad split point, nothing to undo …). */
export class InvalidOperationError extends Error {
  override name = 'InvalidOperationError';
}

/**
 * The rows a change touched, rendered for the review page to put in place of its own (the same
 * partial the page renders them with). With them: the ids of rows that no longer exist, and where
 * the change was, so the page renumbers the rows below (numbers are positions: a merge moves every
 * row below up by one). Changes that touch very many rows (a re-alignment of a whole document) ask
 * the page to reload its rows instead.
 */
import type { Response } from 'express';
import type { HistoryEntry, ReviewDocument, RowSpan, StoredGlossary } from '../../domain.js';
import { renderView } from '../render.js';
import { findingsForRows } from '../view-models/findings.js';
import { buildRows, rowContext, type ReviewQuery } from '../view-models/review.js';
import { langDir } from '../view-models/common.js';

/** Above this many rows, the page reloads its rows rather than taking them one by one. */
export const MAX_ROWS_IN_PLACE = 600;

export interface ChangedRows {
  /** The rows, from the first touched to the last, and the row below them (`context`). */
  html: string;
  /** Touched rows that no longer exist. */
  remove: string[];
  /** The row below the touched ones, sent for its paragraph header and number: replaced only if shown. */
  context: string | null;
  /** Where the change was (rows [at, at + before) became [at, at + after)). */
  span: RowSpan | null;
  /** Too many rows: reload them all. */
  refresh: boolean;
}

/** `glossary`: the document's, for the rows' marks (as the review page shows them). */
export async function changedRows(
  res: Response,
  doc: ReviewDocument,
  entry: Pick<HistoryEntry, 'beadIds' | 'rows'>,
  query: ReviewQuery,
  glossary: StoredGlossary | null,
): Promise<ChangedRows> {
  const touched = new Set(entry.beadIds);
  const present = new Set<string>();
  let lo = Infinity;
  let hi = -Infinity;
  doc.beads.forEach((b, i) => {
    if (!touched.has(b.id)) return;
    present.add(b.id);
    lo = Math.min(lo, i);
    hi = Math.max(hi, i);
  });
  const remove = entry.beadIds.filter((id) => !present.has(id));
  const span = entry.rows ?? null;
  if (lo === Infinity) return { html: '', remove, context: null, span, refresh: false };
  if (hi - lo + 1 > MAX_ROWS_IN_PLACE) return { html: '', remove, context: null, span, refresh: true };
  const last = Math.min(doc.beads.length - 1, hi + 1);
  const indices = Array.from({ length: last - lo + 1 }, (_, k) => lo + k);
  const findings = findingsForRows(doc, indices.map((i) => doc.beads[i]!), glossary);
  const rows = buildRows(doc, indices, rowContext(doc, query, findings), true);
  const version = query.version ? doc.versions.find((v) => v.id === query.version) : undefined;
  const html = await renderView(res, 'partials/review-rows', { rows, view: { targetLang: doc.target.lang, sourceLang: doc.source.lang, targetDir: langDir(doc.target.lang), sourceDir: langDir(doc.source.lang), versionName: version?.name ?? null } });
  return { html, remove, context: last > hi ? doc.beads[last]!.id : null, span, refresh: false };
}

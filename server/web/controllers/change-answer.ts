/**
 * How the pages answer a change (an op, undo, redo, re-align, a version import): JSON for the page
 * script (Accept: application/json) saying what was done, with the changed rows rendered when the
 * page asks for them (header `x-review-view`: the page's query string), else a 303 back to the row it
 * was made from; a refused change gets the 409 page (what changed since) or a page saying why, each
 * with a way back that exists. A change needs the reviewer's name: without it the page asks first.
 */
import type { NextFunction, Request, Response } from 'express';
import type { ReviewDocument } from '../../domain.js';
import { ConflictError, InvalidOperationError, NotFoundError, type ChangeResult, type Store } from '../../store/store.js';
import { renderPage } from '../render.js';
import { safeReturnTo } from '../security.js';
import { docBase, rowAnchor } from '../view-models/common.js';
import { buildHistoryVM, changeMessage, sideNames } from '../view-models/history.js';
import { parseReviewQuery, statusCounts } from '../view-models/review.js';
import { changedRows } from './changed-rows.js';

export function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** A return path inside this document only (no open redirect), without a fragment. */
export function backTo(raw: unknown, base: string): string {
  const s = safeReturnTo(raw, base).split('#')[0] ?? base;
  return s === base || s.startsWith(`${base}?`) || s.startsWith(`${base}/`) ? s : base;
}

/**
 * A return path that names a row (`…/go/<row>`, `…/rows/<row>`) which no longer exists (its last
 * sentence moved away, it was merged) would answer 404: it is pointed at the first row of
 * `candidates` that still exists (the rows the change touched), else at the review page.
 */
export function liveBack(back: string, base: string, beadIds: ReadonlySet<string>, candidates: readonly string[]): { back: string; beadId: string | null } {
  if (!back.startsWith(`${base}/`)) return { back, beadId: null };
  const m = /^\/(go|rows)\/([^/?#]+)(.*)$/.exec(back.slice(base.length));
  if (!m) return { back, beadId: null };
  let id: string;
  try {
    id = decodeURIComponent(m[2]!);
  } catch {
    return { back: base, beadId: null };
  }
  if (beadIds.has(id)) return { back, beadId: id };
  const live = candidates.find((c) => beadIds.has(c));
  return live ? { back: `${base}/${m[1]}/${encodeURIComponent(live)}${m[3]}`, beadId: live } : { back: base, beadId: null };
}

/** The review page's view (filters, version) when the page asks for the changed rows, else null. */
function rowsView(req: Request): ReturnType<typeof parseReviewQuery> | null {
  const raw = req.get('x-review-view');
  if (raw === undefined) return null;
  return parseReviewQuery(Object.fromEntries(new URLSearchParams(raw.startsWith('?') ? raw.slice(1) : raw)));
}

/**
 * Answers an accepted change: JSON for the script (what was done, the new revision and counts, the
 * changed rows when asked), else 303 back to the row (or the row that took its place).
 */
export async function answerChange(store: Store, req: Request, res: Response, back: string, result: ChangeResult | { doc: ReviewDocument }, beadId: string | null, message?: string): Promise<void> {
  const { doc } = result;
  const entry = 'entry' in result ? result.entry : null;
  const ids = new Set(doc.beads.map((b) => b.id));
  if (beadId !== null && !ids.has(beadId)) {
    // The row is gone (e.g. its only sentence moved up): return to the row that took it.
    const touched = entry?.beadIds ?? (await store.history(doc.id, { limit: 1, newestFirst: true, changes: false }))[0]?.beadIds ?? [];
    const live = liveBack(back, docBase(doc.id), ids, touched);
    back = live.back;
    beadId = live.beadId ?? touched.find((b) => ids.has(b)) ?? null;
  }
  const exists = beadId !== null && ids.has(beadId);
  const location = exists ? `${back}#${rowAnchor(beadId!)}` : back;
  if (wantsJson(req)) {
    const view = rowsView(req);
    const said = message ?? (entry ? changeMessage(entry, 'stepped' in result ? result.stepped : undefined, sideNames(doc)) : 'Done');
    res.json({
      ok: true,
      revision: doc.revision,
      location,
      beadId: exists ? beadId : null,
      message: said,
      counts: statusCounts(doc),
      ...(view && entry ? { rows: await changedRows(res, doc, entry, view, await store.documentGlossary(doc.id)) } : {}),
    });
    return;
  }
  res.redirect(303, location);
}

/**
 * A change from a page needs the reviewer's name (recorded with it): without one, the script is told
 * to ask (403, `needsReviewer`), and a plain form goes to the name form, which returns to the page.
 * Returns true when it answered.
 */
export function askForReviewer(req: Request, res: Response, back: string): boolean {
  const name: unknown = res.locals.reviewer;
  if (typeof name === 'string' && name) return false;
  const message = 'Please give your name first: it is recorded with every change.';
  if (wantsJson(req)) res.status(403).json({ error: message, status: 403, needsReviewer: true });
  else res.redirect(303, `/reviewer?returnTo=${encodeURIComponent(back)}`);
  return true;
}

/** The way back after a refused change: not to a row that has gone in the meantime. */
async function backAfterRefusal(store: Store, docId: string, back: string, candidates: readonly string[]): Promise<string> {
  let ids: Set<string>;
  try {
    ids = new Set((await store.getDocument(docId)).beads.map((b) => b.id));
  } catch {
    return back;
  }
  return liveBack(back, docBase(docId), ids, candidates).back;
}

export interface Refused {
  /** Where "back" leads. */
  back: string;
  /** The revision the poster saw. */
  baseRevision: number | undefined;
  /** The document the change was for (its rows decide which way back still exists). */
  docId?: string;
  /** The refused change in words, for the 409 page. */
  attempted?: string | null;
}

/**
 * Answers a refused change: 409 with what changed since the poster's revision, 404/422 with the
 * reason; any other error goes on to the error handler.
 */
export async function answerRefusal(store: Store, req: Request, res: Response, next: NextFunction, err: unknown, refused: Refused): Promise<void> {
  const { back, docId } = refused;
  if (err instanceof ConflictError) {
    const current = docId ? await store.getDocument(docId).catch(() => null) : null;
    const changes = buildHistoryVM(err.changes, current ?? undefined);
    if (wantsJson(req)) {
      res.status(409).json({ error: err.message, status: 409, currentRevision: err.currentRevision, changes });
      return;
    }
    const backHref = docId ? await backAfterRefusal(store, docId, back, err.changes.flatMap((c) => c.beadIds)) : back;
    const locals = { message: err.message, baseRevision: refused.baseRevision ?? '?', currentRevision: err.currentRevision, changes, backHref, yourChange: refused.attempted ?? null };
    await renderPage(res, 'conflict', locals, 409);
    return;
  }
  if (err instanceof InvalidOperationError || err instanceof NotFoundError) {
    const status = err instanceof NotFoundError ? 404 : 422;
    if (wantsJson(req)) {
      res.status(status).json({ error: err.message, status });
      return;
    }
    const backHref = docId ? await backAfterRefusal(store, docId, back, []) : back;
    await renderPage(res, 'error', { title: 'Not done', heading: 'That change was not made', message: err.message, backHref }, status);
    return;
  }
  next(err);
}

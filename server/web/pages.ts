/**
 * The HTML pages: documents, import, review (rows, filters, per-row operations), row page, history,
 * paragraph view, alignment map, versions, reviewer name. Server-rendered EJS, usable without
 * JavaScript: every operation is a plain POST form answered with a 303 back to the row. public/review.js
 * posts the same forms with fetch (Accept: application/json) and swaps the page in place.
 *
 * Security (CSRF, reviewer cookie, CSP, body limits) is applied by app.ts before this router.
 */
import { join } from 'node:path';
import ejs from 'ejs';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { MqmCategory, ReviewDocument, ReviewOp, Severity } from '../domain.js';
import { ConflictError, InvalidOperationError, NotFoundError } from '../store/store.js';
import type { AppContext } from './context.js';
import { authorOf, safeReturnTo } from './security.js';
import { rowAnchor } from './view-models/common.js';
import { buildDocumentsVM } from './view-models/documents.js';
import { findingsForRows } from './view-models/findings.js';
import { buildHistoryVM, describeOp } from './view-models/history.js';
import { buildMapVM } from './view-models/map.js';
import { buildParagraphsVM } from './view-models/paragraphs.js';
import { buildReviewVM, docBase, pageOfBead, parseReviewQuery, queryString, shownBeads } from './view-models/review.js';
import { buildRowVM, MQM_CATEGORIES, SEVERITIES } from './view-models/row.js';
import { importDocumentFromForm, importVersionFromForm, IMPORT_TEXT_LIMIT, ENCODINGS, MODELS, realignAfterConfirmed, type ImportFormValues } from './view-models/import-form.js';

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

/** Async handlers: a rejection goes to the error handler. */
function h(fn: Handler): express.RequestHandler {
  return (req, res, next) => {
    Promise.resolve(fn(req, res, next)).catch(next);
  };
}

/** Views are compiled once (EJS keeps the compiled function); set NODE_ENV=development to edit live. */
const CACHE_VIEWS = process.env.NODE_ENV !== 'development';

/**
 * The names the page templates use. They are compiled without `with (locals)` and get these names
 * destructured instead: EJS's default `with` makes every lookup in the row loop slow (a 2,000-row
 * page renders about four times faster without it). A name missing here is a ReferenceError in tests.
 */
const TEMPLATE_LOCALS = [
  'vm', 'title', 'csrfToken', 'reviewer', 'doc', 'tab', 'base', 'back', 'backHref', 'selfHref', 'docs', 'values', 'errors',
  'encodings', 'models', 'limitText', 'sides', 'entries', 'prevHref', 'nextHref', 'map', 'targetLabel', 'sourceLabel',
  'versions', 'canImport', 'message', 'heading', 'status', 'baseRevision', 'currentRevision', 'changes', 'yourChange', 'live',
];

/** Renders a view of views/ (the folder app.ts configured) with the security locals. */
async function render(res: Response, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
  const file = join(String(res.app.get('views')), `${view}.ejs`);
  const data = { csrfToken: res.locals.csrfToken ?? '', reviewer: res.locals.reviewer ?? null, ...locals };
  const html = await ejs.renderFile(file, data, { cache: CACHE_VIEWS, _with: false, destructuredLocals: TEMPLATE_LOCALS });
  res.status(status).type('html').send(html);
}

function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function intField(v: unknown, what: string): number {
  const n = Number.parseInt(str(v), 10);
  if (!Number.isInteger(n) || String(n) !== str(v).trim()) throw new InvalidOperationError(`${what} must be a whole number`);
  return n;
}

function baseRevision(body: Record<string, unknown>): number | undefined {
  const s = str(body['baseRevision']).trim();
  if (!s) return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isInteger(n) && n >= 0 ? n : undefined;
}

const SIDES = new Set(['source', 'target']);
function side(v: string): 'source' | 'target' {
  if (!SIDES.has(v)) throw new InvalidOperationError(`side must be source or target, not “${v}”`);
  return v as 'source' | 'target';
}

/**
 * The operation a form posts. Buttons of the review table send `act=kind:beadId` (or
 * `kind:side:beadId` for moves); the row page's forms send `op` with named fields.
 */
export function opFromForm(body: Record<string, unknown>): ReviewOp {
  const act = str(body['act']);
  if (act) {
    const i = act.indexOf(':');
    const kind = i < 0 ? act : act.slice(0, i);
    const rest = i < 0 ? '' : act.slice(i + 1);
    switch (kind) {
      case 'confirm':
      case 'unconfirm':
      case 'confirmAbove':
      case 'merge':
      case 'flag':
        return { kind, beadId: rest };
      case 'shiftUp':
      case 'shiftDown':
      case 'detach': {
        const j = rest.indexOf(':');
        return { kind, side: side(rest.slice(0, j)), beadId: rest.slice(j + 1) };
      }
      default:
        throw new InvalidOperationError(`unknown action: ${kind}`);
    }
  }
  const op = str(body['op']);
  const beadId = str(body['beadId']);
  switch (op) {
    case 'confirm':
    case 'unconfirm':
    case 'confirmAbove':
    case 'merge':
    case 'flag':
      return { kind: op, beadId };
    case 'shiftUp':
    case 'shiftDown':
    case 'detach':
      return { kind: op, beadId, side: side(str(body['side'])) };
    case 'split':
      return { kind: 'split', beadId, sourceAt: intField(body['sourceAt'], 'sourceAt'), targetAt: intField(body['targetAt'], 'targetAt') };
    case 'editTarget': {
      const text = str(body['text']).replace(/\r\n?/g, '\n').normalize('NFC');
      if (text.length > 10_000) throw new InvalidOperationError('the sentence is too long (at most 10,000 characters)');
      return { kind: 'editTarget', sentence: intField(body['sentence'], 'sentence'), text };
    }
    case 'addIssue': {
      const category = str(body['category']) as MqmCategory;
      const severity = str(body['severity']) as Severity;
      if (!MQM_CATEGORIES.includes(category)) throw new InvalidOperationError(`unknown MQM category: ${category}`);
      if (!SEVERITIES.includes(severity)) throw new InvalidOperationError(`unknown severity: ${severity}`);
      const comment = str(body['comment']).trim();
      if (comment.length > 2000) throw new InvalidOperationError('the comment is too long (at most 2,000 characters)');
      return { kind: 'addIssue', beadId, category, severity, comment };
    }
    case 'setIssueStatus': {
      const status = str(body['status']);
      if (status !== 'open' && status !== 'resolved' && status !== 'dismissed') throw new InvalidOperationError(`unknown issue status: ${status}`);
      return { kind: 'setIssueStatus', issueId: str(body['issueId']), status };
    }
    default:
      throw new InvalidOperationError(op ? `unknown operation: ${op}` : 'no operation given');
  }
}

/** The bead an op is about (for the anchor to return to). */
function opBead(op: ReviewOp, body: Record<string, unknown>): string | null {
  if ('beadId' in op) return op.beadId;
  return str(body['beadId']) || null;
}

/** A return path inside this document only (no open redirect), without a fragment. */
function backTo(raw: unknown, base: string): string {
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

export function createPagesRouter(ctx: AppContext): express.Router {
  const router = express.Router();
  const store = ctx.store;

  const docOr404 = (id: string): Promise<ReviewDocument> => store.getDocument(id);
  const docHeader = (doc: ReviewDocument): { base: string; name: string; revision: number } => ({
    base: docBase(doc.id),
    name: doc.name,
    revision: doc.revision,
  });

  /** Answers a change: JSON for the script, else 303 back to the row. */
  const done = async (req: Request, res: Response, back: string, doc: ReviewDocument, beadId: string | null): Promise<void> => {
    const ids = new Set(doc.beads.map((b) => b.id));
    if (beadId !== null && !ids.has(beadId)) {
      // The row is gone (e.g. its only sentence moved up): return to the row that took it.
      const touched = (await store.history(doc.id, { limit: 1, newestFirst: true, changes: false }))[0]?.beadIds ?? [];
      const live = liveBack(back, docBase(doc.id), ids, touched);
      back = live.back;
      beadId = live.beadId ?? touched.find((b) => ids.has(b)) ?? null;
    }
    const exists = beadId !== null && ids.has(beadId);
    const location = exists ? `${back}#${rowAnchor(beadId!)}` : back;
    if (wantsJson(req)) {
      res.json({ ok: true, revision: doc.revision, location, beadId: exists ? beadId : null });
      return;
    }
    res.redirect(303, location);
  };

  /** The way back after a refused change: not to a row that has gone in the meantime. */
  const backAfterFailure = async (docId: string, back: string, candidates: readonly string[]): Promise<string> => {
    let ids: Set<string>;
    try {
      ids = new Set((await store.getDocument(docId)).beads.map((b) => b.id));
    } catch {
      return back;
    }
    return liveBack(back, docBase(docId), ids, candidates).back;
  };

  /**
   * 409: what changed since the poster's revision (and which change of theirs was refused); other
   * errors of an op: message and a way back. `docId` and `attempted` (the refused op) are optional.
   */
  const failed = async (
    req: Request,
    res: Response,
    err: unknown,
    back: string,
    base: number | undefined,
    next: NextFunction,
    docId?: string,
    attempted?: string | null,
  ): Promise<void> => {
    if (err instanceof ConflictError) {
      const changes = buildHistoryVM(err.changes);
      if (wantsJson(req)) {
        res.status(409).json({ error: err.message, status: 409, currentRevision: err.currentRevision, changes });
        return;
      }
      const backHref = docId ? await backAfterFailure(docId, back, err.changes.flatMap((c) => c.beadIds)) : back;
      await render(res, 'conflict', { message: err.message, baseRevision: base ?? '?', currentRevision: err.currentRevision, changes, backHref, yourChange: attempted ?? null }, 409);
      return;
    }
    if (err instanceof InvalidOperationError || err instanceof NotFoundError) {
      const status = err instanceof NotFoundError ? 404 : 422;
      if (wantsJson(req)) {
        res.status(status).json({ error: err.message, status });
        return;
      }
      const backHref = docId ? await backAfterFailure(docId, back, []) : back;
      await render(res, 'error', { title: 'Not done', heading: 'That change was not made', message: err.message, backHref }, status);
      return;
    }
    next(err);
  };

  router.get(
    '/',
    h(async (_req, res) => {
      await render(res, 'documents', { docs: buildDocumentsVM(await store.listDocuments()) });
    }),
  );

  router.get(
    '/reviewer',
    h(async (req, res) => {
      // The header's "change" link has no returnTo: go back to the page it was clicked on.
      const from = req.query['returnTo'] ?? req.get('referer')?.replace(/^https?:\/\/[^/]+/, '');
      const back = safeReturnTo(from, '/');
      await render(res, 'reviewer', { back: back.startsWith('/reviewer') ? '/' : back });
    }),
  );

  // ── import ──
  const emptyImport = (): ImportFormValues => ({
    name: '',
    targetLang: 'zh',
    sourceLang: 'en',
    targetText: '',
    sourceText: '',
    targetEncoding: 'auto',
    sourceEncoding: 'auto',
    model: 'auto',
  });
  const importLocals = (values: ImportFormValues, errors: string[]): Record<string, unknown> => ({
    title: 'Import',
    values,
    errors,
    encodings: ENCODINGS,
    models: MODELS,
    limitText: `${Math.round(IMPORT_TEXT_LIMIT / 1_000_000)} million characters`,
    sides: [
      { key: 'target', legend: 'Translation (target)' },
      { key: 'source', legend: 'Original (source)' },
    ],
  });
  router.get(
    '/import',
    h(async (_req, res) => {
      await render(res, 'import', importLocals(emptyImport(), []));
    }),
  );
  router.post(
    '/import',
    h(async (req, res) => {
      const result = await importDocumentFromForm(ctx, req, authorOf(res));
      if (!result.ok) {
        if (wantsJson(req)) {
          res.status(422).json({ error: result.errors.join(' '), errors: result.errors, status: 422 });
          return;
        }
        await render(res, 'import', importLocals(result.values, result.errors), 422);
        return;
      }
      if (wantsJson(req)) {
        res.status(201).json({ ok: true, id: result.id, location: docBase(result.id) });
        return;
      }
      res.redirect(303, docBase(result.id));
    }),
  );

  // ── one document ──
  router.get(
    '/docs/:id',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      const query = parseReviewQuery(req.query as Record<string, unknown>);
      // Markers only for the rows shown: QA runs on those (cached per row content).
      const shown = shownBeads(doc, query);
      const findings = findingsForRows(doc, shown);
      const vm = buildReviewVM(doc, query, findings);
      await render(res, 'review', { title: doc.name, vm });
    }),
  );

  // Jump to a row: the page that holds it (keeping filters when the row matches them).
  router.get(
    '/docs/:id/go/:beadId',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      const beadId = String(req.params['beadId']);
      if (!doc.beads.some((b) => b.id === beadId)) throw new NotFoundError(`row ${beadId} does not exist (it may have been merged or re-aligned)`);
      let query = parseReviewQuery(req.query as Record<string, unknown>);
      let page = pageOfBead(doc, beadId, query);
      if (page === null) {
        query = { ...query, filter: 'all', below: null, q: '' };
        page = pageOfBead(doc, beadId, query) ?? 1;
      }
      res.redirect(303, `${docBase(doc.id)}${queryString({ ...query, page })}#${rowAnchor(beadId)}`);
    }),
  );

  // The next row to review after a given one (wrapping around), or the first one.
  router.get(
    '/docs/:id/next',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      const after = doc.beads.findIndex((b) => b.id === str(req.query['after']));
      const order = [...doc.beads.slice(after + 1), ...doc.beads.slice(0, after + 1)];
      const next = order.find((b) => b.status !== 'confirmed');
      const base = docBase(doc.id);
      res.redirect(303, next ? `${base}/go/${encodeURIComponent(next.id)}` : base);
    }),
  );

  router.get(
    '/docs/:id/rows/:beadId',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      const beadId = String(req.params['beadId']);
      const vm = buildRowVM(doc, beadId);
      if (!vm) throw new NotFoundError(`row ${beadId} does not exist (it may have been merged or re-aligned)`);
      const base = docBase(doc.id);
      const query = parseReviewQuery(req.query as Record<string, unknown>);
      await render(res, 'row', {
        vm,
        base,
        backHref: `${base}/go/${encodeURIComponent(beadId)}${queryString({ ...query, page: 1 })}`,
        selfHref: `${base}/rows/${encodeURIComponent(beadId)}${queryString({ ...query, page: 1 })}`,
      });
    }),
  );

  router.post(
    '/docs/:id/op',
    h(async (req, res, next) => {
      const id = String(req.params['id']);
      const base = docBase(id);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const back = backTo(body['back'], base);
      const rev = baseRevision(body);
      let op: ReviewOp | null = null;
      try {
        op = opFromForm(body);
        const doc = await store.apply(id, op, { author: authorOf(res), baseRevision: rev });
        await done(req, res, back, doc, opBead(op, body));
      } catch (err) {
        await failed(req, res, err, back, rev, next, id, op ? describeOp(op) : null);
      }
    }),
  );

  for (const kind of ['undo', 'redo'] as const) {
    router.post(
      `/docs/:id/${kind}`,
      h(async (req, res, next) => {
        const id = String(req.params['id']);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const back = backTo(body['back'], docBase(id));
        const rev = baseRevision(body);
        try {
          const opts = { author: authorOf(res), baseRevision: rev };
          const doc = kind === 'undo' ? await store.undo(id, opts) : await store.redo(id, opts);
          await done(req, res, back, doc, null);
        } catch (err) {
          await failed(req, res, err, back, rev, next, id, kind === 'undo' ? 'undo the last change' : 'redo the last undone change');
        }
      }),
    );
  }

  router.post(
    '/docs/:id/realign',
    h(async (req, res, next) => {
      const id = String(req.params['id']);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const back = str(body['back']) === '/' ? '/' : backTo(body['back'], docBase(id));
      const rev = baseRevision(body);
      try {
        const doc = await realignAfterConfirmed(ctx, id, { author: authorOf(res), baseRevision: rev });
        await done(req, res, back, doc, null);
      } catch (err) {
        await failed(req, res, err, back, rev, next, id, 're-align the rows after the last confirmed one');
      }
    }),
  );

  router.get(
    '/docs/:id/history',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      const limit = 200;
      const offset = Math.max(0, Number.parseInt(str(req.query['offset']), 10) || 0);
      // Newest first: the Store lists oldest first (replay order), so the list is reversed here.
      const entries = buildHistoryVM(await store.history(doc.id, { newestFirst: true, offset, limit: limit + 1, changes: false }));
      const base = docBase(doc.id);
      await render(res, 'history', {
        doc: docHeader(doc),
        entries: entries.slice(0, limit),
        // Rows merged away or re-aligned since are shown without a link (it would answer 404).
        live: new Set(doc.beads.map((b) => b.id)),
        prevHref: offset > 0 ? `${base}/history?offset=${Math.max(0, offset - limit)}` : null,
        nextHref: entries.length > limit ? `${base}/history?offset=${offset + limit}` : null,
      });
    }),
  );

  router.get(
    '/docs/:id/paragraphs',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      await render(res, 'paragraphs', { doc: docHeader(doc), vm: buildParagraphsVM(doc) });
    }),
  );

  router.get(
    '/docs/:id/map',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      const base = docBase(doc.id);
      const map = buildMapVM(doc, (beadId) => `${base}/go/${encodeURIComponent(beadId)}`);
      const rvm = buildRowLabels(doc);
      await render(res, 'map', { doc: docHeader(doc), map, ...rvm });
    }),
  );

  // ── versions ──
  const versionsLocals = (doc: ReviewDocument, values: Record<string, string>, errors: string[]): Record<string, unknown> => ({
    doc: docHeader(doc),
    versions: doc.versions.map((v) => ({ id: v.id, name: v.name, lang: v.lang, rows: Object.values(v.textByBead).filter((t) => t !== '').length })),
    values,
    errors,
    encodings: ENCODINGS,
    canImport: true,
    ...buildRowLabels(doc),
  });
  router.get(
    '/docs/:id/versions',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      await render(res, 'versions', versionsLocals(doc, { name: '', lang: doc.target.lang, text: '', encoding: 'auto' }, []));
    }),
  );
  router.post(
    '/docs/:id/versions/import',
    h(async (req, res, next) => {
      const id = String(req.params['id']);
      const base = docBase(id);
      const rev = baseRevision((req.body ?? {}) as Record<string, unknown>);
      try {
        const result = await importVersionFromForm(ctx, id, req, authorOf(res));
        if (!result.ok) {
          const doc = await docOr404(id);
          if (wantsJson(req)) {
            res.status(422).json({ error: result.errors.join(' '), errors: result.errors, status: 422 });
            return;
          }
          await render(res, 'versions', versionsLocals(doc, result.values, result.errors), 422);
          return;
        }
        const location = `${base}?version=${encodeURIComponent(result.versionId)}`;
        if (wantsJson(req)) {
          res.status(201).json({ ok: true, versionId: result.versionId, location });
          return;
        }
        res.redirect(303, location);
      } catch (err) {
        await failed(req, res, err, `${base}/versions`, rev, next);
      }
    }),
  );

  // ── delete (a confirmation page first, so it works without JavaScript) ──
  router.get(
    '/docs/:id/delete',
    h(async (req, res) => {
      const doc = await docOr404(String(req.params['id']));
      await render(res, 'delete', { doc: docHeader(doc) });
    }),
  );
  router.post(
    '/docs/:id/delete',
    h(async (req, res) => {
      const id = String(req.params['id']);
      const body = (req.body ?? {}) as Record<string, unknown>;
      if (str(body['confirm']) !== 'yes') {
        res.redirect(303, `${docBase(id)}/delete`);
        return;
      }
      await docOr404(id);
      await store.deleteDocument(id);
      if (wantsJson(req)) {
        res.json({ ok: true, location: '/' });
        return;
      }
      res.redirect(303, '/');
    }),
  );

  return router;
}

function buildRowLabels(doc: ReviewDocument): { targetLabel: string; sourceLabel: string } {
  const label = (l: string): string => (l.startsWith('zh') ? 'Chinese' : l.startsWith('en') ? 'English' : l);
  return { targetLabel: label(doc.target.lang), sourceLabel: label(doc.source.lang) };
}

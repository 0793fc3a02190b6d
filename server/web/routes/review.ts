/**
 * The review rows of a document, and the changes made on them from the pages. Every change is a
 * plain POST form answered with a 303 back to the row; public/review.js posts the same forms with
 * Accept: application/json and puts the changed rows the answer carries in place (no page load).
 * A change needs the reviewer's name (asked once, controllers/change-answer.ts).
 *
 *   GET  /documents/:id                     the review page (?filter, below, q, page, version)
 *   GET  /documents/:id/go/:beadId          the page that holds a row (keeping the filters when it matches them)
 *   GET  /documents/:id/at/:n               row number n (go to row)
 *   GET  /documents/:id/next                the next row to review (?after=beadId), wrapping around
 *   GET  /documents/:id/rows/:beadId        one row: split, move, edit, segmentation, issues, findings (works without JavaScript)
 *   GET  /documents/:id/rows/:beadId/panel  the same row opened in place on the review page (an HTML fragment)
 *   POST /documents/:id/op                  a review operation (form fields, see controllers/op-form.ts)
 *   POST /documents/:id/undo | /redo        scope=author: the reviewer's own last change; else the document's
 *   GET  /documents/:id/realign             what a re-alignment keeps and changes (?from=beadId), and the button
 *   POST /documents/:id/realign             confirm=yes, from=beadId (optional): a job, whose page lands on the re-aligned rows
 */
import express from 'express';
import { z } from 'zod';
import type { ReviewOp } from '../../domain.js';
import { applyScoredOp } from '../../import/scored-op.js';
import { isFixedRow, MQM_CATEGORIES, SEVERITIES } from '../../review/index.js';
import { checkRealignable } from '../../review/realign.js';
import { NotFoundError } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { answerChange, answerRefusal, askForReviewer, backTo } from '../controllers/change-answer.js';
import { answerJob } from '../controllers/job-answer.js';
import { opFromForm } from '../controllers/op-form.js';
import { renderPage, renderView } from '../render.js';
import { documentParams, formRevision, rowParams } from '../schemas.js';
import { authorOf } from '../security.js';
import { route } from '../validate.js';
import { docBase, docHeader, rowAnchor } from '../view-models/common.js';
import { findingsForRows } from '../view-models/findings.js';
import { describeAttempt } from '../view-models/history.js';
import { LEGEND } from '../view-models/marks.js';
import { buildReviewVM, pageOfBead, parseReviewQuery, queryString, shownBeads } from '../view-models/review.js';
import { buildRowVM } from '../view-models/row.js';

/** The review page's filters; anything it does not know falls back to the default view. */
const reviewQuery = z.record(z.string(), z.unknown()).transform(parseReviewQuery);

/** What every change form posts besides its own fields: the way back and the revision it was made on. */
const changeForm = z.looseObject({ back: z.string().optional(), baseRevision: formRevision });

const stepForm = z.looseObject({ back: z.string().optional(), baseRevision: formRevision, scope: z.enum(['author', 'document']).catch('document') });

const realignForm = z.looseObject({ back: z.string().optional(), baseRevision: formRevision, confirm: z.string().optional(), from: z.string().max(200).optional() });

const rowGone = (beadId: string): NotFoundError => new NotFoundError(`row ${beadId} does not exist (it may have been merged or re-aligned)`);

export function createReviewRouter({ store, jobs }: AppContext): express.Router {
  const router = express.Router();

  router.get(
    '/documents/:id',
    route({ params: documentParams, query: reviewQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      // Marks only for the rows shown: QA runs on those (cached per row content), with the document's glossary.
      const findings = findingsForRows(doc, shownBeads(doc, query), await store.documentGlossary(doc.id));
      const set = await store.translationSetOf(doc.id);
      const translationSet = set && set.documents.length > 1 ? { href: `/sets/${encodeURIComponent(set.id)}`, count: set.documents.length } : null;
      await renderPage(res, 'review', { title: doc.name, vm: buildReviewVM(doc, query, findings), legend: LEGEND, categories: MQM_CATEGORIES, severities: SEVERITIES, translationSet });
    }),
  );

  router.get(
    '/documents/:id/go/:beadId',
    route({ params: rowParams, query: reviewQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const { beadId } = params;
      if (!doc.beads.some((b) => b.id === beadId)) throw rowGone(beadId);
      let shown = query;
      let page = pageOfBead(doc, beadId, shown);
      if (page === null) {
        shown = { ...query, filter: 'all', below: null, q: '' };
        page = pageOfBead(doc, beadId, shown) ?? 1;
      }
      res.redirect(303, `${docBase(doc.id)}${queryString({ ...shown, page })}#${rowAnchor(beadId)}`);
    }),
  );

  router.get(
    '/documents/:id/at/:n',
    route({ params: z.object({ id: documentParams.shape.id, n: z.coerce.number().int().min(1) }), query: reviewQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const bead = doc.beads[Math.min(params.n, doc.beads.length) - 1];
      if (!bead) throw new NotFoundError('the document has no rows');
      res.redirect(303, `${docBase(doc.id)}/go/${encodeURIComponent(bead.id)}${queryString({ ...query, page: 1 })}`);
    }),
  );

  router.get(
    '/documents/:id/next',
    route({ params: documentParams, query: z.object({ after: z.string().optional() }) }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const after = doc.beads.findIndex((b) => b.id === query.after);
      const order = [...doc.beads.slice(after + 1), ...doc.beads.slice(0, after + 1)];
      const next = order.find((b) => b.status !== 'confirmed');
      const base = docBase(doc.id);
      res.redirect(303, next ? `${base}/go/${encodeURIComponent(next.id)}` : base);
    }),
  );

  const rowVM = async (id: string, beadId: string) => {
    const doc = await store.getDocument(id);
    const bead = doc.beads.find((b) => b.id === beadId);
    const vm = bead ? buildRowVM(doc, beadId, findingsForRows(doc, [bead], await store.documentGlossary(doc.id)) ?? []) : null;
    if (!vm) throw rowGone(beadId);
    return { doc, vm };
  };

  router.get(
    '/documents/:id/rows/:beadId',
    route({ params: rowParams, query: reviewQuery }, async ({ params, query }, _req, res) => {
      const { doc, vm } = await rowVM(params.id, params.beadId);
      const base = docBase(doc.id);
      const row = encodeURIComponent(params.beadId);
      const rest = queryString({ ...query, page: 1 });
      await renderPage(res, 'row', { vm, base, backHref: `${base}/go/${row}${rest}`, selfHref: `${base}/rows/${row}${rest}` });
    }),
  );

  router.get(
    '/documents/:id/rows/:beadId/panel',
    route({ params: rowParams }, async ({ params }, _req, res) => {
      const { vm } = await rowVM(params.id, params.beadId);
      res.type('html').send(await renderView(res, 'partials/row-panel', { vm }));
    }),
  );

  router.post(
    '/documents/:id/op',
    route({ params: documentParams, body: changeForm }, async ({ params, body }, req, res, next) => {
      const back = backTo(body.back, docBase(params.id));
      if (askForReviewer(req, res, back)) return;
      let op: ReviewOp | null = null;
      try {
        op = opFromForm(body);
        const result = await applyScoredOp(store, params.id, op, { author: authorOf(res), ...(body.baseRevision !== undefined ? { baseRevision: body.baseRevision } : {}) });
        // The row the op was about (a form about an issue or a sentence names its row too), to return to.
        const beadId = 'beadId' in op ? op.beadId : typeof body.beadId === 'string' && body.beadId ? body.beadId : null;
        await answerChange(store, req, res, back, result, beadId);
      } catch (err) {
        const doc = await store.getDocument(params.id).catch(() => null);
        await answerRefusal(store, req, res, next, err, { back, baseRevision: body.baseRevision, docId: params.id, attempted: op ? describeAttempt(op, doc) : null });
      }
    }),
  );

  for (const direction of ['undo', 'redo'] as const) {
    router.post(
      `/documents/:id/${direction}`,
      route({ params: documentParams, body: stepForm }, async ({ params, body }, req, res, next) => {
        const back = backTo(body.back, docBase(params.id));
        if (askForReviewer(req, res, back)) return;
        try {
          const opts = { author: authorOf(res), ...(body.baseRevision !== undefined ? { baseRevision: body.baseRevision } : {}) };
          const result = await store.change(params.id, { step: direction, scope: body.scope }, opts);
          await answerChange(store, req, res, back, result, null);
        } catch (err) {
          const mine = body.scope === 'author' ? ' of yours' : '';
          const attempted = direction === 'undo' ? `undo the last change${mine}` : `redo the last undone change${mine}`;
          await answerRefusal(store, req, res, next, err, { back, baseRevision: body.baseRevision, docId: params.id, attempted });
        }
      }),
    );
  }

  router.get(
    '/documents/:id/realign',
    route({ params: documentParams, query: z.object({ from: z.string().max(200).optional() }) }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const from = query.from ? doc.beads.findIndex((b) => b.id === query.from) : -1;
      if (query.from && from < 0) throw rowGone(query.from);
      const fixed = { confirmed: 0, flagged: 0, hand: 0 };
      for (const b of doc.beads) {
        if (b.status === 'confirmed') fixed.confirmed++;
        else if (b.status === 'flagged') fixed.flagged++;
        else if (b.origin === 'manual') fixed.hand++;
      }
      let open = 0;
      if (from >= 0) for (let k = from; k < doc.beads.length && !isFixedRow(doc.beads[k]!); k++) open++;
      else open = doc.beads.filter((b) => !isFixedRow(b)).length;
      const plan = { from: from >= 0 ? { id: query.from!, n: from + 1, fixed: isFixedRow(doc.beads[from]!) } : null, fixed, open, model: doc.model };
      await renderPage(res, 'realign', { title: `Re-align · ${doc.name}`, doc: docHeader(doc), plan, back: from >= 0 ? `${docBase(doc.id)}/go/${encodeURIComponent(query.from!)}` : docBase(doc.id) });
    }),
  );

  router.post(
    '/documents/:id/realign',
    route({ params: documentParams, body: realignForm }, async ({ params, body }, req, res, next) => {
      // The documents list posts this too, and goes back there.
      const back = body.back === '/' ? '/' : backTo(body.back, docBase(params.id));
      if (askForReviewer(req, res, back)) return;
      if (body.confirm !== 'yes') {
        // Re-align asks first (what it keeps, what it changes): the confirmation page.
        res.redirect(303, `${docBase(params.id)}/realign${body.from ? `?from=${encodeURIComponent(body.from)}` : ''}`);
        return;
      }
      try {
        // Nothing to re-align, or a fixed row to start from: refused here, before any job.
        const doc = await store.getDocument(params.id);
        checkRealignable(doc, body.from ? { from: body.from } : {});
        // Aligning runs as a job; its page shows the progress and lands on the re-aligned rows.
        const input = { docId: params.id, baseRevision: body.baseRevision ?? doc.revision, ...(body.from ? { from: body.from } : {}) };
        const job = await jobs.submit('realign', input, { owner: authorOf(res), label: `Re-align of “${doc.name}”${body.from ? ` from row ${doc.beads.findIndex((b) => b.id === body.from) + 1}` : ''}` });
        await answerJob(jobs, req, res, job, { api: false });
      } catch (err) {
        await answerRefusal(store, req, res, next, err, { back, baseRevision: body.baseRevision, docId: params.id, attempted: body.from ? 're-align from this row' : 're-align the rows nobody has decided on yet' });
      }
    }),
  );

  return router;
}

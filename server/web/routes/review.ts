/**
 * The review rows of a document, and the changes made on them from the pages. Every change is a
 * plain POST form answered with a 303 back to the row (public/review.js posts the same forms with
 * Accept: application/json and swaps the page in place).
 *
 *   GET  /documents/:id                the review page (?filter, below, q, page, version)
 *   GET  /documents/:id/go/:beadId     the page that holds a row (keeping the filters when it matches them)
 *   GET  /documents/:id/next           the next row to review (?after=beadId), wrapping around
 *   GET  /documents/:id/rows/:beadId   one row: split, move, edit, issues
 *   POST /documents/:id/op             a review operation (form fields, see controllers/op-form.ts)
 *   POST /documents/:id/undo | /redo
 *   POST /documents/:id/realign        re-align the rows after the last confirmed one
 */
import express from 'express';
import { z } from 'zod';
import type { ReviewOp } from '../../domain.js';
import { NotFoundError } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { answerChange, answerRefusal, backTo } from '../controllers/change-answer.js';
import { answerJob } from '../controllers/job-answer.js';
import { opFromForm } from '../controllers/op-form.js';
import { renderPage } from '../render.js';
import { documentParams, formRevision, rowParams } from '../schemas.js';
import { authorOf } from '../security.js';
import { route } from '../validate.js';
import { docBase, rowAnchor } from '../view-models/common.js';
import { findingsForRows } from '../view-models/findings.js';
import { describeOp } from '../view-models/history.js';
import { buildReviewVM, pageOfBead, parseReviewQuery, queryString, shownBeads } from '../view-models/review.js';
import { buildRowVM } from '../view-models/row.js';

/** The review page's filters; anything it does not know falls back to the default view. */
const reviewQuery = z.record(z.string(), z.unknown()).transform(parseReviewQuery);

/** What every change form posts besides its own fields: the way back and the revision it was made on. */
const changeForm = z.looseObject({ back: z.string().optional(), baseRevision: formRevision });

const rowGone = (beadId: string): NotFoundError => new NotFoundError(`row ${beadId} does not exist (it may have been merged or re-aligned)`);

export function createReviewRouter({ store, jobs }: AppContext): express.Router {
  const router = express.Router();

  router.get(
    '/documents/:id',
    route({ params: documentParams, query: reviewQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      // Markers only for the rows shown: QA runs on those (cached per row content).
      const findings = findingsForRows(doc, shownBeads(doc, query), await store.documentGlossary(doc.id));
      await renderPage(res, 'review', { title: doc.name, vm: buildReviewVM(doc, query, findings) });
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

  router.get(
    '/documents/:id/rows/:beadId',
    route({ params: rowParams, query: reviewQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const vm = buildRowVM(doc, params.beadId);
      if (!vm) throw rowGone(params.beadId);
      const base = docBase(doc.id);
      const row = encodeURIComponent(params.beadId);
      const rest = queryString({ ...query, page: 1 });
      await renderPage(res, 'row', { vm, base, backHref: `${base}/go/${row}${rest}`, selfHref: `${base}/rows/${row}${rest}` });
    }),
  );

  router.post(
    '/documents/:id/op',
    route({ params: documentParams, body: changeForm }, async ({ params, body }, req, res, next) => {
      const back = backTo(body.back, docBase(params.id));
      let op: ReviewOp | null = null;
      try {
        op = opFromForm(body);
        const doc = await store.apply(params.id, op, { author: authorOf(res), baseRevision: body.baseRevision });
        // The row the op was about (a form about an issue names its row too), to return to.
        const beadId = 'beadId' in op ? op.beadId : typeof body.beadId === 'string' && body.beadId ? body.beadId : null;
        await answerChange(store, req, res, back, doc, beadId);
      } catch (err) {
        await answerRefusal(store, req, res, next, err, { back, baseRevision: body.baseRevision, docId: params.id, attempted: op ? describeOp(op) : null });
      }
    }),
  );

  for (const direction of ['undo', 'redo'] as const) {
    router.post(
      `/documents/:id/${direction}`,
      route({ params: documentParams, body: changeForm }, async ({ params, body }, req, res, next) => {
        const back = backTo(body.back, docBase(params.id));
        try {
          const opts = { author: authorOf(res), baseRevision: body.baseRevision };
          const doc = direction === 'undo' ? await store.undo(params.id, opts) : await store.redo(params.id, opts);
          await answerChange(store, req, res, back, doc, null);
        } catch (err) {
          const attempted = direction === 'undo' ? 'undo the last change' : 'redo the last undone change';
          await answerRefusal(store, req, res, next, err, { back, baseRevision: body.baseRevision, docId: params.id, attempted });
        }
      }),
    );
  }

  router.post(
    '/documents/:id/realign',
    route({ params: documentParams, body: changeForm }, async ({ params, body }, req, res, next) => {
      // The documents list posts this too, and goes back there.
      const back = body.back === '/' ? '/' : backTo(body.back, docBase(params.id));
      try {
        // Aligning runs as a job; its page shows the progress and lands on the document.
        const doc = await store.getDocument(params.id);
        const job = await jobs.submit('realign', { docId: params.id, baseRevision: body.baseRevision ?? doc.revision }, { owner: authorOf(res), label: `Re-align of “${doc.name}”` });
        await answerJob(jobs, req, res, job, { api: false });
      } catch (err) {
        await answerRefusal(store, req, res, next, err, { back, baseRevision: body.baseRevision, docId: params.id, attempted: 're-align the rows after the last confirmed one' });
      }
    }),
  );

  return router;
}

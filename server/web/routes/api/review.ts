/**
 * Changes to a document over the JSON API. Each answers the new revision and the history entry it
 * made (the page script updates rows in place from it); a change against an old revision that
 * touches what changed since is a 409 listing those changes (errors.ts).
 *
 *   POST /api/documents/:id/ops       {op, baseRevision?}   op as parseOp reads it (server/review/validate.ts);
 *                                     rows it aligns by hand get the model's score (import/scored-op.ts)
 *   POST /api/documents/:id/undo      {baseRevision?, scope?}   scope 'author': the caller's own last change
 *   POST /api/documents/:id/redo      {baseRevision?, scope?}
 *   POST /api/documents/:id/realign   {model?, from?, baseRevision?}   the rows nobody decided on (from a row to the
 *                                     next fixed one), as a job: 202 {job}; with `Prefer: wait=N`, done in time:
 *                                     the change's answer with `changedRows` (0: every row stayed as it was)
 *
 * The author is the reviewer cookie or the X-Reviewer header (security.ts).
 */
import express from 'express';
import type { HistoryEntry, ReviewDocument } from '../../../domain.js';
import { applyScoredOp } from '../../../import/scored-op.js';
import { checkRealignable } from '../../../review/realign.js';
import type { ChangeResult, Store } from '../../../store/store.js';
import type { AppContext } from '../../context.js';
import { documentParams, jsonRevision, optionalString, reviewOp } from '../../schemas.js';
import { authorOf } from '../../security.js';
import { fields, route } from '../../validate.js';
import { z } from 'zod';
import { answerJob, jobJson } from '../../controllers/job-answer.js';
import { checkModel } from '../../../import/index.js';

/** What a change answers: the new revision and the history entry it made. */
function answerOf(result: ChangeResult): { revision: number; updatedAt: string; entry: HistoryEntry } {
  return { revision: result.doc.revision, updatedAt: result.doc.updatedAt, entry: result.entry };
}

/** The same for a change a job made (its newest history entry). */
async function changeResult(store: Store, doc: ReviewDocument): Promise<{ revision: number; updatedAt: string; entry: HistoryEntry | null }> {
  const [entry] = await store.history(doc.id, { limit: 1, newestFirst: true, changes: false });
  return { revision: doc.revision, updatedAt: doc.updatedAt, entry: entry ?? null };
}

/** Leaves `baseRevision` out when it was not given (the store then applies to the current revision). */
const seen = (baseRevision: number | undefined): { baseRevision?: number } => (baseRevision !== undefined ? { baseRevision } : {});

export function createApiReviewRouter(ctx: AppContext): express.Router {
  const { store } = ctx;
  const router = express.Router();

  router.post(
    '/documents/:id/ops',
    route({ params: documentParams, body: fields({ op: reviewOp, baseRevision: jsonRevision }) }, async ({ params, body }, _req, res) => {
      res.json(answerOf(await applyScoredOp(store, params.id, body.op, { author: authorOf(res), ...seen(body.baseRevision) })));
    }),
  );

  for (const direction of ['undo', 'redo'] as const) {
    router.post(
      `/documents/:id/${direction}`,
      route({ params: documentParams, body: fields({ baseRevision: jsonRevision, scope: z.enum(['author', 'document']).optional() }) }, async ({ params, body }, _req, res) => {
        const step = { step: direction, ...(body.scope ? { scope: body.scope } : {}) };
        res.json(answerOf(await store.change(params.id, step, { author: authorOf(res), ...seen(body.baseRevision) })));
      }),
    );
  }

  router.post(
    '/documents/:id/realign',
    route({ params: documentParams, body: fields({ model: optionalString('model', 40), from: optionalString('from', 200), baseRevision: jsonRevision }) }, async ({ params, body }, req, res) => {
      const doc = await store.getDocument(params.id); // 404 before any job
      if (body.model) checkModel(body.model);
      checkRealignable(doc, body.from ? { from: body.from } : {});
      const job = await ctx.jobs.submit(
        'realign',
        { docId: params.id, ...seen(body.baseRevision ?? doc.revision), ...(body.model ? { model: body.model } : {}), ...(body.from ? { from: body.from } : {}) },
        { owner: authorOf(res), label: `Re-align of “${doc.name}”` },
      );
      await answerJob(ctx.jobs, req, res, job, {
        api: true,
        done: async (end) => {
          const after = await store.getDocument(params.id);
          const realigned = end.result?.realigned;
          res.json({ ...(await changeResult(store, after)), beads: after.beads.length, model: realigned?.model ?? after.model, changedRows: realigned?.rows ?? 0, job: jobJson(end) });
        },
      });
    }),
  );

  return router;
}

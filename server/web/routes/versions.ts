/**
 * Further target versions of a document (e.g. an official translation), aligned to its source.
 *
 *   GET  /documents/:id/versions          the list and the import form
 *   POST /documents/:id/versions/import   multipart: name, lang, file or text, encoding
 *                                         (fields checked by controllers/import-form.ts)
 */
import express from 'express';
import type { ReviewDocument } from '../../domain.js';
import type { AppContext } from '../context.js';
import { answerRefusal, wantsJson } from '../controllers/change-answer.js';
import { ENCODINGS, importVersionFromForm } from '../controllers/import-form.js';
import { answerJob } from '../controllers/job-answer.js';
import { renderPage } from '../render.js';
import { documentParams } from '../schemas.js';
import { authorOf } from '../security.js';
import { route } from '../validate.js';
import { docBase, docHeader, sideLabels } from '../view-models/common.js';

function versionsPage(doc: ReviewDocument, values: Record<string, string>, errors: string[]): Record<string, unknown> {
  return {
    doc: docHeader(doc),
    versions: doc.versions.map((v) => ({ id: v.id, name: v.name, lang: v.lang, rows: Object.values(v.textByBead).filter((t) => t !== '').length })),
    values,
    errors,
    encodings: ENCODINGS,
    canImport: true,
    ...sideLabels(doc),
  };
}

export function createVersionsRouter(ctx: AppContext): express.Router {
  const router = express.Router();
  const { store } = ctx;

  router.get(
    '/documents/:id/versions',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      await renderPage(res, 'versions', versionsPage(doc, { name: '', lang: doc.target.lang, text: '', encoding: 'auto' }, []));
    }),
  );

  router.post(
    '/documents/:id/versions/import',
    route({ params: documentParams }, async ({ params }, req, res, next) => {
      const base = docBase(params.id);
      try {
        const result = await importVersionFromForm(ctx, params.id, req, authorOf(res));
        if (!result.ok) {
          const doc = await store.getDocument(params.id);
          if (wantsJson(req)) {
            res.status(422).json({ error: result.errors.join(' '), errors: result.errors, status: 422 });
            return;
          }
          await renderPage(res, 'versions', versionsPage(doc, result.values, result.errors), 422);
          return;
        }
        // Aligned by a job: its page shows the progress and lands on the versions page.
        await answerJob(ctx.jobs, req, res, result.job, { api: false });
      } catch (err) {
        await answerRefusal(store, req, res, next, err, { back: `${base}/versions`, baseRevision: undefined });
      }
    }),
  );

  return router;
}

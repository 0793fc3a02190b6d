/**
 * Documents over the JSON API.
 *
 *   GET    /api/documents        the list (summaries)
 *   POST   /api/documents        import two texts: {name, source|en|sourceBase64…, target|zh|targetBase64…,
 *                                sourceLang, targetLang (default auto: detected from each text), encoding (default auto), model, presplit, project}: checked at once
 *                                (422/413), then aligned by a job → 202 {job} with Location /api/jobs/:id;
 *                                with `Prefer: wait=N` and the job done in N s → 201 {id, revision, beads, model, job}
 *   GET    /api/documents/:id    the whole document
 *   DELETE /api/documents/:id    204
 */
import express from 'express';
import { z } from 'zod';
import type { ReviewDocument } from '../../../domain.js';
import { checkImport, type ImportInput, MAX_PROJECT_CHARS } from '../../../import/index.js';
import { answerJob, jobJson } from '../../controllers/job-answer.js';
import type { AppContext } from '../../context.js';
import { documentParams, optionalString } from '../../schemas.js';
import { authorOf } from '../../security.js';
import { fields, route } from '../../validate.js';
import { nameField, pickText, textFields } from './texts.js';

const importBody = fields({
  name: nameField('document'),
  ...textFields(['source', 'en', 'target', 'zh']),
  sourceLang: optionalString('sourceLang', 20),
  targetLang: optionalString('targetLang', 20),
  encoding: optionalString('encoding', 40),
  model: optionalString('model', 40),
  presplit: z.boolean({ error: '"presplit" must be true or false.' }).optional(),
  project: optionalString('project', MAX_PROJECT_CHARS),
}).transform((b, ctx): ImportInput => {
  const source = pickText(b, ['source', 'en'], ctx, 'The source (English) text is missing (field "source").');
  const target = pickText(b, ['target', 'zh'], ctx, 'The target (Chinese) text is missing (field "target").');
  return {
    name: b.name,
    source,
    target,
    ...(b.sourceLang ? { sourceLang: b.sourceLang } : {}),
    ...(b.targetLang ? { targetLang: b.targetLang } : {}),
    ...(b.encoding ? { encoding: b.encoding } : {}),
    ...(b.model ? { model: b.model } : {}),
    ...(b.presplit ? { presplit: true } : {}),
    ...(b.project ? { project: b.project } : {}),
  };
});

export function createApiDocumentsRouter(ctx: AppContext): express.Router {
  const { store } = ctx;
  const router = express.Router();
  // The store hands out the same object until the document changes: serialise it once.
  const serialised = new WeakMap<ReviewDocument, string>();

  router.get(
    '/documents',
    route({}, async (_input, _req, res) => {
      res.json({ documents: await store.listDocuments() });
    }),
  );

  router.post(
    '/documents',
    route({ body: importBody }, async ({ body }, req, res) => {
      // A refusal (ImportError) answers with its own status (errors.ts), before any job is made.
      const checked = checkImport(body);
      const author = authorOf(res);
      const job = await ctx.jobs.submit('import-texts', { ...checked, corpusKey: null }, { owner: author, label: `Import of “${checked.name}”` });
      await answerJob(ctx.jobs, req, res, job, {
        api: true,
        done: async (end) => {
          const id = end.result!.documents![0]!.id;
          const doc = await store.getDocument(id);
          res.status(201).location(`/api/documents/${id}`).json({ id, revision: doc.revision, beads: doc.beads.length, model: doc.model, job: jobJson(end) });
        },
      });
    }),
  );

  router.get(
    '/documents/:id',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      let json = serialised.get(doc);
      if (!json) {
        json = JSON.stringify(doc);
        serialised.set(doc, json);
      }
      res.type('json').send(json);
    }),
  );

  router.delete(
    '/documents/:id',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      await store.deleteDocument(params.id);
      res.status(204).end();
    }),
  );

  return router;
}

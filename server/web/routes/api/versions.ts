/**
 * A further target version over the JSON API, aligned to the document's source and stored.
 *
 *   POST /api/documents/:id/versions   {name, text|target|zh or textBase64…, lang?, encoding? (default auto), model?}
 *                                      → 202 {job} (aligned by a job); with `Prefer: wait=N`, done in time:
 *                                      201 {id, name, lang, revision, job}
 */
import express from 'express';
import { checkLang, checkModel, checkName, decodeInput, type VersionInput } from '../../../import/index.js';
import { answerJob, jobJson } from '../../controllers/job-answer.js';
import type { AppContext } from '../../context.js';
import { documentParams, optionalString } from '../../schemas.js';
import { authorOf } from '../../security.js';
import { fields, route } from '../../validate.js';
import { nameField, pickText, textFields } from './texts.js';

const versionBody = fields({
  name: nameField('version'),
  ...textFields(['text', 'target', 'zh']),
  lang: optionalString('lang', 20),
  encoding: optionalString('encoding', 40),
  model: optionalString('model', 40),
}).transform((b, ctx): VersionInput => ({
  name: b.name,
  text: pickText(b, ['text', 'target', 'zh'], ctx, 'The version text is missing (field "text").'),
  ...(b.lang ? { lang: b.lang } : {}),
  ...(b.encoding ? { encoding: b.encoding } : {}),
  ...(b.model ? { model: b.model } : {}),
}));

export function createApiVersionsRouter(ctx: AppContext): express.Router {
  const { store } = ctx;
  const router = express.Router();
  router.post(
    '/documents/:id/versions',
    route({ params: documentParams, body: versionBody }, async ({ params, body }, req, res) => {
      const doc = await store.getDocument(params.id); // 404 before any work
      // The cheap checks at once (422); the aligning in a job.
      const name = checkName(body.name, 'version');
      const lang = checkLang(body.lang ?? doc.target.lang, 'version language');
      const text = decodeInput(body.text, 'version text', body.encoding);
      const job = await ctx.jobs.submit(
        'import-version',
        { docId: params.id, name, text, lang, ...(body.model ? { model: checkModel(body.model) } : {}) },
        { owner: authorOf(res), label: `Version “${name}” of “${doc.name}”` },
      );
      await answerJob(ctx.jobs, req, res, job, {
        api: true,
        done: async (end) => {
          const after = await store.getDocument(params.id);
          const v = after.versions[after.versions.length - 1]!;
          res.status(201).json({ id: v.id, name: v.name, lang: v.lang, revision: after.revision, job: jobJson(end) });
        },
      });
    }),
  );
  return router;
}

/**
 * A further target version over the JSON API, aligned to the document's source and stored.
 *
 *   POST /api/documents/:id/versions   {name, text|target|zh or textBase64…, lang?, encoding?, model?}
 *                                      → 201 {id, name, lang, revision}
 */
import express from 'express';
import { importVersion, type VersionInput } from '../../../import/index.js';
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

export function createApiVersionsRouter({ store }: AppContext): express.Router {
  const router = express.Router();
  router.post(
    '/documents/:id/versions',
    route({ params: documentParams, body: versionBody }, async ({ params, body }, _req, res) => {
      await store.getDocument(params.id); // 404 before any work
      const doc = await importVersion(store, params.id, body, { author: authorOf(res) });
      const v = doc.versions[doc.versions.length - 1]!;
      res.status(201).json({ id: v.id, name: v.name, lang: v.lang, revision: doc.revision });
    }),
  );
  return router;
}

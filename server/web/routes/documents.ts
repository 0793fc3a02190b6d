/**
 * The documents: the list, and the views of one document that are not the review rows.
 *
 *   GET  /                            the documents list (progress, re-align, delete)
 *   GET  /documents/:id/paragraphs    paragraph pairs side by side
 *   GET  /documents/:id/map           the alignment map (each row a link to it)
 *   GET  /documents/:id/delete        the confirmation page (so delete works without JavaScript)
 *   POST /documents/:id/delete        confirm=yes
 */
import express from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { renderPage } from '../render.js';
import { documentParams } from '../schemas.js';
import { route } from '../validate.js';
import { docBase, docHeader, sideLabels } from '../view-models/common.js';
import { buildDocumentsVM } from '../view-models/documents.js';
import { buildMapVM } from '../view-models/map.js';
import { buildParagraphsVM } from '../view-models/paragraphs.js';

export function createDocumentsRouter({ store }: AppContext): express.Router {
  const router = express.Router();

  router.get(
    '/',
    route({}, async (_input, _req, res) => {
      await renderPage(res, 'documents', { docs: buildDocumentsVM(await store.listDocuments()), learntRows: await store.learntRows({ langs: 'zh-en' }) });
    }),
  );

  router.get(
    '/documents/:id/paragraphs',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      await renderPage(res, 'paragraphs', { doc: docHeader(doc), vm: buildParagraphsVM(doc) });
    }),
  );

  router.get(
    '/documents/:id/map',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const base = docBase(doc.id);
      const map = buildMapVM(doc, (beadId) => `${base}/go/${encodeURIComponent(beadId)}`);
      await renderPage(res, 'map', { doc: docHeader(doc), map, ...sideLabels(doc) });
    }),
  );

  router.get(
    '/documents/:id/delete',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      await renderPage(res, 'delete', { doc: docHeader(doc) });
    }),
  );

  router.post(
    '/documents/:id/delete',
    route({ params: documentParams, body: z.object({ confirm: z.string().optional() }) }, async ({ params, body }, req, res) => {
      if (body.confirm !== 'yes') {
        res.redirect(303, `${docBase(params.id)}/delete`);
        return;
      }
      await store.deleteDocument(params.id);
      if (wantsJson(req)) {
        res.json({ ok: true, location: '/' });
        return;
      }
      res.redirect(303, '/');
    }),
  );

  return router;
}

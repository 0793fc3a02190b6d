/**
 * A document's history page, newest first, 200 entries a page.
 *
 *   GET /documents/:id/history   ?offset=N
 */
import express from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { renderPage } from '../render.js';
import { documentParams } from '../schemas.js';
import { route } from '../validate.js';
import { docHeader } from '../view-models/common.js';
import { buildHistoryVM } from '../view-models/history.js';

const PAGE = 200;

/** A page link's offset; anything else shows the newest entries. */
const historyQuery = z.object({ offset: z.unknown().optional().transform((v) => Math.max(0, Number.parseInt(typeof v === 'string' ? v : '', 10) || 0)) });

export function createHistoryRouter({ store }: AppContext): express.Router {
  const router = express.Router();

  router.get(
    '/documents/:id/history',
    route({ params: documentParams, query: historyQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const { offset } = query;
      // Newest first: the Store lists oldest first (replay order) unless asked.
      const entries = buildHistoryVM(await store.history(doc.id, { newestFirst: true, offset, limit: PAGE + 1, changes: false }), doc);
      const header = docHeader(doc);
      await renderPage(res, 'history', {
        doc: header,
        entries: entries.slice(0, PAGE),
        prevHref: offset > 0 ? `${header.base}/history?offset=${Math.max(0, offset - PAGE)}` : null,
        nextHref: entries.length > PAGE ? `${header.base}/history?offset=${offset + PAGE}` : null,
      });
    }),
  );

  return router;
}

/**
 * The JSON API under /api, mirroring the pages' operations (used by scripts, tests and the page
 * script). Bodies are validated strictly: unknown fields or kinds → 400, a missing name or text → 422.
 * Mutations need the CSRF token (GET /api/csrf, then the x-csrf-token header with the cookie), like
 * every POST. Exports and file imports under /api are in routes/export.ts.
 *
 *   GET  /api/csrf
 *   /api/documents …             documents.ts   list, import two texts, get, delete
 *   /api/documents/:id/ops …     review.ts      ops, undo, redo, realign
 *   /api/documents/:id/history   history.ts
 *   /api/documents/:id/versions  versions.ts
 *   /api/documents/:id/words     words.ts       word alignment of rows
 *   /api/documents/:id/scorecard scorecard.ts (routes/)  quality scorecard
 *   /api/translation-sets …      sets.ts (routes/)      several translations of one original: import, rows, TMX
 */
import express from 'express';
import type { AppContext } from '../../context.js';
import { route } from '../../validate.js';
import { createApiDocumentsRouter } from './documents.js';
import { createApiHistoryRouter } from './history.js';
import { createApiReviewRouter } from './review.js';
import { createApiVersionsRouter } from './versions.js';
import { createApiWordsRouter } from './words.js';
import { createApiSetsRouter } from '../sets.js';

export function createApiRouter(ctx: AppContext): express.Router {
  const router = express.Router();
  router.get(
    '/csrf',
    route({}, (_input, _req, res) => {
      res.json({ token: res.locals.csrfToken as string });
    }),
  );
  router.use(createApiDocumentsRouter(ctx));
  router.use(createApiReviewRouter(ctx));
  router.use(createApiHistoryRouter(ctx));
  router.use(createApiVersionsRouter(ctx));
  router.use(createApiWordsRouter(ctx));
  router.use(createApiSetsRouter(ctx));
  return router;
}

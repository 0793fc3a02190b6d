/**
 * A document's history over the JSON API, oldest first (the order of replay) unless asked.
 *
 *   GET /api/documents/:id/history   ?limit=&offset=&order=asc|desc&since=R
 *       `since=R`: only the entries after revision R; each carries its own before/after, so a client
 *       can bring its copy up to date with applyChange instead of reloading the document.
 */
import express from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { documentParams } from '../../schemas.js';
import { route } from '../../validate.js';

const count = (name: string, max: number) =>
  z
    .string({ error: `"${name}" must be an integer from 0 to ${max}.` })
    .regex(/^\d{1,9}$/, `"${name}" must be an integer from 0 to ${max}.`)
    .transform(Number)
    .refine((n) => n <= max, `"${name}" must be an integer from 0 to ${max}.`);

const historyQuery = z.object({
  limit: count('limit', 100_000).default(100_000),
  offset: count('offset', 1_000_000_000).default(0),
  since: count('since', 1_000_000_000).optional(),
  order: z.enum(['asc', 'desc'], '"order" must be asc or desc.').default('asc'),
});

export function createApiHistoryRouter({ store }: AppContext): express.Router {
  const router = express.Router();
  router.get(
    '/documents/:id/history',
    route({ params: documentParams, query: historyQuery }, async ({ params, query }, _req, res) => {
      // A client catching up (the page's poll): the revision and the entries in one read.
      if (query.since !== undefined && query.order === 'asc' && query.offset === 0) {
        res.json(await store.changesSince(params.id, query.since, query.limit));
        return;
      }
      const entries = await store.history(params.id, {
        limit: query.limit,
        offset: query.offset,
        newestFirst: query.order === 'desc',
        ...(query.since !== undefined ? { sinceRevision: query.since } : {}),
      });
      res.json({ revision: (await store.getDocument(params.id)).revision, entries });
    }),
  );
  return router;
}

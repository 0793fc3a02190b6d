/**
 * The reviewer's name, asked once and kept in a cookie (recorded with every change).
 *
 *   GET  /reviewer   the form (?returnTo=… or the page it was opened from)
 *   POST /reviewer   name=…, returnTo=…   (JSON answer on Accept: application/json)
 */
import express from 'express';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { renderPage } from '../render.js';
import { cleanReviewerName, refererPath, safeReturnTo, setReviewerCookie } from '../security.js';
import { missing, route } from '../validate.js';
import { wantsJson } from '../controllers/change-answer.js';

const reviewerName = z.unknown().optional().transform((v, ctx) => {
  const name = cleanReviewerName(v);
  if (name === null) missing(ctx, 'Please give a name of 1 to 80 characters.');
  return name ?? z.NEVER;
});

export function createReviewerRouter(_ctx: AppContext): express.Router {
  const router = express.Router();

  router.get(
    '/reviewer',
    route({ query: z.object({ returnTo: z.string().optional() }) }, async ({ query }, req, res) => {
      // The header's "change" link has no returnTo: go back to the page it was clicked on.
      const back = safeReturnTo(query.returnTo ?? refererPath(req), '/');
      await renderPage(res, 'reviewer', { back: back.startsWith('/reviewer') ? '/' : back });
    }),
  );

  router.post(
    '/reviewer',
    route({ body: z.object({ name: reviewerName, returnTo: z.string().optional() }) }, ({ body }, req, res) => {
      const { name } = body;
      setReviewerCookie(res, name);
      res.locals.reviewer = name;
      if (wantsJson(req)) {
        res.json({ reviewer: name });
        return;
      }
      res.redirect(303, safeReturnTo(body.returnTo ?? refererPath(req), '/'));
    }),
  );

  return router;
}

/**
 * Old addresses: the pages of a document lived under /docs/:id before they moved to /documents/:id.
 * Links and bookmarks to them still work: GET and HEAD answer 301 (moved for good), other methods 308
 * (a form posted from a page loaded before the move is posted again, unchanged, to the new address).
 */
import express from 'express';

export function createLegacyRouter(): express.Router {
  const router = express.Router();
  router.all(['/docs/:id', '/docs/:id/*rest'], (req, res) => {
    const moved = `/documents${req.originalUrl.slice('/docs'.length)}`;
    res.redirect(req.method === 'GET' || req.method === 'HEAD' ? 301 : 308, moved);
  });
  return router;
}

/**
 * The word alignment of a document's rows (server/words): which words of the source correspond to
 * which of the target, for the review page's word highlighting and for scripts.
 *
 *   GET /api/documents/:id/words?beads=b1,b2   (default: every row; at most 1,000 rows a request)
 *   → { revision, langs: { source, target }, beads: { [beadId]: { source, target, links, score } }, missing: [beadId] }
 *
 * Rows named but no longer in the document (another reviewer merged or split them since the page was
 * drawn) are listed in `missing` rather than failing the whole request: a page open during review
 * asks for rows that change under it all the time.
 *
 * Words give the row's n-th sentence of their side and offsets in that sentence's text (the sentences
 * the page shows); links are [source word, target word, score, how].
 */
import express from 'express';
import { z } from 'zod';
import { pairsFromDocument } from '../../../qa/index.js';
import { sentenceSeparator } from '../../../text/lang.js';
import { alignWords, wireWords, type WireWords } from '../../../words/index.js';
import type { AppContext } from '../../context.js';
import { HttpError } from '../../http-error.js';
import { documentParams } from '../../schemas.js';
import { route } from '../../validate.js';

const MAX_BEADS = 1000;

const wordsQuery = z.object({
  beads: z
    .string({ error: '"beads" must be a comma-separated list of row ids.' })
    .max(20_000, '"beads" is too long.')
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .optional(),
});

export function createApiWordsRouter({ store }: AppContext): express.Router {
  const router = express.Router();
  router.get(
    '/documents/:id/words',
    route({ params: documentParams, query: wordsQuery }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const ids = query.beads ?? doc.beads.map((b) => b.id);
      if (ids.length > MAX_BEADS) throw new HttpError(400, `At most ${MAX_BEADS} rows a request ("beads" names ${ids.length}).`);
      const byId = new Map(doc.beads.map((b) => [b.id, b]));
      const missing = ids.filter((id) => !byId.has(id));
      const langs = { source: doc.source.lang, target: doc.target.lang };
      const words = alignWords(pairsFromDocument(doc), langs);
      const separators = { source: sentenceSeparator(langs.source), target: sentenceSeparator(langs.target) };
      const beads: Record<string, WireWords> = {};
      for (const id of ids) {
        const b = byId.get(id);
        if (!b) continue;
        const w = words.of(id);
        if (!w) continue;
        const sentences = {
          source: b.source.map((i) => doc.source.sentences[i]?.text ?? ''),
          target: b.target.map((i) => doc.target.sentences[i]?.text ?? ''),
        };
        beads[id] = wireWords(w, sentences, separators);
      }
      res.json({ revision: doc.revision, langs, beads, missing });
    }),
  );
  return router;
}

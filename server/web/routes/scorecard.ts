/**
 * A document's MQM-style quality scorecard (server/qa/scorecard.ts): penalty points by severity and
 * category, per 1,000 source words, pass or fail, over accepted issues and, apart, over the open
 * automatic findings; charts of errors per category and per paragraph.
 *
 *   GET /documents/:id/scorecard           the page (server-rendered SVG charts)
 *   GET /documents/:id/scorecard.json      the scorecard as JSON (also GET /api/documents/:id/scorecard)
 *   GET /documents/:id/scorecard.csv       one row per set and category, then the totals
 */
import express from 'express';
import type { ReviewDocument, Scorecard } from '../../domain.js';
import { buildScorecard } from '../../qa/index.js';
import { findingStatus } from '../../qa/finding-state.js';
import { scorecardCsv } from '../../qa/scorecard.js';
import type { AppContext } from '../context.js';
import type { QaFindings } from '../controllers/qa-findings.js';
import { renderPage } from '../render.js';
import { documentParams } from '../schemas.js';
import { route } from '../validate.js';
import { docBase, docHeader } from '../view-models/common.js';
import { categoryChart, paragraphChart } from '../view-models/scorecard.js';

export function createScorecardRouter({ store }: AppContext, qa: QaFindings): express.Router {
  const router = express.Router();

  /** The scorecard of the current revision: its open findings are those nobody decided on. */
  const scorecardOf = (doc: ReviewDocument): Scorecard => {
    const open = qa.of(doc).findings.filter((f) => findingStatus(f, doc.issues) === 'open');
    return buildScorecard(doc, open, qa.config().scorecard);
  };

  const json = route({ params: documentParams }, async ({ params }, _req, res) => {
    const doc = await store.getDocument(params.id);
    res.json({ revision: doc.revision, scorecard: scorecardOf(doc) });
  });
  router.get('/documents/:id/scorecard.json', json);
  router.get('/api/documents/:id/scorecard', json);

  router.get(
    '/documents/:id/scorecard.csv',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const safeName = doc.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'document';
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${safeName}-scorecard.csv"`);
      res.send(`\uFEFF${scorecardCsv(scorecardOf(doc))}`);
    }),
  );

  router.get(
    '/documents/:id/scorecard',
    route({ params: documentParams }, async ({ params }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const card = scorecardOf(doc);
      const base = docBase(doc.id);
      await renderPage(res, 'scorecard', {
        title: `Scorecard · ${doc.name}`,
        doc: docHeader(doc),
        card,
        charts: { category: categoryChart(card), paragraph: paragraphChart(card) },
        csvHref: `${base}/scorecard.csv`,
        jsonHref: `${base}/scorecard.json`,
      });
    }),
  );

  return router;
}

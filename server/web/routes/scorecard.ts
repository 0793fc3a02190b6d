/**
 * A document's MQM-style quality scorecard (server/qa/scorecard.ts): penalty points by severity and
 * category, per 1,000 source words, pass or fail, over accepted issues and, apart, over the open
 * automatic findings; charts of errors per category and per paragraph.
 *
 *   GET /documents/:id/scorecard           the page (server-rendered SVG charts)
 *   GET /documents/:id/scorecard.json      the scorecard as JSON (also GET /api/documents/:id/scorecard)
 *   GET /documents/:id/scorecard.csv       one row per set and category, then the totals
 * Made from the QA report's findings (qa.of, with the document's glossary): for a document the
 * report checks in a job, the page and the CSV go to the job's page (as the QA report does), the
 * JSON answers 202 with the job (with `Prefer: wait=N`, the scorecard when the job is done in time).
 */
import express, { type Request, type Response } from 'express';
import type { ReviewDocument, Scorecard } from '../../domain.js';
import { buildScorecard } from '../../qa/index.js';
import { findingStatus } from '../../qa/finding-state.js';
import { scorecardCsv } from '../../qa/scorecard.js';
import type { AppContext } from '../context.js';
import { answerJob } from '../controllers/job-answer.js';
import type { QaFindings } from '../controllers/qa-findings.js';
import { renderPage } from '../render.js';
import { documentParams } from '../schemas.js';
import { authorOf } from '../security.js';
import { route } from '../validate.js';
import { docBase, docHeader } from '../view-models/common.js';
import { categoryChart, paragraphChart } from '../view-models/scorecard.js';

export function createScorecardRouter(ctx: AppContext, qa: QaFindings): express.Router {
  const { store } = ctx;
  const router = express.Router();

  /**
   * The scorecard of the current revision (its open findings are those nobody decided on), or null
   * when the QA report's job is not done yet: then the answer is the job's (answerJob).
   */
  const scorecardOf = async (doc: ReviewDocument, req: Request, res: Response, api: boolean): Promise<Scorecard | null> => {
    const outcome = await qa.of(doc, authorOf(res));
    if (!outcome.ready) {
      const done = async () => {
        const card = await scorecardOf(doc, req, res, api);
        if (card) res.json({ revision: doc.revision, scorecard: card });
      };
      await answerJob(ctx.jobs, req, res, outcome.job, { api, done });
      return null;
    }
    const open = outcome.findings.filter((f) => findingStatus(f, doc.issues) === 'open');
    return buildScorecard(doc, open, (await qa.configFor(doc)).config.scorecard);
  };

  const json = route({ params: documentParams }, async ({ params }, req, res) => {
    const doc = await store.getDocument(params.id);
    const card = await scorecardOf(doc, req, res, true);
    if (card) res.json({ revision: doc.revision, scorecard: card });
  });
  router.get('/documents/:id/scorecard.json', json);
  router.get('/api/documents/:id/scorecard', json);

  router.get(
    '/documents/:id/scorecard.csv',
    route({ params: documentParams }, async ({ params }, req, res) => {
      const doc = await store.getDocument(params.id);
      const card = await scorecardOf(doc, req, res, false);
      if (!card) return;
      const safeName = doc.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'document';
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${safeName}-scorecard.csv"`);
      res.send(`\uFEFF${scorecardCsv(card)}`);
    }),
  );

  router.get(
    '/documents/:id/scorecard',
    route({ params: documentParams }, async ({ params }, req, res) => {
      const doc = await store.getDocument(params.id);
      const card = await scorecardOf(doc, req, res, false);
      if (!card) return;
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

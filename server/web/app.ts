/**
 * The Express app shell: security middleware (headers, body limits, CSRF, reviewer cookie), static
 * files, views, then one router per resource (routes/), and errors as status codes (errors.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { InProcessJobs, type Jobs } from '../jobs/index.js';
import type { AppContext } from './context.js';
import { createQaFindings } from './controllers/qa-findings.js';
import { errorHandler } from './errors.js';
import { HttpError } from './http-error.js';
import { createApiRouter } from './routes/api/index.js';
import { createDocumentsRouter } from './routes/documents.js';
import { createExportRouter } from './routes/export.js';
import { createGlossaryRouter } from './routes/glossary.js';
import { createHistoryRouter } from './routes/history.js';
import { createImportRouter } from './routes/import.js';
import { createJobsRouter } from './routes/jobs.js';
import { createLegacyRouter } from './routes/legacy.js';
import { createQaRouter } from './routes/qa.js';
import { createReviewRouter } from './routes/review.js';
import { createReviewerRouter } from './routes/reviewer.js';
import { createScorecardRouter } from './routes/scorecard.js';
import { createSetsRouter } from './routes/sets.js';
import { projectRoot } from '../project-root.js';
import { createVersionsRouter } from './routes/versions.js';
import { bodyParsers, csrf, door, reviewer, securityHeaders, serverKey, serverTiming } from './security.js';

export { projectRoot };

export interface AppOptions {
  /** Log server errors (default true; tests pass false). */
  log?: boolean;
}

/**
 * The app. Without `jobs` in the context, an in-process runner on the store is made (its worker
 * threads start with the first job; `app.locals.jobs` holds it, so a test can close it).
 */
export function createApp(given: Omit<AppContext, 'jobs'> & { jobs?: Jobs }, opts: AppOptions = {}): express.Express {
  const ctx: AppContext = { ...given, jobs: given.jobs ?? new InProcessJobs({ store: given.store, ...(opts.log === false ? { log: () => undefined } : {}) }) };
  const root = projectRoot();
  const app = express();
  app.locals.jobs = ctx.jobs;
  app.disable('x-powered-by');
  app.set('views', join(root, 'views'));
  app.set('query parser', 'simple');

  app.use(serverTiming());
  app.use(securityHeaders());
  // The in-place editor's live diff uses the same library as the server's diffs (its browser build).
  const diffBuild = join(dirname(createRequire(import.meta.url).resolve('diff/package.json')), 'dist', 'diff.min.js');
  app.get('/public/vendor/diff.min.js', (_req, res) => {
    res.sendFile(diffBuild, { maxAge: '1h' });
  });
  app.use('/public', express.static(join(root, 'public'), { index: false, dotfiles: 'ignore', maxAge: '1h' }));
  app.use(door(serverKey(ctx.store)));
  app.use(bodyParsers());
  app.use(csrf());
  app.use(reviewer());

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  const qa = createQaFindings(ctx.store, ctx.jobs);
  app.use('/api', createApiRouter(ctx));
  app.use(createReviewerRouter(ctx));
  app.use(createLegacyRouter());
  app.use(createDocumentsRouter(ctx));
  app.use(createReviewRouter(ctx));
  app.use(createHistoryRouter(ctx));
  app.use(createVersionsRouter(ctx));
  app.use(createImportRouter(ctx));
  app.use(createSetsRouter(ctx));
  app.use(createQaRouter(ctx, qa));
  app.use(createScorecardRouter(ctx, qa));
  app.use(createGlossaryRouter(ctx));
  app.use(createExportRouter(ctx));
  app.use(createJobsRouter(ctx));

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpError(404, `Not found: ${req.method} ${req.path}`));
  });
  app.use(errorHandler({ log: opts.log ?? true }));
  return app;
}

/**
 * The Express app shell: security middleware (headers, body limits, CSRF, reviewer cookie), static
 * files, views, then the routers: JSON API, pages, exports, QA. Errors become status codes here.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { ConflictError, InvalidOperationError, NotFoundError } from '../store/store.js';
import { createApiRouter } from './api.js';
import type { AppContext } from './context.js';
import { createExportRouter } from './export-routes.js';
import { createPagesRouter } from './pages.js';
import { createQaRouter } from './qa-routes.js';
import {
  HttpError,
  bodyParsers,
  cleanReviewerName,
  csrf,
  loadServerKey,
  reviewer,
  safeReturnTo,
  securityHeaders,
  serverTiming,
  setReviewerCookie,
} from './security.js';

const here = dirname(fileURLToPath(import.meta.url));

/** The project root (the folder with package.json), from src (server/web) or build (dist/server/web). */
export function projectRoot(): string {
  let dir = here;
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'server'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export interface AppOptions {
  /** Log server errors (default true; tests pass false). */
  log?: boolean;
}

export function createApp(ctx: AppContext, opts: AppOptions = {}): express.Express {
  const log = opts.log ?? true;
  const root = projectRoot();
  const app = express();
  app.disable('x-powered-by');
  app.set('views', join(root, 'views'));
  app.set('view engine', 'ejs');
  app.set('query parser', 'simple');

  app.use(serverTiming());
  app.use(securityHeaders());
  app.use('/public', express.static(join(root, 'public'), { index: false, dotfiles: 'ignore', maxAge: '1h' }));
  app.use(bodyParsers());
  app.use(csrf(loadServerKey(ctx.dataDir)));
  app.use(reviewer());

  // The reviewer's name is asked once (W's pages render the form) and kept in a cookie.
  app.post('/reviewer', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = cleanReviewerName(body.name);
    if (!name) throw new HttpError(422, 'Please give a name of 1 to 80 characters.');
    setReviewerCookie(res, name);
    res.locals.reviewer = name;
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ reviewer: name });
      return;
    }
    res.redirect(303, safeReturnTo(body.returnTo ?? req.get('referer')?.replace(/^https?:\/\/[^/]+/, ''), '/'));
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  app.use('/api', createApiRouter(ctx));

  app.use(createPagesRouter(ctx));
  app.use(createExportRouter(ctx));
  app.use(createQaRouter(ctx));

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new HttpError(404, `Not found: ${req.method} ${req.path}`));
  });
  app.use(errorHandler(root, log));
  return app;
}

/** Maps an error to a status: domain errors by class, body-parser errors by their type. */
export function errorStatus(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof ConflictError) return 409;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof InvalidOperationError) return 422;
  if (err && typeof err === 'object') {
    const e = err as { type?: unknown; status?: unknown; name?: unknown };
    if (e.type === 'entity.too.large') return 413;
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 600) return e.status;
    if (e.name === 'TextInputError') return 422;
  }
  return 500;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorMessage(err: unknown, status: number): string {
  if (status === 413) return 'The request is too large (the limit is 20 MB for imports and 100 kB for other requests).';
  if (status === 500) return 'Internal server error.';
  if (err instanceof Error && err.message) {
    const e = err as { type?: unknown };
    if (e.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
    return err.message;
  }
  return 'Request failed.';
}

function errorHandler(root: string, log: boolean) {
  const hasErrorView = (): boolean => existsSync(join(root, 'views', 'error.ejs'));
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) return next(err);
    const status = errorStatus(err);
    const message = errorMessage(err, status);
    if (status >= 500 && log) process.stderr.write(`${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    const body: Record<string, unknown> = { error: message, status };
    if (err instanceof ConflictError) {
      body.currentRevision = err.currentRevision;
      body.changes = err.changes.map((c) => ({ seq: c.seq, revision: c.revision, author: c.author, at: c.at, op: c.op, beadIds: c.beadIds }));
    }
    if (err instanceof HttpError && err.details !== undefined) body.details = err.details;
    res.status(status);
    if (req.originalUrl.startsWith('/api/') || req.originalUrl === '/api' || req.accepts(['html', 'json']) === 'json') {
      res.json(body);
      return;
    }
    const plain = (): void => {
      res.type('html').send(
        `<!doctype html><meta charset="utf-8"><title>Error ${status}</title><h1>Error ${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Documents</a></p>`,
      );
    };
    if (!hasErrorView()) return plain();
    // "Back" leads to the page the request came from (its path on this site only), else home.
    const backHref = safeReturnTo(req.get('referer')?.replace(/^https?:\/\/[^/]+/, ''), '/');
    res.render('error', { title: `Error ${status}`, status, message, changes: body.changes ?? [], backHref }, (renderErr: Error | null, html?: string) => {
      if (renderErr || html === undefined) return plain();
      res.send(html);
    });
  };
}

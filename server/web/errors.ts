/**
 * Errors as HTTP answers: the status of any error (HttpError's own, domain errors by class,
 * body-parser errors by their type), and the app's last handler, which answers JSON to API clients
 * and an error page to browsers.
 */
import type { NextFunction, Request, Response } from 'express';
import { homedir, tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { projectRoot } from '../project-root.js';
import { ConflictError, InvalidOperationError, JobNotRunningError, NotFoundError, TooManyJobsError } from '../store/store.js';
import { HttpError } from './http-error.js';
import { renderPage } from './render.js';
import { refererPath, safeReturnTo } from './security.js';

/** Maps an error to a status: domain errors by class, body-parser errors by their type. */
export function errorStatus(err: unknown): number {
  if (err instanceof HttpError) return err.status;
  if (err instanceof ConflictError) return 409;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof InvalidOperationError) return 422;
  if (err instanceof TooManyJobsError) return 429;
  if (err instanceof JobNotRunningError) return 409;
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
  if (status === 413 && !(err instanceof HttpError)) return 'The request is too large (the limit is 20 MB for imports and 100 kB for other requests).';
  if (status === 500) return 'Internal server error.';
  if (err instanceof Error && err.message) {
    const e = err as { type?: unknown };
    if (e.type === 'entity.parse.failed') return 'The request body is not valid JSON.';
    return err.message;
  }
  return 'Request failed.';
}

/**
 * Folders whose absolute paths never appear in an answer (they say where the server's files are):
 * the project, the working folder, DATA_DIR, the QA config's folder, home and the temporary folder.
 */
const ROOTS = [
  ...new Set(
    [projectRoot(), process.cwd(), process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : '', process.env.QA_CONFIG ? dirname(resolve(process.env.QA_CONFIG)) : '', homedir(), tmpdir()].filter(
      (r) => r.length > 1,
    ),
  ),
].sort((a, b) => b.length - a.length);

/**
 * A message as it may be shown: no absolute path of this machine (the project, home and temporary
 * folders become relative), and, in a 404, no long id echoed back (cut to its first 24 characters).
 */
export function shownMessage(message: string, status: number, roots: readonly string[] = ROOTS): string {
  let m = message;
  for (const r of roots) m = m.split(`${r}/`).join('').split(r).join('.');
  if (status === 404) m = m.replace(/[^\s"“”]{41,}/g, (id) => `${id.slice(0, 24)}…`);
  return m;
}

/** The app's error handler: JSON under /api or when JSON is asked for, else the error page. */
export function errorHandler(opts: { log: boolean }) {
  return (err: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = errorStatus(err);
    const message = shownMessage(errorMessage(err, status), status);
    if (status === 413) res.setHeader('Connection', 'close'); // the rest of the body is not read
    if (status === 429) res.setHeader('Retry-After', '30');
    if (status >= 500 && opts.log) process.stderr.write(`${req.method} ${req.originalUrl}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
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
    // "Back" leads to the page the request came from (its path on this site only), else home.
    const backHref = safeReturnTo(refererPath(req), '/');
    renderPage(res, 'error', { title: `Error ${status}`, status, message, changes: body.changes ?? [], backHref }, status).catch(() => {
      res.type('html').send(
        `<!doctype html><meta charset="utf-8"><title>Error ${status}</title><h1>Error ${status}</h1><p>${escapeHtml(message)}</p><p><a href="/">Documents</a></p>`,
      );
    });
  };
}

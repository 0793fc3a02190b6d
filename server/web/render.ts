/**
 * Renders a template of views/ as a page: the security locals (CSRF token, reviewer) added, compiled
 * once and cached (set NODE_ENV=development to edit templates live).
 */
import { join } from 'node:path';
import ejs from 'ejs';
import type { Response } from 'express';

const CACHE_VIEWS = process.env.NODE_ENV !== 'development';

/**
 * The names the templates use. They are compiled without `with (locals)` and get these names
 * destructured instead: EJS's default `with` makes every lookup in the row loop slow (a 2,000-row
 * page renders about four times faster without it). A name missing here is a ReferenceError in tests.
 */
const TEMPLATE_LOCALS = [
  'vm', 'title', 'csrfToken', 'reviewer', 'doc', 'tab', 'base', 'back', 'backHref', 'selfHref', 'docs', 'values', 'errors',
  'encodings', 'models', 'limitText', 'sides', 'entries', 'prevHref', 'nextHref', 'map', 'targetLabel', 'sourceLabel',
  'versions', 'canImport', 'message', 'heading', 'status', 'baseRevision', 'currentRevision', 'changes', 'yourChange', 'live',
  // QA report and glossary
  'self', 'filters', 'items', 'total', 'counts', 'statusCounts', 'checks', 'link', 'csvHref', 'returnTo', 'version', 'path', 'error', 'form',
  'severities',
  // Scorecard
  'card', 'charts', 'jsonHref',
  // jobs, the file import form, glossaries
  'job', 'active', 'file', 'glossaries', 'glossary', 'g', 'editing', 'entry', 'action', 'what',
  // review rows, the row opened in place, the legend, undo scope, re-align
  'rows', 'view', 'legend', 'categories', 'forms', 'scope', 'plan',
  // translation sets: the review page's link to its set, the import page's form
  'translationSet', 'translations', 'pair',
  // The learnt table: Documents page, glossary suggestions
  'learntRows', 'suggested',
];

function viewFile(res: Response, view: string): string {
  return join(String(res.app.get('views')), `${view}.ejs`);
}

/** Renders `views/<view>.ejs` (the folder app.ts configured) and sends it with `status`. */
export async function renderPage(res: Response, view: string, locals: Record<string, unknown>, status = 200): Promise<void> {
  res.status(status).type('html').send(await renderView(res, view, locals));
}

/** Renders a template (a page, or a partial such as `partials/review-rows`) to a string. */
export async function renderView(res: Response, view: string, locals: Record<string, unknown>): Promise<string> {
  const data = { csrfToken: res.locals.csrfToken ?? '', reviewer: res.locals.reviewer ?? null, ...locals };
  return ejs.renderFile(viewFile(res, view), data, { cache: CACHE_VIEWS, _with: false, destructuredLocals: TEMPLATE_LOCALS });
}

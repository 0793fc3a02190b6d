/**
 * QA pages: the findings report of a document (filters, counts, CSV download, dismiss / make issue)
 * and the glossary editor. Findings are recomputed from the current document; decisions on them are
 * review ops (addIssue + setIssueStatus), so they are in the history like every other edit.
 *
 *   GET  /documents/:id/qa          report (?check=&category=&severity=&status=open|dismissed|issue|all); JSON on Accept: application/json
 *   GET  /documents/:id/qa.csv      the same rows as CSV
 *   POST /documents/:id/qa/dismiss  key=<finding key>   (records addIssue + setIssueStatus dismissed)
 *   POST /documents/:id/qa/issue    key=<finding key>   (records addIssue)
 *   GET  /glossary                  list + add/edit/delete forms
 *   POST /glossary                  action=add|update|delete, index, version, english, accepted, forbidden, note, unless
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import type { Finding, ReviewDocument } from '../domain.js';
import {
  CHECKS,
  defaultQaConfig,
  entryFromFields,
  findingKey,
  GlossaryError,
  loadQaConfig,
  parseGlossary,
  pairsFromDocument,
  runChecksOnPairs,
  saveGlossary,
  withGlossary,
  type QaConfig,
  type QaPair,
} from '../qa/index.js';
import { addIssueOp, findingStatus, type FindingStatus } from '../qa/finding-state.js';
import { countFindings, findingRows, rowsToCsv } from '../qa/report.js';
import type { AppContext } from './context.js';
import { authorOf, HttpError, safeReturnTo } from './security.js';

export interface QaRouterOptions {
  /** QA config file (default: $QA_CONFIG, else qa.config.json at the repository root; reloaded on change). */
  configPath?: string;
  /** Glossary file edited by /glossary (default: the config's glossary). */
  glossaryPath?: string;
}

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;
const h =
  (fn: Handler): express.RequestHandler =>
  (req, res, next) => {
    Promise.resolve(fn(req, res, next)).catch(next);
  };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const STATUSES = ['open', 'dismissed', 'issue', 'all'] as const;

interface ReportItem {
  key: string;
  finding: Finding;
  status: FindingStatus;
  paragraph: string | null;
  /** Target text split around the span, for highlighting (rendered escaped). */
  target: { before: string; mark: string; after: string };
  source: { before: string; mark: string; after: string };
}

function split(text: string, span: { start: number; end: number } | null, max = 90): ReportItem['target'] {
  if (!span) return { before: text.length > max * 2 ? text.slice(0, max * 2) + '…' : text, mark: '', after: '' };
  const before = text.slice(Math.max(0, span.start - max), span.start);
  const after = text.slice(span.end, span.end + max);
  return {
    before: (span.start > max ? '…' : '') + before,
    mark: text.slice(span.start, span.end),
    after: after + (span.end + max < text.length ? '…' : ''),
  };
}

export function createQaRouter(ctx: AppContext, opts: QaRouterOptions = {}): express.Router {
  const router = express.Router();
  // Without options the router shares the default config with runChecks (review page markers,
  // exports); it reloads when the config or glossary file changes, e.g. after an edit here.
  let own: QaConfig | null = null;
  // The glossary file of a config that failed to load because of it: the editor must still open it.
  let brokenGlossary: string | null = null;
  const getConfig = (): QaConfig => {
    try {
      const c = loadConfig();
      brokenGlossary = null;
      return c;
    } catch (e) {
      // A hand-edited glossary or config with a mistake: say which line, do not hide it behind a 500.
      if (e instanceof GlossaryError) brokenGlossary = e.path;
      const err = e as Error;
      if (err.name === 'QaConfigError' || err.name === 'GlossaryError') throw new HttpError(503, `The QA configuration cannot be loaded: ${err.message}`);
      throw e;
    }
  };
  const loadConfig = (): QaConfig => {
    if (!opts.configPath && !opts.glossaryPath) return defaultQaConfig();
    if (!own) {
      const base = opts.configPath ? loadQaConfig(opts.configPath) : defaultQaConfig();
      own = opts.glossaryPath ? (existsSync(opts.glossaryPath) ? withGlossary(base, opts.glossaryPath) : { ...base, glossary: { entries: [], path: opts.glossaryPath }, glossaryPath: opts.glossaryPath }) : base;
    }
    return own;
  };
  const glossaryPath = (): string => {
    let p: string | null;
    try {
      p = getConfig().glossaryPath;
    } catch (e) {
      if (!brokenGlossary) throw e;
      p = brokenGlossary;
    }
    if (!p) throw new HttpError(404, 'No glossary is configured (set "glossary" in qa.config.json).');
    return p;
  };

  // Findings per document revision and config: recomputing is cheap, but not per click.
  const cache = new Map<string, { config: QaConfig; pairs: QaPair[]; findings: Finding[] }>();
  const findingsOf = (doc: ReviewDocument): { pairs: QaPair[]; findings: Finding[] } => {
    const key = `${doc.id}@${doc.revision}`;
    const config = getConfig();
    let hit = cache.get(key);
    if (!hit || hit.config !== config) {
      const pairs = pairsFromDocument(doc);
      hit = { config, pairs, findings: runChecksOnPairs(pairs, config) };
      if (cache.size > 50) cache.clear();
      cache.set(key, hit);
    }
    return hit;
  };

  const render = (res: Response, view: string, locals: Record<string, unknown>, status = 200): void => {
    res.status(status).render(view, { csrfToken: res.locals.csrfToken ?? '', reviewer: res.locals.reviewer ?? null, ...locals });
  };

  const filtersOf = (req: Request) => {
    const q = req.query as Record<string, unknown>;
    const status = str(q.status);
    return {
      check: str(q.check),
      category: str(q.category),
      severity: str(q.severity),
      status: (STATUSES as readonly string[]).includes(status) ? (status as (typeof STATUSES)[number]) : 'open',
    };
  };

  const reportOf = (doc: ReviewDocument, f: ReturnType<typeof filtersOf>) => {
    const { pairs, findings } = findingsOf(doc);
    const byId = new Map(pairs.map((p) => [p.id, p]));
    const all: ReportItem[] = findings.map((finding) => {
      const p = byId.get(finding.beadId);
      return {
        key: findingKey(finding),
        finding,
        status: findingStatus(finding, doc.issues),
        paragraph: p?.paragraph ?? null,
        target: split(p?.zh ?? '', finding.targetSpan),
        source: split(p?.en ?? '', finding.sourceSpan),
      };
    });
    const inStatus = all.filter((x) => f.status === 'all' || x.status === f.status);
    const shown = inStatus.filter(
      (x) => (!f.check || x.finding.check === f.check) && (!f.category || x.finding.category === f.category) && (!f.severity || x.finding.severity === f.severity),
    );
    return { pairs, all, inStatus, shown };
  };

  const qs = (f: Record<string, string>): string => {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v && !(k === 'status' && v === 'open')) p.set(k, v);
    const s = p.toString();
    return s ? `?${s}` : '';
  };

  router.get(['/documents/:id/qa', '/docs/:id/qa'], h(async (req, res) => {
    const doc = await ctx.store.getDocument(str(req.params.id));
    const f = filtersOf(req);
    const r = reportOf(doc, f);
    const counts = countFindings(r.inStatus.map((x) => x.finding));
    const statusCounts = { open: 0, dismissed: 0, issue: 0, all: r.all.length };
    for (const x of r.all) statusCounts[x.status]++;
    if (req.accepts(['html', 'json']) === 'json') {
      const rows = findingRows(r.shown.map((x) => x.finding), r.pairs);
      res.json({ revision: doc.revision, counts, statusCounts, findings: rows.map((row, i) => ({ ...row, key: r.shown[i]?.key, status: r.shown[i]?.status })) });
      return;
    }
    const self = `/documents/${encodeURIComponent(doc.id)}/qa`;
    render(res, 'qa-report', {
      title: `QA · ${doc.name}`,
      doc: { id: doc.id, name: doc.name, revision: doc.revision, base: `/docs/${encodeURIComponent(doc.id)}`, targetLang: doc.target.lang, sourceLang: doc.source.lang },
      self,
      filters: f,
      items: r.shown,
      total: r.inStatus.length,
      counts,
      statusCounts,
      checks: CHECKS.map((c) => ({ id: c.id, description: c.description })),
      link: (over: Record<string, string>) => self + qs({ ...f, ...over }),
      csvHref: `${self}.csv${qs(f)}`,
      returnTo: self + qs(f),
    });
  }));

  router.get(['/documents/:id/qa.csv', '/docs/:id/qa.csv'], h(async (req, res) => {
    const doc = await ctx.store.getDocument(str(req.params.id));
    const r = reportOf(doc, filtersOf(req));
    const csv = rowsToCsv(findingRows(r.shown.map((x) => x.finding), r.pairs));
    const safeName = doc.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'document';
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${safeName}-qa.csv"`);
    res.send('\uFEFF' + csv); // BOM: spreadsheets then read the Chinese as UTF-8
  }));

  const act = (kind: 'dismiss' | 'issue') =>
    h(async (req, res) => {
      const id = str(req.params.id);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const key = str(body.key);
      const doc = await ctx.store.getDocument(id);
      const found = findingsOf(doc).findings.find((x) => findingKey(x) === key);
      if (!found) throw new HttpError(409, 'This finding is no longer reported (the document changed). Reload the QA report.');
      if (findingStatus(found, doc.issues) !== 'open') throw new HttpError(409, 'This finding has already been dismissed or turned into an issue.');
      // One operation, one transaction, one history entry (and one undo), against the revision the
      // reviewer saw: a finding on a row changed since is a conflict, not a silent dismissal.
      const base = Number(body.baseRevision);
      const op = kind === 'dismiss' ? { ...addIssueOp(found), status: 'dismissed' as const } : addIssueOp(found);
      const after = await ctx.store.apply(id, op, { author: authorOf(res), baseRevision: Number.isInteger(base) && base >= 0 ? base : doc.revision });
      const self = `/documents/${encodeURIComponent(id)}/qa`;
      const back = safeReturnTo(body.returnTo, self);
      if (req.accepts(['html', 'json']) === 'json') {
        res.json({ ok: true, revision: after.revision, status: kind === 'dismiss' ? 'dismissed' : 'issue' });
        return;
      }
      res.redirect(303, back.startsWith(self) ? back : self);
    });
  router.post(['/documents/:id/qa/dismiss', '/docs/:id/qa/dismiss'], act('dismiss'));
  router.post(['/documents/:id/qa/issue', '/docs/:id/qa/issue'], act('issue'));

  // ───────────── glossary ─────────────

  /** The file's content hash: a form posted against an older file is refused (no lost updates). */
  const readGlossaryFile = (): { text: string; version: string } => {
    const p = glossaryPath();
    const text = existsSync(p) ? readFileSync(p, 'utf8') : '';
    return { text, version: createHash('sha256').update(text).digest('hex').slice(0, 16) };
  };

  const renderGlossary = (res: Response, extra: { error?: string; form?: Record<string, string>; status?: number } = {}): void => {
    const { text, version } = readGlossaryFile();
    let entries: ReturnType<typeof parseGlossary>['entries'] = [];
    let error = extra.error ?? '';
    try {
      entries = parseGlossary(text, glossaryPath()).entries;
    } catch (e) {
      error = error || (e as Error).message;
    }
    render(
      res,
      'qa-glossary',
      { title: 'Glossary', entries, version, path: glossaryPath(), error, form: extra.form ?? {} },
      extra.status ?? (error ? 422 : 200),
    );
  };

  router.get('/glossary', h((_req, res) => renderGlossary(res)));

  router.post('/glossary', h((req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const action = str(body.action);
    const fields = { english: str(body.english), accepted: str(body.accepted), forbidden: str(body.forbidden), note: str(body.note), unless: str(body.unless) };
    const { text, version } = readGlossaryFile();
    if (str(body.version) !== version) {
      renderGlossary(res, { error: 'The glossary was changed by someone else in the meantime: your change was not saved. Please redo it.', form: fields, status: 409 });
      return;
    }
    let g: ReturnType<typeof parseGlossary>;
    try {
      g = parseGlossary(text, glossaryPath());
    } catch (e) {
      if (!(e instanceof GlossaryError)) throw e;
      renderGlossary(res, { error: `${e.message} — fix the file by hand first.`, form: fields, status: 409 });
      return;
    }
    const index = Number.parseInt(str(body.index), 10);
    const needIndex = () => {
      if (!Number.isInteger(index) || index < 0 || index >= g.entries.length) throw new HttpError(422, 'Unknown glossary entry.');
    };
    try {
      if (action === 'add') g.entries.push(entryFromFields(fields));
      else if (action === 'update') {
        needIndex();
        g.entries[index] = entryFromFields(fields);
      } else if (action === 'delete') {
        needIndex();
        g.entries.splice(index, 1);
      } else throw new HttpError(422, 'Unknown action (add, update or delete).');
    } catch (e) {
      if (e instanceof GlossaryError) {
        renderGlossary(res, { error: e.message, form: fields, status: 422 });
        return;
      }
      throw e;
    }
    saveGlossary(g, glossaryPath());
    // Later reports use the new glossary (the default config reloads from the file by itself).
    if (own) own = { ...own, glossary: g };
    cache.clear();
    if (req.accepts(['html', 'json']) === 'json') {
      res.json({ ok: true, entries: g.entries.length });
      return;
    }
    res.redirect(303, '/glossary');
  }));

  return router;
}

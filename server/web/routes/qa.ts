/**
 * A document's QA report: the findings of the current revision, most serious first, each
 * document-wide kind (half-width punctuation, spacing) as one finding listing its places (filters,
 * counts, CSV download), and the reviewer's decisions on them, which are review ops (addIssue, dismissed or open) and so in the
 * history like every other edit.
 *
 *   GET  /documents/:id/qa           report (?check=&category=&severity=&status=open|dismissed|issue|all); JSON on Accept: application/json
 *   GET  /documents/:id/qa.csv       the same rows as CSV
 *   POST /documents/:id/qa/dismiss   key=<finding key>, baseRevision, returnTo   (one addIssue, dismissed)
 *   POST /documents/:id/qa/issue     key=<finding key>, baseRevision, returnTo   (one addIssue)
 *   POST /documents/:id/glossary     glossary=<id>|default   the glossary its terminology check uses
 * A document of more than INLINE_QA_ROWS rows is checked by a job (its page shows the progress).
 */
import express from 'express';
import { z } from 'zod';
import type { Finding, ReviewDocument } from '../../domain.js';
import { CHECKS, findingKey, type QaPair } from '../../qa/index.js';
import { addIssueOp, findingStatus, type FindingStatus } from '../../qa/finding-state.js';
import { countFindings, findingRows, rowsToCsv, SEVERITY_ORDER } from '../../qa/report.js';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { answerJob } from '../controllers/job-answer.js';
import type { QaFindings } from '../controllers/qa-findings.js';
import { HttpError } from '../http-error.js';
import { renderPage } from '../render.js';
import { documentParams, formRevision } from '../schemas.js';
import { authorOf, safeReturnTo } from '../security.js';
import { route } from '../validate.js';
import { docBase, docHeader } from '../view-models/common.js';

const STATUSES = ['open', 'dismissed', 'issue', 'all'] as const;

/** The report's filters: any text; an unknown status shows the open findings. */
const filters = z.object({
  check: z.string().catch(''),
  category: z.string().catch(''),
  severity: z.string().catch(''),
  status: z.enum(STATUSES).catch('open'),
});
type Filters = z.output<typeof filters>;

interface ReportItem {
  key: string;
  /** The row's number on the review page (its position). */
  row: number;
  finding: Finding;
  status: FindingStatus;
  paragraph: string | null;
  /** The whole target text with its span marked (rendered escaped): the report never cuts it. */
  target: TextAround;
  source: TextAround;
  /** The same texts around the span only, for the finding's one line (the whole text opens from it). */
  targetLine: TextAround;
  sourceLine: TextAround;
  /** A grouped finding's places by paragraph: first row, paragraph label, the text found there, how often. */
  places: { beadId: string; label: string; text: string; count: number }[];
}


interface TextAround {
  before: string;
  mark: string;
  after: string;
}

/** A grouped finding's places, one link per paragraph (its first row), with how often the kind occurs there. */
function places(f: Finding, byId: ReadonlyMap<string, QaPair>, rowOf: ReadonlyMap<string, number>): ReportItem['places'] {
  const out = new Map<string, ReportItem['places'][number]>();
  for (const o of f.occurrences ?? []) {
    const q = byId.get(o.beadId);
    const label = q?.paragraph ? `¶${q.paragraph}` : `row ${rowOf.get(o.beadId) ?? '?'}`;
    const text = q && o.targetSpan ? q.target.slice(o.targetSpan.start, o.targetSpan.end) : '';
    const cur = out.get(label);
    if (cur) cur.count++;
    else out.set(label, { beadId: o.beadId, label, text, count: 1 });
  }
  return [...out.values()];
}

/**
 * The span of `text` with up to `before` characters before it and `after` after it (the start of a
 * text without a span): little before the span, so a cell cut to one line still shows it.
 */
function around(text: string, span: { start: number; end: number } | null, before = 6, after = 80): TextAround {
  if (!span) return { before: text.length > before + after ? `${text.slice(0, before + after)}…` : text, mark: '', after: '' };
  return {
    before: (span.start > before ? '…' : '') + text.slice(Math.max(0, span.start - before), span.start),
    mark: text.slice(span.start, span.end),
    after: text.slice(span.end, span.end + after) + (span.end + after < text.length ? '…' : ''),
  };
}

/** The whole text with its span marked (the report never cuts the text a finding is about). */
function whole(text: string, span: { start: number; end: number } | null): TextAround {
  if (!span) return { before: text, mark: '', after: '' };
  return { before: text.slice(0, span.start), mark: text.slice(span.start, span.end), after: text.slice(span.end) };
}

/** The query string of a filtered report (the default status left out). */
function filterQuery(f: Record<string, string>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) if (v && !(k === 'status' && v === 'open')) p.set(k, v);
  const s = p.toString();
  return s ? `?${s}` : '';
}

function reportPath(docId: string): string {
  return `${docBase(docId)}/qa`;
}

export function createQaRouter(ctx: AppContext, qa: QaFindings): express.Router {
  const { store } = ctx;
  const router = express.Router();

  const report = (doc: ReviewDocument, f: Filters, { pairs, report: findings }: { pairs: QaPair[]; report: Finding[] }) => {
    const byId = new Map(pairs.map((p) => [p.id, p]));
    // The report's view (qa.of): document-wide kinds grouped, most serious first (server/qa/report.ts).
    const rowOf = new Map(doc.beads.map((b, i) => [b.id, i + 1]));
    const all: ReportItem[] = findings.map((finding) => {
      const p = byId.get(finding.beadId);
      return {
        key: findingKey(finding),
        row: rowOf.get(finding.beadId) ?? 0,
        finding,
        status: findingStatus(finding, doc.issues),
        paragraph: p?.paragraph ?? null,
        target: whole(p?.target ?? '', finding.targetSpan),
        source: whole(p?.source ?? '', finding.sourceSpan),
        targetLine: around(p?.target ?? '', finding.targetSpan),
        sourceLine: around(p?.source ?? '', finding.sourceSpan),
        places: places(finding, byId, rowOf),
      };
    });
    const inStatus = all.filter((x) => f.status === 'all' || x.status === f.status);
    const shown = inStatus.filter(
      (x) => (!f.check || x.finding.check === f.check) && (!f.category || x.finding.category === f.category) && (!f.severity || x.finding.severity === f.severity),
    );
    return { pairs, all, inStatus, shown };
  };

  router.get(
    '/documents/:id/qa',
    route({ params: documentParams, query: filters }, async ({ params, query: f }, req, res) => {
      const doc = await store.getDocument(params.id);
      const outcome = await qa.of(doc, authorOf(res));
      // A large document is checked by a job: its page shows the progress and comes back here.
      if (!outcome.ready) return answerJob(ctx.jobs, req, res, outcome.job, { api: false });
      const r = report(doc, f, outcome);
      const chosen = await qa.configFor(doc);
      const counts = countFindings(r.inStatus.map((x) => x.finding));
      const statusCounts = { open: 0, dismissed: 0, issue: 0, all: r.all.length };
      for (const x of r.all) statusCounts[x.status]++;
      if (wantsJson(req)) {
        const rows = findingRows(r.shown.map((x) => x.finding), r.pairs);
        res.json({ revision: doc.revision, counts, statusCounts, findings: rows.map((row, i) => ({ ...row, key: r.shown[i]?.key, status: r.shown[i]?.status })) });
        return;
      }
      const self = reportPath(doc.id);
      await renderPage(res, 'qa-report', {
        title: `QA · ${doc.name}`,
        doc: { ...docHeader(doc), targetLang: doc.target.lang, sourceLang: doc.source.lang },
        self,
        filters: f,
        items: r.shown,
        total: r.inStatus.length,
        counts,
        statusCounts,
        checks: CHECKS.map((c) => ({ id: c.id, description: c.description })),
        severities: SEVERITY_ORDER,
        link: (over: Record<string, string>) => self + filterQuery({ ...f, ...over }),
        csvHref: `${self}.csv${filterQuery(f)}`,
        returnTo: self + filterQuery(f),
        glossaries: await store.listGlossaries(),
        glossary: chosen.glossary ? { id: chosen.glossary.id, name: chosen.glossary.name } : null,
      });
    }),
  );

  router.get(
    '/documents/:id/qa.csv',
    route({ params: documentParams, query: filters }, async ({ params, query }, req, res) => {
      const doc = await store.getDocument(params.id);
      const outcome = await qa.of(doc, authorOf(res));
      if (!outcome.ready) return answerJob(ctx.jobs, req, res, outcome.job, { api: false });
      const r = report(doc, query, outcome);
      const csv = rowsToCsv(findingRows(r.shown.map((x) => x.finding), r.pairs));
      const safeName = doc.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'document';
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${safeName}-qa.csv"`);
      res.send(`\uFEFF${csv}`); // BOM: spreadsheets then read the Chinese as UTF-8
    }),
  );

  router.post(
    '/documents/:id/glossary',
    route({ params: documentParams, body: z.object({ glossary: z.string().catch('') }) }, async ({ params, body }, req, res) => {
      const id = body.glossary === '' || body.glossary === 'default' ? null : Number(body.glossary);
      if (id !== null && !Number.isInteger(id)) throw new HttpError(422, 'Choose a glossary from the list.');
      const doc = await store.setDocumentGlossary(params.id, id, { author: authorOf(res) });
      if (wantsJson(req)) return void res.json({ ok: true, revision: doc.revision });
      res.redirect(303, reportPath(params.id));
    }),
  );

  const decision = z.object({ key: z.string().catch(''), baseRevision: formRevision.catch(undefined), returnTo: z.string().optional() });
  for (const kind of ['dismiss', 'issue'] as const) {
    router.post(
      `/documents/:id/qa/${kind}`,
      route({ params: documentParams, body: decision }, async ({ params, body }, req, res) => {
        const doc = await store.getDocument(params.id);
        const outcome = await qa.of(doc, authorOf(res));
        // A key of the report's view: a document-wide kind is decided as its grouped finding.
        const found = outcome.ready ? outcome.report.find((x) => findingKey(x) === body.key) : undefined;
        if (!found) throw new HttpError(409, 'This finding is no longer reported (the document changed). Reload the QA report.');
        if (findingStatus(found, doc.issues) !== 'open') throw new HttpError(409, 'This finding has already been dismissed or turned into an issue.');
        // One operation, one transaction, one history entry (and one undo), against the revision the
        // reviewer saw: a finding on a row changed since is a conflict, not a silent dismissal.
        const op = kind === 'dismiss' ? { ...addIssueOp(found), status: 'dismissed' as const } : addIssueOp(found);
        const after = await store.apply(params.id, op, { author: authorOf(res), baseRevision: body.baseRevision ?? doc.revision });
        if (wantsJson(req)) {
          res.json({ ok: true, revision: after.revision, status: kind === 'dismiss' ? 'dismissed' : 'issue' });
          return;
        }
        const self = reportPath(params.id);
        const back = safeReturnTo(body.returnTo, self);
        res.redirect(303, back.startsWith(self) ? back : self);
      }),
    );
  }

  return router;
}

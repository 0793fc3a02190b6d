/**
 * A document's QA report: the findings of the current revision (filters, counts, CSV download), and
 * the reviewer's decisions on them, which are review ops (addIssue, dismissed or open) and so in the
 * history like every other edit.
 *
 *   GET  /documents/:id/qa           report (?check=&category=&severity=&status=open|dismissed|issue|all); JSON on Accept: application/json
 *   GET  /documents/:id/qa.csv       the same rows as CSV
 *   POST /documents/:id/qa/dismiss   key=<finding key>, baseRevision, returnTo   (one addIssue, dismissed)
 *   POST /documents/:id/qa/issue     key=<finding key>, baseRevision, returnTo   (one addIssue)
 */
import express from 'express';
import { z } from 'zod';
import type { Finding, ReviewDocument } from '../../domain.js';
import { CHECKS, findingKey } from '../../qa/index.js';
import { addIssueOp, findingStatus, type FindingStatus } from '../../qa/finding-state.js';
import { countFindings, findingRows, rowsToCsv } from '../../qa/report.js';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
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
  /** Target text around the span, for highlighting (rendered escaped). */
  target: TextAround;
  source: TextAround;
}

interface TextAround {
  before: string;
  mark: string;
  after: string;
}

/** The whole text with its span marked (the report never cuts the text a finding is about). */
function around(text: string, span: { start: number; end: number } | null): TextAround {
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

export function createQaRouter({ store }: AppContext, qa: QaFindings): express.Router {
  const router = express.Router();

  const report = (doc: ReviewDocument, f: Filters) => {
    const { pairs, findings } = qa.of(doc);
    const byId = new Map(pairs.map((p) => [p.id, p]));
    const rowOf = new Map(doc.beads.map((b, i) => [b.id, i + 1]));
    const all: ReportItem[] = findings.map((finding) => {
      const p = byId.get(finding.beadId);
      return {
        key: findingKey(finding),
        row: rowOf.get(finding.beadId) ?? 0,
        finding,
        status: findingStatus(finding, doc.issues),
        paragraph: p?.paragraph ?? null,
        target: around(p?.target ?? '', finding.targetSpan),
        source: around(p?.source ?? '', finding.sourceSpan),
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
      const r = report(doc, f);
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
        link: (over: Record<string, string>) => self + filterQuery({ ...f, ...over }),
        csvHref: `${self}.csv${filterQuery(f)}`,
        returnTo: self + filterQuery(f),
      });
    }),
  );

  router.get(
    '/documents/:id/qa.csv',
    route({ params: documentParams, query: filters }, async ({ params, query }, _req, res) => {
      const doc = await store.getDocument(params.id);
      const r = report(doc, query);
      const csv = rowsToCsv(findingRows(r.shown.map((x) => x.finding), r.pairs));
      const safeName = doc.name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'document';
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${safeName}-qa.csv"`);
      res.send(`\uFEFF${csv}`); // BOM: spreadsheets then read the Chinese as UTF-8
    }),
  );

  const decision = z.object({ key: z.string().catch(''), baseRevision: formRevision.catch(undefined), returnTo: z.string().optional() });
  for (const kind of ['dismiss', 'issue'] as const) {
    router.post(
      `/documents/:id/qa/${kind}`,
      route({ params: documentParams, body: decision }, async ({ params, body }, req, res) => {
        const doc = await store.getDocument(params.id);
        const found = qa.of(doc).findings.find((x) => findingKey(x) === body.key);
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

/**
 * View model of the review page: one row per bead, paragraph headers, filters, search, paging.
 * Kept lean (strings and small arrays only) because a 2,000-bead page must render in well under 100 ms.
 */
import type { Finding, Paragraph, ReviewBead, ReviewDocument, ReviewIssue } from '../../domain.js';
import { joinSentences } from '../../text/lang.js';
import { isFixedRow } from '../../review/index.js';
import { confClass, confText, docBase, langDir, langLabel, rowAnchor } from './common.js';
import { diffText, type DiffSegment } from './diff.js';
import { rowMarks, type MarkVM } from './marks.js';

export const PAGE_SIZE = 500;

export type StatusFilter = 'all' | 'unconfirmed' | 'flagged';

export interface ReviewQuery {
  filter: StatusFilter;
  /** Show only rows with confidence strictly below this (null = no threshold). */
  below: number | null;
  /** Case-insensitive search in either side. */
  q: string;
  /** 1-based page, or 'all'. */
  page: number | 'all';
  /** Target version to diff against (null = none). */
  version: string | null;
}

export interface SentenceVM {
  index: number;
  text: string;
  /** For target sentences: the reviewer changed the machine output. */
  edited: boolean;
  /** The machine output when edited (the in-place editor diffs against it), else null. */
  original: string | null;
}

export interface RowVM {
  type: 'row';
  id: string;
  n: number;
  anchor: string;
  /** The paragraph header shown above the row (its first sentence opens a paragraph), or null. */
  para: string | null;
  target: SentenceVM[];
  source: SentenceVM[];
  conf: string;
  confClass: string;
  status: ReviewBead['status'];
  /** Aligned by hand (merge, split, move, empty counterpart): the confidence is the model's score of the reviewer's row. */
  hand: boolean;
  /** Re-alignment keeps it (confirmed, flagged or aligned by hand). */
  fixed: boolean;
  /** Open issues first, then the QA findings not decided yet. */
  marks: MarkVM[];
  versionDiff: DiffSegment[] | null;
  rowHref: string;
}

export interface ReviewVM {
  id: string;
  name: string;
  revision: number;
  model: string;
  sourceLang: string;
  sourceDir: 'ltr' | 'rtl';
  targetDir: 'ltr' | 'rtl';
  targetLang: string;
  sourceLabel: string;
  targetLabel: string;
  base: string;
  counts: { total: number; confirmed: number; flagged: number; automatic: number; matching: number };
  items: RowVM[];
  query: ReviewQuery;
  /** Current URL path + query, posted back so operations return to the same view. */
  back: string;
  page: number | 'all';
  pages: number;
  pageLinks: { n: number; href: string; current: boolean }[];
  allHref: string;
  nextUnconfirmedHref: string | null;
  /** The next page of rows (the script's "j" goes there from the last row), or null. */
  nextPageHref: string | null;
  /** Where the script's "n" goes when no unconfirmed row follows on this page. */
  nextAfterPageHref: string | null;
  versions: { id: string; name: string; selected: boolean }[];
  versionName: string | null;
  lastConfirmed: number;
  filtered: boolean;
}

export function parseReviewQuery(q: Record<string, unknown>): ReviewQuery {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const f = text(q.filter);
  const filter: StatusFilter = f === 'unconfirmed' || f === 'flagged' ? f : 'all';
  const b = Number.parseFloat(text(q.below));
  const below = Number.isFinite(b) && b > 0 && b <= 1 ? b : null;
  const p = text(q.page);
  const pn = Number.parseInt(p, 10);
  const page: number | 'all' = p === 'all' ? 'all' : Number.isFinite(pn) && pn >= 1 ? pn : 1;
  const v = text(q.version);
  return { filter, below, q: text(q.q).slice(0, 200), page, version: v || null };
}

/** Query string of a review URL (only non-default parts), with an optional page override. */
export function queryString(q: ReviewQuery, page?: number | 'all'): string {
  const p = new URLSearchParams();
  if (q.filter !== 'all') p.set('filter', q.filter);
  if (q.below !== null) p.set('below', String(q.below));
  if (q.q) p.set('q', q.q);
  if (q.version) p.set('version', q.version);
  const pg = page ?? q.page;
  if (pg !== 1) p.set('page', String(pg));
  const s = p.toString();
  return s ? `?${s}` : '';
}

function openIssuesByBead(issues: readonly ReviewIssue[]): Map<string, ReviewIssue[]> {
  const m = new Map<string, ReviewIssue[]>();
  for (const i of issues) {
    if (i.status !== 'open') continue;
    const list = m.get(i.beadId);
    if (list) list.push(i);
    else m.set(i.beadId, [i]);
  }
  return m;
}

function findingsByBead(findings: readonly Finding[] | null): Map<string, Finding[]> {
  const m = new Map<string, Finding[]>();
  for (const f of findings ?? []) {
    const list = m.get(f.beadId);
    if (list) list.push(f);
    else m.set(f.beadId, [f]);
  }
  return m;
}

/** Which beads pass the status / confidence / search filters. */
export function matchesQuery(doc: ReviewDocument, bead: ReviewBead, q: ReviewQuery, hasOpenIssue: boolean): boolean {
  if (q.filter === 'unconfirmed' && bead.status === 'confirmed') return false;
  if (q.filter === 'flagged' && bead.status !== 'flagged' && !hasOpenIssue) return false;
  if (q.below !== null && !(bead.confidence < q.below)) return false;
  if (q.q) {
    const needle = q.q.toLowerCase();
    const hit =
      bead.source.some((i) => (doc.source.sentences[i]?.text ?? '').toLowerCase().includes(needle)) ||
      bead.target.some((i) => (doc.target.sentences[i]?.text ?? '').toLowerCase().includes(needle));
    if (!hit) return false;
  }
  return true;
}

/** The rows matching the query, and the page of them shown. */
function selectRows(
  doc: ReviewDocument,
  query: ReviewQuery,
  issues: Map<string, ReviewIssue[]>,
): { matching: number[]; page: number | 'all'; pages: number; shown: number[] } {
  const filtered = query.filter !== 'all' || query.below !== null || query.q !== '';
  const matching: number[] = [];
  doc.beads.forEach((b, i) => {
    if (!filtered || matchesQuery(doc, b, query, issues.has(b.id))) matching.push(i);
  });
  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const page = query.page === 'all' ? 'all' : Math.min(query.page, pages);
  const shown = page === 'all' ? matching : matching.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return { matching, page, pages, shown };
}

/** The beads shown on the review page for a query (for the QA markers). */
export function shownBeads(doc: ReviewDocument, query: ReviewQuery): ReviewBead[] {
  return selectRows(doc, query, openIssuesByBead(doc.issues)).shown.map((i) => doc.beads[i]!);
}

/** What building rows needs besides the document (shared by the page and by the rows sent after a change). */
export interface RowContext {
  base: string;
  query: ReviewQuery;
  issues: Map<string, ReviewIssue[]>;
  findings: Map<string, Finding[]>;
  /** Findings already decided (made an issue or dismissed): not shown again. */
  decided: Set<string>;
  version: ReviewDocument['versions'][number] | null;
}

export function rowContext(doc: ReviewDocument, query: ReviewQuery, findings: readonly Finding[] | null): RowContext {
  return {
    base: docBase(doc.id),
    query,
    issues: openIssuesByBead(doc.issues),
    findings: findingsByBead(findings),
    decided: new Set(doc.issues.filter((x) => x.origin === 'automatic').map((x) => `${x.beadId}\u0001${x.check ?? ''}\u0001${x.comment}`)),
    version: query.version ? (doc.versions.find((v) => v.id === query.version) ?? null) : null,
  };
}

/** The paragraphs of the rows before row `i` (a header is shown where a row opens another one). */
function paragraphsBefore(doc: ReviewDocument, i: number): { s: number; t: number } {
  let s = -1;
  let t = -1;
  for (let k = i - 1; k >= 0 && (s < 0 || t < 0); k--) {
    const b = doc.beads[k]!;
    if (s < 0 && b.source.length) s = doc.source.sentences[b.source[0]!]?.paragraph ?? -1;
    if (t < 0 && b.target.length) t = doc.target.sentences[b.target[0]!]?.paragraph ?? -1;
  }
  return { s, t };
}

/**
 * The rows at these indices (ascending), as the review page shows them. `continuous`: the rows
 * before the first one are taken as shown (a change's rows, rendered in place), else the paragraph
 * headers follow the rows given only (a filtered page).
 */
export function buildRows(doc: ReviewDocument, indices: readonly number[], ctx: RowContext, continuous = false): RowVM[] {
  const tLang = doc.target.lang;
  const rows: RowVM[] = [];
  let { s: lastS, t: lastT } = continuous && indices.length ? paragraphsBefore(doc, indices[0]!) : { s: -1, t: -1 };
  for (const i of indices) {
    const b = doc.beads[i];
    if (!b) continue;
    const sPara = b.source.length ? (doc.source.sentences[b.source[0]!]?.paragraph ?? -1) : -1;
    const tPara = b.target.length ? (doc.target.sentences[b.target[0]!]?.paragraph ?? -1) : -1;
    let para: string | null = null;
    if ((sPara >= 0 && sPara !== lastS) || (tPara >= 0 && tPara !== lastT)) {
      if (sPara >= 0) lastS = sPara;
      if (tPara >= 0) lastT = tPara;
      para = paraLabel(doc, tPara, sPara);
    }
    const target = b.target.map((si) => {
      const s = doc.target.sentences[si];
      const edited = !!s && s.text !== s.original;
      return { index: si, text: s?.text ?? '', edited, original: edited ? (s?.original ?? null) : null };
    });
    const source = b.source.map((si) => ({ index: si, text: doc.source.sentences[si]?.text ?? '', edited: false, original: null }));
    // A finding the reviewer already turned into an issue or dismissed is not repeated.
    const open = (ctx.findings.get(b.id) ?? []).filter((f) => !ctx.decided.has(`${f.beadId}\u0001${f.check}\u0001${f.message}`));
    const marks = rowMarks(ctx.issues.get(b.id) ?? [], open);
    let versionDiff: DiffSegment[] | null = null;
    if (ctx.version) {
      const reviewed = joinSentences(target.map((t) => t.text), tLang);
      versionDiff = diffText(reviewed, ctx.version.textByBead[b.id] ?? '', ctx.version.lang || tLang);
    }
    rows.push({
      type: 'row',
      id: b.id,
      n: i + 1,
      anchor: rowAnchor(b.id),
      para,
      target,
      source,
      conf: confText(b.confidence),
      confClass: confClass(b.confidence),
      status: b.status,
      hand: b.origin === 'manual',
      fixed: isFixedRow(b),
      marks,
      versionDiff,
      rowHref: `${ctx.base}/rows/${encodeURIComponent(b.id)}${queryString(ctx.query)}`,
    });
  }
  return rows;
}

export function buildReviewVM(doc: ReviewDocument, query: ReviewQuery, findings: readonly Finding[] | null): ReviewVM {
  const ctx = rowContext(doc, query, findings);
  const { base } = ctx;
  const tLang = doc.target.lang;
  const filtered = query.filter !== 'all' || query.below !== null || query.q !== '';
  const counts = statusCounts(doc);
  const { matching, page, pages, shown } = selectRows(doc, query, ctx.issues);
  const items = buildRows(doc, shown, ctx);

  const firstUnconfirmed = doc.beads.find((b) => b.status !== 'confirmed');
  const lastShown = shown.length ? doc.beads[shown[shown.length - 1]!]?.id ?? null : null;
  const pageLinks = [];
  for (let n = 1; n <= pages && pages > 1; n++) pageLinks.push({ n, href: `${base}${queryString(query, n)}`, current: n === page });

  return {
    id: doc.id,
    name: doc.name,
    revision: doc.revision,
    model: doc.model,
    sourceLang: doc.source.lang,
    sourceDir: langDir(doc.source.lang),
    targetDir: langDir(tLang),
    targetLang: tLang,
    sourceLabel: langLabel(doc.source.lang),
    targetLabel: langLabel(tLang),
    base,
    counts: { ...counts, matching: matching.length },
    items,
    query,
    back: `${base}${queryString(query)}`,
    page,
    pages,
    pageLinks,
    allHref: `${base}${queryString(query, 'all')}`,
    nextUnconfirmedHref: firstUnconfirmed ? `${base}/next` : null,
    nextPageHref: typeof page === 'number' && page < pages ? `${base}${queryString(query, page + 1)}` : null,
    nextAfterPageHref: firstUnconfirmed && lastShown ? `${base}/next?after=${encodeURIComponent(lastShown)}` : null,
    versions: doc.versions.map((v) => ({ id: v.id, name: v.name, selected: v.id === query.version })),
    versionName: ctx.version?.name ?? null,
    lastConfirmed: counts.lastConfirmed,
    filtered,
  };
}

/** Rows per status, and the last confirmed one (the progress shown above the rows). */
export function statusCounts(doc: Pick<ReviewDocument, 'beads'>): { total: number; confirmed: number; flagged: number; automatic: number; lastConfirmed: number } {
  let confirmed = 0;
  let flagged = 0;
  let lastConfirmed = -1;
  doc.beads.forEach((b, i) => {
    if (b.status === 'confirmed') {
      confirmed++;
      lastConfirmed = i;
    } else if (b.status === 'flagged') flagged++;
  });
  return { total: doc.beads.length, confirmed, flagged, automatic: doc.beads.length - confirmed - flagged, lastConfirmed };
}

/** "¶ 12" for numbered paragraphs, "title" / "date" by kind, else the position: what reviewers cite. */
function paraLabel(doc: ReviewDocument, tPara: number, sPara: number): string {
  const name = (idx: number, p: Paragraph | undefined): string =>
    p?.number ? `¶ ${p.number}` : p && (p.kind === 'title' || p.kind === 'date') ? p.kind : `paragraph ${idx + 1}`;
  const t = tPara >= 0 ? name(tPara, doc.target.paragraphs[tPara]) : null;
  const s = sPara >= 0 ? name(sPara, doc.source.paragraphs[sPara]) : null;
  if (t !== null && t === s) return t;
  return [t !== null ? `${doc.target.lang} ${t}` : null, s !== null ? `${doc.source.lang} ${s}` : null].filter(Boolean).join(' · ');
}

/** The 1-based page (of the given query's matching rows) holding a bead, or null when filtered out. */
export function pageOfBead(doc: ReviewDocument, beadId: string, query: ReviewQuery): number | null {
  const filtered = query.filter !== 'all' || query.below !== null || query.q !== '';
  const issues = filtered ? openIssuesByBead(doc.issues) : new Map<string, ReviewIssue[]>();
  let k = 0;
  for (const b of doc.beads) {
    const match = !filtered || matchesQuery(doc, b, query, issues.has(b.id));
    if (b.id === beadId) return match ? Math.floor(k / PAGE_SIZE) + 1 : null;
    if (match) k++;
  }
  return null;
}

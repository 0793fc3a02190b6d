/**
 * View model of the review page: one row per bead, paragraph headers, filters, search, paging.
 * Kept lean (strings and small arrays only) because a 2,000-bead page must render in well under 100 ms.
 */
import type { Finding, Paragraph, ReviewBead, ReviewDocument, ReviewIssue } from '../../domain.js';
import { joinSentences } from '../../text/lang.js';
import { confClass, confText, docBase, langLabel, rowAnchor } from './common.js';
import { diffText, type DiffSegment } from './diff.js';

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
}

export interface MarkerVM {
  kind: 'issue' | 'finding';
  label: string;
  severity: string;
  title: string;
}

export interface RowVM {
  type: 'row';
  id: string;
  n: number;
  anchor: string;
  target: SentenceVM[];
  source: SentenceVM[];
  conf: string;
  confClass: string;
  status: ReviewBead['status'];
  markers: MarkerVM[];
  versionDiff: DiffSegment[] | null;
  rowHref: string;
}

export interface ParaHeaderVM {
  type: 'para';
  label: string;
}

export interface ReviewVM {
  id: string;
  name: string;
  revision: number;
  model: string;
  sourceLang: string;
  targetLang: string;
  sourceLabel: string;
  targetLabel: string;
  base: string;
  counts: { total: number; confirmed: number; flagged: number; automatic: number; matching: number };
  items: (RowVM | ParaHeaderVM)[];
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

function initials(category: string): string {
  const last = category.split('/').pop() ?? category;
  return last.slice(0, 1).toUpperCase();
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

export function buildReviewVM(doc: ReviewDocument, query: ReviewQuery, findings: readonly Finding[] | null): ReviewVM {
  const base = docBase(doc.id);
  const issues = openIssuesByBead(doc.issues);
  const finds = findingsByBead(findings);
  const decided = new Set(doc.issues.filter((x) => x.origin === 'automatic').map((x) => `${x.beadId}\u0001${x.check ?? ''}\u0001${x.comment}`));
  const version = query.version ? doc.versions.find((v) => v.id === query.version) ?? null : null;
  const tLang = doc.target.lang;
  const filtered = query.filter !== 'all' || query.below !== null || query.q !== '';

  let confirmed = 0;
  let flagged = 0;
  let lastConfirmed = -1;
  doc.beads.forEach((b, i) => {
    if (b.status === 'confirmed') {
      confirmed++;
      lastConfirmed = i;
    } else if (b.status === 'flagged') flagged++;
  });
  const { matching, page, pages, shown } = selectRows(doc, query, issues);

  const items: (RowVM | ParaHeaderVM)[] = [];
  let lastS = -1;
  let lastT = -1;
  for (const i of shown) {
    const b = doc.beads[i];
    if (!b) continue;
    const sPara = b.source.length ? doc.source.sentences[b.source[0]!]?.paragraph ?? -1 : -1;
    const tPara = b.target.length ? doc.target.sentences[b.target[0]!]?.paragraph ?? -1 : -1;
    if ((sPara >= 0 && sPara !== lastS) || (tPara >= 0 && tPara !== lastT)) {
      if (sPara >= 0) lastS = sPara;
      if (tPara >= 0) lastT = tPara;
      items.push({ type: 'para', label: paraLabel(doc, tPara, sPara) });
    }
    const target = b.target.map((si) => {
      const s = doc.target.sentences[si];
      return { index: si, text: s?.text ?? '', edited: !!s && s.text !== s.original };
    });
    const source = b.source.map((si) => ({ index: si, text: doc.source.sentences[si]?.text ?? '', edited: false }));
    const markers: MarkerVM[] = [];
    for (const is of issues.get(b.id) ?? []) {
      markers.push({
        kind: 'issue',
        label: initials(is.category),
        severity: is.severity,
        title: `${is.category} (${is.severity})${is.comment ? `: ${is.comment}` : ''} — ${is.author}`,
      });
    }
    for (const f of finds.get(b.id) ?? []) {
      // A finding the reviewer already turned into an issue or dismissed (on the QA page) is not repeated.
      if (decided.has(`${f.beadId}\u0001${f.check}\u0001${f.message}`)) continue;
      markers.push({ kind: 'finding', label: initials(f.category), severity: f.severity, title: `QA ${f.check}: ${f.message}` });
    }
    let versionDiff: DiffSegment[] | null = null;
    if (version) {
      const reviewed = joinSentences(target.map((t) => t.text), tLang);
      versionDiff = diffText(reviewed, version.textByBead[b.id] ?? '', version.lang || tLang);
    }
    items.push({
      type: 'row',
      id: b.id,
      n: i + 1,
      anchor: rowAnchor(b.id),
      target,
      source,
      conf: confText(b.confidence),
      confClass: confClass(b.confidence),
      status: b.status,
      markers,
      versionDiff,
      rowHref: `${base}/rows/${encodeURIComponent(b.id)}${queryString(query)}`,
    });
  }

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
    targetLang: tLang,
    sourceLabel: langLabel(doc.source.lang),
    targetLabel: langLabel(tLang),
    base,
    counts: { total: doc.beads.length, confirmed, flagged, automatic: doc.beads.length - confirmed - flagged, matching: matching.length },
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
    versionName: version?.name ?? null,
    lastConfirmed,
    filtered,
  };
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

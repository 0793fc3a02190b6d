/** Small helpers shared by the page view models (pure: no Express, no store). */
import type { Lang, ReviewDocument } from '../../domain.js';

/** Confidence bucket 0…9 as a CSS class (CSP forbids inline style attributes). */
export function confClass(confidence: number): string {
  const c = Number.isFinite(confidence) ? Math.min(1, Math.max(0, confidence)) : 0;
  return `conf-${Math.min(9, Math.floor(c * 10))}`;
}

/** Confidence as shown: two decimals. */
export function confText(confidence: number): string {
  return Number.isFinite(confidence) ? confidence.toFixed(2) : '–';
}

/** Short, readable timestamp (UTC) for lists. */
export function shortTime(iso: string): string {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '';
}

const LANG_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** Human name of a language code in the column headers (any code: "pt" Portuguese, "ar" Arabic; the code when unknown). */
export function langLabel(lang: Lang): string {
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? lang;
  try {
    const name = LANG_NAMES.of(base);
    return name && name !== base ? name : lang;
  } catch {
    return lang;
  }
}

/** Languages written right to left (their primary subtags). */
const RTL = new Set(['ar', 'he', 'iw', 'fa', 'ur', 'ps', 'yi', 'dv', 'ckb', 'sd', 'ug']);

/** The `dir` attribute of text in `lang`. */
export function langDir(lang: Lang): 'ltr' | 'rtl' {
  return RTL.has(lang.toLowerCase().split(/[-_]/)[0] ?? '') ? 'rtl' : 'ltr';
}

/** Path of a document's review page; its other pages hang below it (…/history, …/rows/:beadId). */
export function docBase(id: string): string {
  return `/documents/${encodeURIComponent(id)}`;
}

/** What the tabs of a document (partials/docnav) show. */
export function docHeader(doc: Pick<ReviewDocument, 'id' | 'name' | 'revision'>): { base: string; name: string; revision: number } {
  return { base: docBase(doc.id), name: doc.name, revision: doc.revision };
}

/** The column headers of a document's two sides. */
export function sideLabels(doc: Pick<ReviewDocument, 'source' | 'target'>): { targetLabel: string; sourceLabel: string } {
  return { targetLabel: langLabel(doc.target.lang), sourceLabel: langLabel(doc.source.lang) };
}

/** Anchor id of a bead's row on the review page. */
export function rowAnchor(beadId: string): string {
  return `b-${beadId}`;
}

/** Small helpers shared by the page view models (pure: no Express, no store). */
import type { Lang } from '../../domain.js';

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

/** Human name of a language code in the column headers. */
export function langLabel(lang: Lang): string {
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? lang;
  const names: Record<string, string> = { zh: 'Chinese', en: 'English', ja: 'Japanese', fr: 'French', de: 'German', ru: 'Russian', es: 'Spanish' };
  return names[base] ?? lang;
}

/** Anchor id of a bead's row on the review page. */
export function rowAnchor(beadId: string): string {
  return `b-${beadId}`;
}

/**
 * The side-by-side page of a translation set: the original and the chosen translations, one row per
 * stretch of the original every translation keeps whole (review/translation-set.ts). Pure.
 */
import type { ReviewDocument } from '../../domain.js';
import { setName, type SetAlignment } from '../../review/index.js';
import { docBase, langDir, langLabel } from './common.js';

export interface SetTranslationVM {
  index: number;
  lang: string;
  label: string;
  dir: 'ltr' | 'rtl';
  name: string;
  href: string;
  chosen: boolean;
  /** Rows of the set where this translation has no text (sentences left out). */
  missing: number;
}

export interface SetCellVM {
  text: string;
  empty: boolean;
  confirmed: boolean;
  /** The translation's first row of this stretch on its review page. */
  href: string | null;
}

export interface SetVM {
  id: string;
  name: string;
  source: { lang: string; label: string; dir: 'ltr' | 'rtl' };
  translations: SetTranslationVM[];
  chosen: SetTranslationVM[];
  rows: { n: number; source: string; cells: SetCellVM[] }[];
  exportHref: string;
}

/** Which translations to show: the languages asked for (codes, any case), else all. */
export function chosenIndices(docs: readonly Pick<ReviewDocument, 'target'>[], show: readonly string[]): number[] {
  const wanted = new Set(show.map((s) => s.toLowerCase()));
  const all = docs.map((_, k) => k);
  if (wanted.size === 0) return all;
  const picked = all.filter((k) => wanted.has(docs[k]!.target.lang.toLowerCase()));
  return picked.length ? picked : all;
}

export function buildSetVM(id: string, docs: readonly ReviewDocument[], set: SetAlignment, show: readonly string[]): SetVM {
  const chosenSet = new Set(chosenIndices(docs, show));
  const translations = docs.map((d, index) => ({
    index,
    lang: d.target.lang,
    label: langLabel(d.target.lang),
    dir: langDir(d.target.lang),
    name: d.name,
    href: docBase(d.id),
    chosen: chosenSet.has(index),
    missing: set.rows.filter((r) => r.source && !r.targets[index]?.text).length,
  }));
  const chosen = translations.filter((t) => t.chosen);
  const query = chosen.length === translations.length ? '' : `?${chosen.map((t) => `show=${encodeURIComponent(t.lang)}`).join('&')}`;
  return {
    id,
    name: setName(docs),
    source: { lang: set.sourceLang, label: langLabel(set.sourceLang), dir: langDir(set.sourceLang) },
    translations,
    chosen,
    rows: set.rows.map((r, k) => ({
      n: k + 1,
      source: r.source,
      cells: chosen.map((t) => {
        const cell = r.targets[t.index];
        const first = cell?.beadIds[0];
        return { text: cell?.text ?? '', empty: !cell?.text, confirmed: cell?.confirmed ?? false, href: first ? `${docBase(docs[t.index]!.id)}/go/${encodeURIComponent(first)}` : null };
      }),
    })),
    exportHref: `/sets/${encodeURIComponent(id)}/export.tmx${query}`,
  };
}

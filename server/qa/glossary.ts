/**
 * The terminology glossary: a TSV file, one entry a line, editable by hand and from the web UI.
 *
 *   english <TAB> accepted <TAB> forbidden <TAB> note [<TAB> unless]
 *
 * - english: the source term; variants separated by '|' ("States Parties|State Party"). Matched on
 *   word boundaries, case-insensitively, except all-capital acronyms (WHO ≠ who). May be empty: the
 *   entry's forbidden terms then apply to every bead (e.g. 双方).
 * - accepted: Chinese renderings, '|'-separated; a bead whose English has the term and whose Chinese
 *   has none of them is flagged (unless a forbidden variant is flagged instead).
 * - forbidden: Chinese variants that are wrong where the English has the term (or anywhere, when the
 *   English column is empty).
 * - note: shown with the finding.
 * - unless: English phrases ('|') that license the forbidden terms: "双方" is fine where the English
 *   says "both sides".
 * Lines starting with '#' and a header line starting with "english" are ignored.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GlossaryEntry } from '../domain.js';

export type { GlossaryEntry } from '../domain.js';

export interface Glossary {
  entries: GlossaryEntry[];
  /** The file it came from, if any. */
  path: string | null;
  /** The language pair its terms are for (absent: en → zh, as the TSV files are); other documents skip it. */
  langs?: { source: string; target: string };
}

export class GlossaryError extends Error {
  override name = 'GlossaryError';
  constructor(
    message: string,
    /** The file at fault, when there is one (the web editor still opens it). */
    readonly path: string | null = null,
  ) {
    super(message);
  }
}

export const EMPTY_GLOSSARY: Glossary = { entries: [], path: null };

const MAX_FIELD = 500;

function list(field: string | undefined): string[] {
  return (field ?? '')
    .split('|')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

/** Checks one entry; returns an error message or null. */
export function validateEntry(e: GlossaryEntry): string | null {
  if (e.english.length === 0 && e.forbidden.length === 0) return 'an entry needs an English term or a forbidden Chinese term';
  if (e.english.length > 0 && e.accepted.length === 0 && e.forbidden.length === 0) {
    return 'an entry with an English term needs accepted or forbidden Chinese terms';
  }
  for (const f of [...e.english, ...e.accepted, ...e.forbidden, ...e.unless, e.note]) {
    if (f.length > MAX_FIELD) return `a field is longer than ${MAX_FIELD} characters`;
    if (/[\t\r\n]/.test(f)) return 'fields may not contain tabs or line breaks';
  }
  for (const f of [...e.english, ...e.accepted, ...e.forbidden, ...e.unless]) {
    if (f.includes('|')) return 'a term may not contain "|"';
  }
  const clash = e.accepted.find((a) => e.forbidden.includes(a));
  if (clash) return `"${clash}" is both accepted and forbidden`;
  return null;
}

export function parseGlossary(text: string, path: string | null = null): Glossary {
  const entries: GlossaryEntry[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const cols = line.split('\t');
    if (i === 0 || entries.length === 0) {
      if (/^english$/i.test((cols[0] ?? '').trim())) return; // header
    }
    if (cols.length < 2 || cols.length > 5) {
      throw new GlossaryError(`${path ?? 'glossary'}:${i + 1}: expected 2 to 5 tab-separated columns (english, accepted, forbidden, note, unless), got ${cols.length}`, path);
    }
    const entry: GlossaryEntry = {
      english: list(cols[0]),
      accepted: list(cols[1]),
      forbidden: list(cols[2]),
      note: (cols[3] ?? '').trim(),
      unless: list(cols[4]),
    };
    const err = validateEntry(entry);
    if (err) throw new GlossaryError(`${path ?? 'glossary'}:${i + 1}: ${err}`, path);
    entries.push(entry);
  });
  return { entries, path };
}

export function serializeGlossary(g: Glossary): string {
  const head = '# english\taccepted (|)\tforbidden (|)\tnote\tunless English says (|)\n';
  return (
    head +
    g.entries
      .map((e) => [e.english.join('|'), e.accepted.join('|'), e.forbidden.join('|'), e.note, e.unless.join('|')].join('\t').replace(/\t+$/, ''))
      .join('\n') +
    '\n'
  );
}

export function loadGlossary(path: string): Glossary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GlossaryError(`cannot read glossary ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, path);
  }
  return parseGlossary(text, path);
}

/** Writes the glossary atomically (temporary file + rename), so a reader never sees half a file. */
export function saveGlossary(g: Glossary, path: string): void {
  for (const e of g.entries) {
    const err = validateEntry(e);
    if (err) throw new GlossaryError(err);
  }
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, serializeGlossary(g), 'utf8');
  renameSync(tmp, path);
}

/** Builds an entry from form/CLI fields ('|'-separated strings), validated. */
export function entryFromFields(f: { english?: unknown; accepted?: unknown; forbidden?: unknown; note?: unknown; unless?: unknown }): GlossaryEntry {
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const entry: GlossaryEntry = {
    english: list(text(f.english)),
    accepted: list(text(f.accepted)),
    forbidden: list(text(f.forbidden)),
    note: text(f.note).trim(),
    unless: list(text(f.unless)),
  };
  const err = validateEntry(entry);
  if (err) throw new GlossaryError(err);
  return entry;
}

/** The QA glossary of a glossary kept in the store (its entries without ids), or an empty one. */
/** The primary subtag of a language code, lower case (zh-CN → zh). */
const primary = (lang: string) => (lang.split(/[-_]/)[0] ?? '').toLowerCase();

/**
 * The entries that apply to a document in `langs`: all of them when the glossary is for that pair
 * (primary subtags; a glossary without a pair is en → zh), none otherwise.
 */
export function applicableEntries(glossary: Glossary, langs: { source: string; target: string }): GlossaryEntry[] {
  const g = glossary.langs ?? { source: 'en', target: 'zh' };
  return primary(g.source) === primary(langs.source) && primary(g.target) === primary(langs.target) ? glossary.entries : [];
}

export function glossaryOfStored(g: { entryList: readonly GlossaryEntry[]; sourceLang?: string; targetLang?: string } | null): Glossary {
  const entries = g ? g.entryList.map(({ english, accepted, forbidden, note, unless }) => ({ english, accepted, forbidden, note, unless })) : [];
  return { entries, path: null, ...(g?.sourceLang && g.targetLang ? { langs: { source: g.sourceLang, target: g.targetLang } } : {}) };
}

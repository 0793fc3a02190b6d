/**
 * Glossaries as TBX (TermBase eXchange, ISO 30042), the terminology format that CAT and QA tools
 * read. Written as TBX-Basic: version 3 (ISO 30042:2019, DCA style, namespace
 * urn:iso:std:iso:30042:ed:3.0) by default, or version 2 (the older <martif> form many tools still
 * import). Read: both.
 *
 * One concept entry per glossary entry:
 * - English variants: the English language section, one term section each;
 * - accepted Chinese: the Chinese section, the first `preferredTerm-admn-sts`, the others
 *   `admittedTerm-admn-sts`; forbidden Chinese: `deprecatedTerm-admn-sts`;
 * - the note: a <note> of the entry; the "unless the English says" phrases, which TBX-Basic has no
 *   data category for: a second <note> starting with UNLESS_PREFIX (other tools show it as a note);
 * - who changed it last and when: a modification transaction (transacGrp).
 * On reading, superseded terms count as forbidden, terms without a status as accepted; languages
 * other than English and Chinese are left out (counted in the result).
 */
import type { GlossaryEntry, StoredGlossaryEntry } from '../domain.js';
import { ImportError } from './errors.js';
import { checkXmlDeclaredEncoding, decodeImport } from './input.js';
import { childElements, escapeAttr, escapeText, parseXml, textContent, type XmlElement } from './xml.js';

export const TBX_NAMESPACE = 'urn:iso:std:iso:30042:ed:3.0';
export const UNLESS_PREFIX = 'Not an error where the English says: ';
export type TbxVersion = 2 | 3;

const STATUS = {
  preferred: 'preferredTerm-admn-sts',
  admitted: 'admittedTerm-admn-sts',
  deprecated: 'deprecatedTerm-admn-sts',
  superseded: 'supersededTerm-admn-sts',
} as const;

/** Element names of the two versions: concept entry, language section, term section. */
const NAMES = {
  3: { entry: 'conceptEntry', lang: 'langSec', term: 'termSec' },
  2: { entry: 'termEntry', lang: 'langSet', term: 'tig' },
} as const;

type Entry = GlossaryEntry & Partial<Pick<StoredGlossaryEntry, 'updatedAt' | 'updatedBy'>>;

/** A TBX-Basic file of `entries`. TBX needs at least one entry: an empty glossary is refused. */
export function writeTbx(entries: readonly Entry[], opts: { title: string; version?: TbxVersion; sourceLang?: string; targetLang?: string; now?: Date }): string {
  const version = opts.version ?? 3;
  const n = NAMES[version];
  const en = opts.sourceLang ?? 'en';
  const zh = opts.targetLang ?? 'zh';
  if (entries.length === 0) throw new ImportError('the glossary is empty: a TBX file needs at least one entry', 'content');
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>\n'];
  const source = `<sourceDesc><p>Exported by bitext-review on ${(opts.now ?? new Date()).toISOString().slice(0, 10)}</p></sourceDesc>`;
  const title = `<titleStmt><title>${escapeText(opts.title)}</title></titleStmt>`;
  if (version === 3) {
    out.push(`<tbx type="TBX-Basic" style="dca" xml:lang="${escapeAttr(en)}" xmlns="${TBX_NAMESPACE}">\n`);
    out.push(`  <tbxHeader>\n    <fileDesc>${title}${source}</fileDesc>\n  </tbxHeader>\n`);
  } else {
    out.push(`<martif type="TBX-Basic" xml:lang="${escapeAttr(en)}">\n`);
    out.push(`  <martifHeader>\n    <fileDesc>${title}${source}</fileDesc>\n    <encodingDesc><p type="XCSURI">TBXBasicXCSV02.xcs</p></encodingDesc>\n  </martifHeader>\n`);
  }
  out.push('  <text>\n    <body>\n');
  entries.forEach((e, k) => {
    const parts: string[] = [`      <${n.entry} id="c${k + 1}">\n`];
    if (e.updatedAt && /^\d{4}-\d{2}-\d{2}/.test(e.updatedAt)) {
      const who = e.updatedBy ? `<transacNote type="responsibility">${escapeText(e.updatedBy)}</transacNote>` : '';
      parts.push(`        <transacGrp><transac type="transactionType">modification</transac>${who}<date>${e.updatedAt.slice(0, 10)}</date></transacGrp>\n`);
    }
    if (e.note) parts.push(`        <note>${escapeText(e.note)}</note>\n`);
    if (e.unless.length) parts.push(`        <note>${escapeText(UNLESS_PREFIX + e.unless.join(' | '))}</note>\n`);
    const term = (t: string, status: string | null): string =>
      `          <${n.term}><term>${escapeText(t)}</term>${status ? `<termNote type="administrativeStatus">${status}</termNote>` : ''}</${n.term}>\n`;
    if (e.english.length) {
      parts.push(`        <${n.lang} xml:lang="${escapeAttr(en)}">\n`, ...e.english.map((t) => term(t, null)), `        </${n.lang}>\n`);
    }
    const zhTerms = [...e.accepted.map((t, i) => term(t, i === 0 ? STATUS.preferred : STATUS.admitted)), ...e.forbidden.map((t) => term(t, STATUS.deprecated))];
    if (zhTerms.length) parts.push(`        <${n.lang} xml:lang="${escapeAttr(zh)}">\n`, ...zhTerms, `        </${n.lang}>\n`);
    parts.push(`      </${n.entry}>\n`);
    out.push(parts.join(''));
  });
  out.push('    </body>\n  </text>\n');
  out.push(version === 3 ? '</tbx>\n' : '</martif>\n');
  return out.join('');
}

/** Local name of an element (TBX may be written with a namespace prefix). */
const local = (el: XmlElement): string => el.name.replace(/^.*:/, '');
const children = (el: XmlElement, ...names: string[]): XmlElement[] => childElements(el).filter((c) => names.includes(local(c)));
const langOf = (el: XmlElement): string => (el.attrs['xml:lang'] ?? el.attrs.lang ?? '').toLowerCase();

export interface TbxImport {
  title: string | null;
  entries: GlossaryEntry[];
  /** Concept entries left out: no English or Chinese term in them. */
  skipped: number;
  /** Other languages met (left out). */
  otherLanguages: string[];
}

/** Reads a TBX file (v3 <tbx> or v2 <martif>, TBX-Basic or close to it) into glossary entries. */
export function readTbx(input: string | Uint8Array, opts: { maxBytes?: number; sourceLang?: string; targetLang?: string } = {}): TbxImport {
  const text = decodeImport(input, { what: 'TBX file', maxBytes: opts.maxBytes });
  checkXmlDeclaredEncoding(text, 'TBX file');
  const src = (opts.sourceLang ?? 'en').toLowerCase();
  const tgt = (opts.targetLang ?? 'zh').toLowerCase();
  const root = parseXml(text, 'TBX file');
  if (local(root) !== 'tbx' && local(root) !== 'martif') throw new ImportError(`not a TBX file: the root element is <${root.name}>, expected <tbx> or <martif>`, 'content');
  const body = children(root, 'text').flatMap((t) => children(t, 'body'))[0];
  if (!body) throw new ImportError('TBX file lacks its <text><body>', 'content');
  const header = children(root, 'tbxHeader', 'martifHeader')[0];
  const titleEl = header ? children(header, 'fileDesc').flatMap((f) => children(f, 'titleStmt')).flatMap((t) => children(t, 'title'))[0] : undefined;
  const result: TbxImport = { title: titleEl ? textContent(titleEl).trim() || null : null, entries: [], skipped: 0, otherLanguages: [] };
  const matches = (lang: string, want: string): boolean => lang === want || lang.startsWith(`${want}-`);
  for (const entry of children(body, 'conceptEntry', 'termEntry')) {
    const e: GlossaryEntry = { english: [], accepted: [], forbidden: [], note: '', unless: [] };
    for (const note of children(entry, 'note')) {
      const t = textContent(note).trim();
      if (t.startsWith(UNLESS_PREFIX)) e.unless.push(...t.slice(UNLESS_PREFIX.length).split('|').map((x) => x.trim()).filter(Boolean));
      else if (t) e.note = e.note ? `${e.note}; ${t}` : t;
    }
    for (const sec of children(entry, 'langSec', 'langSet')) {
      const lang = langOf(sec);
      const isSrc = matches(lang, src);
      const isTgt = matches(lang, tgt);
      if (!isSrc && !isTgt) {
        if (lang && !result.otherLanguages.includes(lang)) result.otherLanguages.push(lang);
        continue;
      }
      // v3 termSec; v2 tig, or ntig > termGrp.
      const terms = [...children(sec, 'termSec', 'tig'), ...children(sec, 'ntig').flatMap((n) => children(n, 'termGrp'))];
      for (const ts of terms) {
        const termEl = children(ts, 'term')[0];
        const term = termEl ? textContent(termEl).replace(/\s+/g, ' ').trim() : '';
        if (!term || term.includes('|')) continue;
        const status = children(ts, 'termNote').find((n) => n.attrs.type === 'administrativeStatus');
        const value = status ? textContent(status).trim() : '';
        const bad = value === STATUS.deprecated || value === STATUS.superseded || /^(deprecated|superseded)/i.test(value);
        const list = isSrc ? e.english : bad ? e.forbidden : e.accepted;
        if (!list.includes(term)) list.push(term);
      }
    }
    if (e.english.length === 0 && e.accepted.length === 0 && e.forbidden.length === 0) {
      result.skipped++;
      continue;
    }
    result.entries.push(e);
  }
  return result;
}

/**
 * TMX 1.4 (LISA OSCAR): writer and reader.
 *
 * Writer: one <tu> per bead, both <tuv>s always present (an empty side is an empty <seg/>), so the
 * header's srclang is in every tu. Props: x-status, x-confidence, x-document, x-paragraph, and
 * x-original-target when a reviewer corrected the machine output. Issues and QA findings are notes.
 * The TMX 1.4 DTD declares no xml:space attribute, so it is not written: <seg> content is character
 * data and whitespace in it is kept verbatim (CR as &#13;).
 */
import type { ReviewBead } from '../domain.js';
import { documentFromUnits, type ImportedDocument, type ImportedUnit } from './build.js';
import { ImportError } from './errors.js';
import { checkXmlDeclaredEncoding, decodeImport } from './input.js';
import { checkInvariants } from '../review/index.js';
import {
  beadRows,
  parseIssueNote,
  parseTmxDate,
  rowNotes,
  tmxDate,
  TOOL_NAME,
  TOOL_VERSION,
  exportLangs,
  type ExportItem,
  type ExportOptions,
} from './export-rows.js';
import type { StreamWriter } from './writer.js';
import { childElements, escapeAttr, escapeText, parseXml, textContent, type XmlElement } from './xml.js';
import { ID_RE } from '../review/validate.js';

export async function writeTmx(
  items: AsyncIterable<ExportItem>,
  first: ExportItem | null,
  opts: ExportOptions,
  w: StreamWriter,
  multi: boolean,
): Promise<void> {
  const srcLang = exportLangs(opts, first?.doc, true).source;
  await w.write(
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' +
      `  <header creationtool="${TOOL_NAME}" creationtoolversion="${TOOL_VERSION}" segtype="sentence"` +
      ` o-tmf="${TOOL_NAME}" adminlang="en" srclang="${escapeAttr(srcLang)}" datatype="plaintext"` +
      ` creationdate="${tmxDate(opts.now ?? new Date())}"/>\n  <body>\n`,
  );
  for await (const item of items) {
    // Each document's own languages (a collection may mix them); the header names the first's.
    const langs = exportLangs(opts, item.doc, true);
    const sl = escapeAttr(langs.source);
    const tl = escapeAttr(langs.target);
    const docName = escapeText(item.doc.name);
    for (const row of beadRows(item, opts, multi)) {
      let s = `    <tu tuid="${escapeAttr(row.uid)}" srclang="${sl}" creationdate="${tmxDate(row.createdAt)}"`;
      if (row.creator) s += ` creationid="${escapeAttr(row.creator)}"`;
      s += ` changedate="${tmxDate(row.changedAt)}"`;
      if (row.changer) s += ` changeid="${escapeAttr(row.changer)}"`;
      s +=
        '>\n' +
        `      <prop type="x-status">${row.bead.status}</prop>\n` +
        `      <prop type="x-confidence">${formatConfidence(row.bead.confidence)}</prop>\n` +
        `      <prop type="x-document">${docName}</prop>\n` +
        `      <prop type="x-paragraph">${row.paragraph}</prop>\n`;
      if (row.corrected) s += `      <prop type="x-original-target">${escapeText(row.originalTarget)}</prop>\n`;
      for (const p of row.extras?.props ?? []) s += `      <prop type="${escapeAttr(p.type)}">${escapeText(p.value)}</prop>\n`;
      for (const n of rowNotes(row)) s += `      <note>${escapeText(n)}</note>\n`;
      s +=
        `      <tuv xml:lang="${sl}"><seg>${escapeText(row.sourceText)}</seg></tuv>\n` +
        `      <tuv xml:lang="${tl}"><seg>${escapeText(row.targetText)}</seg></tuv>\n` +
        '    </tu>\n';
      await w.write(s);
    }
  }
  await w.write('  </body>\n</tmx>\n');
}

export function formatConfidence(c: number): string {
  return (Number.isFinite(c) ? Math.min(1, Math.max(0, c)) : 0).toFixed(4);
}

// ───────────────────────────── reader ─────────────────────────────

export interface TmxImportOptions {
  /** Language of the original (source side); default: the header's srclang. */
  sourceLang?: string;
  /** Language of the translation; default: the one other language in the file. */
  targetLang?: string;
  /** Document name; default: the first x-document prop, else 'TMX import'. */
  name?: string;
  /** Document id of the result (the store assigns its own when storing). */
  id?: string;
  maxBytes?: number;
  now?: Date;
}

/** A BCP 47 language tag's shape (language, then subtags of 1–8 letters or digits), as xml:lang takes it. */
const BCP47 = /^[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*$/;

/** Elements whose content is native markup, not text (TMX inline codes). */
const INLINE_CODES = new Set(['bpt', 'ept', 'ph', 'it', 'ut', 'sub']);
const STATUSES: ReadonlySet<string> = new Set<ReviewBead['status']>(['automatic', 'confirmed', 'flagged']);
const OWN_PROPS = new Set(['x-status', 'x-confidence', 'x-document', 'x-paragraph', 'x-original-target']);

interface PropsAndNotes {
  props: Array<[string, string]>;
  notes: string[];
}
/** A <tu> as plain data: what the importer reads, without the element tree. */
interface RawTu extends PropsAndNotes {
  attrs: Record<string, string>;
  tuvs: Array<PropsAndNotes & { lang: string | undefined; text: string; line: number }>;
}

function propsAndNotes(el: XmlElement): PropsAndNotes {
  const out: PropsAndNotes = { props: [], notes: [] };
  for (const c of childElements(el)) {
    if (c.name === 'prop') out.props.push([c.attrs.type ?? '', textContent(c)]);
    else if (c.name === 'note') out.notes.push(textContent(c));
  }
  return out;
}

function compactTu(tu: XmlElement): RawTu {
  return {
    attrs: tu.attrs,
    ...propsAndNotes(tu),
    tuvs: childElements(tu, 'tuv').map((tuv) => {
      const seg = childElements(tuv, 'seg')[0];
      return { lang: tuv.attrs['xml:lang'] ?? tuv.attrs.lang, text: seg ? textContent(seg, INLINE_CODES) : '', line: tuv.line, ...propsAndNotes(tuv) };
    }),
  };
}

/** Finds `wanted` among `langs`: exact (case-insensitive) first, then by primary subtag. */
function matchLang(wanted: string, langs: readonly string[]): string | undefined {
  const w = wanted.toLowerCase();
  const exact = langs.find((l) => l.toLowerCase() === w);
  if (exact) return exact;
  const primary = w.split('-')[0];
  const byPrimary = langs.filter((l) => l.toLowerCase().split('-')[0] === primary);
  return byPrimary.length === 1 ? byPrimary[0] : undefined;
}

/** Parses a TMX 1.4 file into a ReviewDocument: one bead per <tu>, two chosen languages. */
export function importTmx(input: string | Uint8Array, opts: TmxImportOptions = {}): ImportedDocument {
  const text = decodeImport(input, { what: 'TMX file', maxBytes: opts.maxBytes });
  checkXmlDeclaredEncoding(text, 'TMX file');
  // Each <tu> is reduced to plain data as it closes and dropped from the tree (memory stays small).
  const raw: RawTu[] = [];
  const root = parseXml(text, 'TMX file', (el, depth) => {
    if (el.name !== 'tu' || depth !== 2) return false;
    raw.push(compactTu(el));
    return true;
  });
  if (root.name !== 'tmx') throw new ImportError(`not a TMX file: the root element is <${root.name}>, expected <tmx>`, 'content');
  const version = root.attrs.version;
  if (version !== '1.4') {
    throw new ImportError(`unsupported TMX version "${version ?? '(none)'}": only TMX 1.4 is supported`, 'version');
  }
  const header = childElements(root, 'header')[0];
  const body = childElements(root, 'body')[0];
  if (!header || !body) throw new ImportError('TMX file lacks its <header> or <body>', 'content');
  if (raw.length === 0) throw new ImportError('TMX file contains no translation units (<tu>)', 'content');

  // Every language present, in first-seen order.
  const langs: string[] = [];
  for (const tu of raw) {
    for (const tuv of tu.tuvs) {
      if (!tuv.lang) throw new ImportError(`TMX file: <tuv> without xml:lang at line ${tuv.line}`, 'languages');
      if (!langs.includes(tuv.lang)) {
        if (!BCP47.test(tuv.lang)) throw new ImportError(`TMX file: xml:lang "${tuv.lang.slice(0, 40)}" at line ${tuv.line} is not a language tag (BCP 47, e.g. en, zh-CN)`, 'languages');
        langs.push(tuv.lang);
      }
    }
  }
  const headerSrc = header.attrs.srclang;
  const wantedSrc = opts.sourceLang ?? (headerSrc && headerSrc !== '*all*' ? headerSrc : undefined);
  if (!wantedSrc) {
    throw new ImportError(`TMX file: no source language (header srclang is "${headerSrc ?? ''}"); choose one of ${langs.join(', ')}`, 'languages');
  }
  const sourceLang = matchLang(wantedSrc, langs);
  if (!sourceLang) {
    throw new ImportError(`TMX file: source language "${wantedSrc}" not found; languages in the file: ${langs.join(', ') || 'none'}`, 'languages');
  }
  let targetLang: string | undefined;
  if (opts.targetLang) {
    targetLang = matchLang(opts.targetLang, langs.filter((l) => l !== sourceLang));
    if (!targetLang) {
      throw new ImportError(`TMX file: target language "${opts.targetLang}" not found; languages in the file: ${langs.join(', ')}`, 'languages');
    }
  } else {
    const others = langs.filter((l) => l !== sourceLang);
    if (others.length === 0) throw new ImportError(`TMX file has only one language (${sourceLang}): a second language is needed`, 'languages');
    if (others.length > 1) {
      throw new ImportError(`TMX file has several target languages (${others.join(', ')}): choose one`, 'languages');
    }
    targetLang = others[0]!;
  }

  const units: ImportedUnit[] = [];
  const seen = new Set<string>();
  let docName: string | undefined;
  let creator: string | null = null;
  for (const [n, tu] of raw.entries()) {
    // A tuid becomes the row id when it is a valid, unused id; otherwise (spaces, other scripts, too
    // long: review operations could not name the row) the row gets tuN and the tuid is kept as a prop.
    const tuid = tu.attrs.tuid ?? '';
    let id = ID_RE.test(tuid) && !seen.has(tuid) ? tuid : `tu${n + 1}`;
    while (seen.has(id)) id = `tu${n + 1}_${seen.size}`;
    seen.add(id);
    const props = new Map<string, string>();
    const extras: ImportedUnit['extras'] = { props: tuid && tuid !== id ? [{ type: 'x-tuid', value: tuid }] : [], notes: [] };
    const issues: ImportedUnit['issues'] = [];
    const collect = (from: PropsAndNotes, own: boolean): void => {
      for (const [type, value] of from.props) {
        if (own && OWN_PROPS.has(type) && !props.has(type)) props.set(type, value);
        else extras.props.push({ type, value });
      }
      for (const note of from.notes) {
        const issue = own ? parseIssueNote(note, id) : null;
        if (issue) issues.push(issue);
        else extras.notes.push(note);
      }
    };
    collect(tu, true);
    let source = '';
    let target = '';
    for (const tuv of tu.tuvs) {
      if (tuv.lang === sourceLang) source = tuv.text;
      else if (tuv.lang === targetLang) target = tuv.text;
      else continue;
      collect(tuv, false);
    }
    // A unit with nothing on either side of the chosen pair has nothing to align: skipped.
    if (source === '' && target === '') continue;
    const status = props.get('x-status');
    const conf = Number(props.get('x-confidence'));
    const para = Number(props.get('x-paragraph'));
    docName ??= props.get('x-document');
    creator ??= tu.attrs.creationid ?? null;
    units.push({
      id,
      source,
      target,
      original: props.get('x-original-target') ?? null,
      status: status && STATUSES.has(status) ? (status as ReviewBead['status']) : 'automatic',
      // A TM unit without our props is someone's finished translation: full confidence.
      confidence: props.has('x-confidence') && Number.isFinite(conf) ? Math.min(1, Math.max(0, conf)) : 1,
      paragraph: Number.isInteger(para) && para >= 1 && para <= raw.length * 4 + 1000 ? para : (units[units.length - 1]?.paragraph ?? 0) + 1,
      // (a foreign unit without x-paragraph stands alone: its own paragraph; absurd numbers, which
      // would make empty paragraphs by the million, are treated as missing)
      issues,
      extras,
      createdAt: parseTmxDate(tu.attrs.creationdate ?? ''),
      creator: tu.attrs.creationid ?? null,
      changedAt: parseTmxDate(tu.attrs.changedate ?? ''),
      changer: tu.attrs.changeid ?? null,
    });
  }
  if (units.length === 0) throw new ImportError(`TMX file has no unit with text in ${sourceLang} or ${targetLang}`, 'content');
  const imported = documentFromUnits(units, {
    id: opts.id ?? 'tmx-import',
    name: opts.name ?? docName ?? 'TMX import',
    sourceLang,
    targetLang,
    model: 'tmx-import',
    now: (opts.now ?? new Date()).toISOString(),
    creator,
  });
  try {
    checkInvariants(imported.document);
  } catch (e) {
    throw new ImportError(`TMX file does not make a consistent alignment: ${e instanceof Error ? e.message : String(e)}`, 'content');
  }
  return imported;
}

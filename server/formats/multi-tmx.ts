/**
 * Multilingual TMX 1.4 of a translation set, as LF Aligner writes it: one <tu> per row of the set
 * (the finest stretch of the original every translation's alignment keeps whole: review/translation-set.ts)
 * and one <tuv> per language, the original's first. A translation with nothing for a row (a sentence
 * left out) has no <tuv> there, and a note says so; `x-status` says which translations' rows are all
 * confirmed.
 */
import type { SetAlignment } from '../review/translation-set.js';
import { tmxDate, TOOL_NAME, TOOL_VERSION, xmlLangCode } from './export-rows.js';
import { escapeAttr, escapeText } from './xml.js';

export interface SetTmxOptions {
  /** The set's name, written as each unit's x-document prop. */
  name: string;
  /** Only these translations (indices into the set's documents), in this order; default: all. */
  only?: readonly number[];
  now?: Date;
}

export function setTmx(set: SetAlignment, opts: SetTmxOptions): string {
  const chosen = opts.only ?? set.targetLangs.map((_, k) => k);
  const src = escapeAttr(xmlLangCode(set.sourceLang));
  const date = tmxDate(opts.now ?? new Date());
  const name = escapeText(opts.name);
  let out =
    '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4">\n' +
    `  <header creationtool="${TOOL_NAME}" creationtoolversion="${TOOL_VERSION}" segtype="sentence"` +
    ` o-tmf="${TOOL_NAME}" adminlang="en" srclang="${src}" datatype="plaintext" creationdate="${date}"/>\n  <body>\n`;
  set.rows.forEach((row, k) => {
    const cells = chosen.map((i) => ({ lang: escapeAttr(xmlLangCode(set.targetLangs[i] ?? '')), cell: row.targets[i] }));
    const confirmed = cells.filter((c) => c.cell?.confirmed).map((c) => c.lang);
    let tu = `    <tu tuid="${k + 1}" srclang="${src}" creationdate="${date}">\n` + `      <prop type="x-document">${name}</prop>\n`;
    if (confirmed.length) tu += `      <prop type="x-status">confirmed: ${confirmed.join(' ')}</prop>\n`;
    for (const c of cells) if (!c.cell?.text) tu += `      <note>No ${c.lang} translation of this segment</note>\n`;
    if (row.source) tu += `      <tuv xml:lang="${src}"><seg>${escapeText(row.source)}</seg></tuv>\n`;
    for (const c of cells) if (c.cell?.text) tu += `      <tuv xml:lang="${c.lang}"><seg>${escapeText(c.cell.text)}</seg></tuv>\n`;
    // A unit needs a variant (the DTD's tuv+): a row with no text in any chosen language is left out.
    if (tu.includes('<tuv')) out += `${tu}    </tu>\n`;
  });
  return `${out}  </body>\n</tmx>\n`;
}

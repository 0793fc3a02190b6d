/**
 * TSV and CSV (UTF-8, optional BOM for Excel), and plain bitext (one line per bead).
 *
 * Columns: id, document, paragraph, status, confidence, <source lang>, <target lang>,
 * original_target (machine output, empty when uncorrected), notes (issues and findings, " | ").
 * CSV follows RFC 4180: CRLF rows, fields with , " CR LF or edge spaces quoted, quotes doubled.
 * TSV has no quoting, so \ tab LF CR inside a field are written as \\ \t \n \r.
 * Excel mode (`excelSafe`, on by default with `bom`): cells starting with = + - @ get a leading "'"
 * so a spreadsheet does not run them as formulas; without it the text is written unchanged.
 * Bitext: newlines inside a bead become spaces, so line N of both files is bead N.
 */
import { beadRows, exportLangs, rowNotes, type BeadRow, type ExportItem, type ExportOptions } from './export-rows.js';
import { formatConfidence } from './tmx.js';
import type { StreamWriter } from './writer.js';

export function csvField(s: string): string {
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Excel mode: a cell a spreadsheet would read as a formula (= + - @, tab, CR first) gets a leading "'". */
export function excelSafeCell(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function tsvField(s: string): string {
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

function cells(r: BeadRow): string[] {
  return [
    r.uid,
    r.item.doc.name,
    String(r.paragraph),
    r.bead.status,
    formatConfidence(r.bead.confidence),
    r.sourceText,
    r.targetText,
    r.corrected ? r.originalTarget : '',
    rowNotes(r).join(' | '),
  ];
}

export async function writeDelimited(
  kind: 'tsv' | 'csv',
  items: AsyncIterable<ExportItem>,
  first: ExportItem | null,
  opts: ExportOptions,
  w: StreamWriter,
  multi: boolean,
): Promise<void> {
  const quote = kind === 'csv' ? csvField : tsvField;
  const safe = opts.excelSafe ?? opts.bom ?? false;
  const field = safe ? (c: string) => quote(excelSafeCell(c)) : quote;
  const sep = kind === 'csv' ? ',' : '\t';
  const eol = kind === 'csv' ? '\r\n' : '\n';
  const { source: sl, target: tl } = exportLangs(opts, first?.doc, false);
  if (opts.bom) await w.write('\uFEFF');
  const head = ['id', 'document', 'paragraph', 'status', 'confidence', sl, tl, 'original_target', 'notes'];
  await w.write(head.map(field).join(sep) + eol);
  for await (const item of items) {
    for (const r of beadRows(item, opts, multi)) await w.write(cells(r).map(field).join(sep) + eol);
  }
}

/** One side of a bitext: line N is bead N's text on that side (LF line ends, no header). */
export async function writeBitextSide(items: AsyncIterable<ExportItem>, opts: ExportOptions, w: StreamWriter, multi: boolean): Promise<void> {
  if (opts.bom) await w.write('\uFEFF');
  const side = opts.side ?? 'source';
  for await (const item of items) {
    for (const r of beadRows(item, opts, multi)) {
      const text = side === 'source' ? r.sourceText : r.targetText;
      // Every character some reader splits lines on (Python's str.splitlines also breaks at VT, FF
      // and U+001C–U+001E) becomes a space, so line N is bead N for any consumer.
      await w.write(`${text.replace(/\r\n|[\r\n\v\f\u001c-\u001e\u2028\u2029\u0085]/g, ' ')}\n`);
    }
  }
}

/**
 * XLIFF 2.0 writer: one <file> per document, one <unit> per bead with one <segment>.
 *
 * Segment state from the review status (XLIFF's states are a progression, ours are not):
 *   automatic → "translated" (or "initial" when the target is empty)
 *   flagged   → same as automatic, plus subState="bitext-review:flagged"
 *   confirmed → "final", or "reviewed" while the bead still has open issues
 * Issues and QA findings are <note>s (priority 1 critical, 3 major, 5 minor). Confidence, status and
 * the original machine output go in the Metadata module (mda:), which core validation skips (lax).
 */
import type { ReviewIssue, Severity } from '../domain.js';
import {
  beadRows,
  findingNote,
  issueNote,
  TOOL_NAME,
  exportLangs,
  type BeadRow,
  type ExportItem,
  type ExportOptions,
} from './export-rows.js';
import { formatConfidence } from './tmx.js';
import type { StreamWriter } from './writer.js';
import { escapeAttr, escapeText, needsPreserve } from './xml.js';
import { ExportOptionsError } from './errors.js';

const PRIORITY: Record<Severity, number> = { critical: 1, major: 3, minor: 5 };

/** NMTOKEN-safe id (XLIFF ids are NMTOKENs). */
function nmtoken(s: string): string {
  const t = s.replace(/[^A-Za-z0-9._:-]/g, '_');
  return t === '' ? '_' : t;
}

export function xliffState(row: Pick<BeadRow, 'bead' | 'issues' | 'targetText'>): { state: string; subState: string | null } {
  const open = row.issues.some((i: ReviewIssue) => i.status === 'open');
  switch (row.bead.status) {
    case 'confirmed':
      return { state: open ? 'reviewed' : 'final', subState: null };
    case 'flagged':
      return { state: row.targetText === '' ? 'initial' : 'translated', subState: `${TOOL_NAME}:flagged` };
    default:
      return { state: row.targetText === '' ? 'initial' : 'translated', subState: null };
  }
}

function seg(tag: 'source' | 'target', text: string): string {
  const space = needsPreserve(text) ? ' xml:space="preserve"' : '';
  return `<${tag}${space}>${escapeText(text)}</${tag}>`;
}

export async function writeXliff(
  items: AsyncIterable<ExportItem>,
  first: ExportItem | null,
  opts: ExportOptions,
  w: StreamWriter,
  multi: boolean,
): Promise<void> {
  const { source: srcLang, target: tgtLang } = exportLangs(opts, first?.doc, true);
  await w.write(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0"' +
      ` version="2.0" srcLang="${escapeAttr(srcLang)}" trgLang="${escapeAttr(tgtLang)}">\n`,
  );
  const fileIds = new Set<string>();
  let files = 0;
  for await (const item of items) {
    // XLIFF 2.0 has one language pair per file set: a collection must share it (or set it).
    const langs = exportLangs(opts, item.doc, true);
    const pair = [langs.source, langs.target];
    if (pair[0] !== srcLang || pair[1] !== tgtLang) {
      throw new ExportOptionsError(
        `document "${item.doc.name}" is ${pair.join('→')}, not ${srcLang}→${tgtLang}: XLIFF 2.0 holds one language pair; export it separately`,
      );
    }
    let fid = `f-${nmtoken(item.doc.id)}`;
    while (fileIds.has(fid)) fid += '_';
    fileIds.add(fid);
    files++;
    await w.write(`  <file id="${escapeAttr(fid)}" original="${escapeAttr(item.doc.name)}">\n`);
    const unitIds = new Set<string>();
    let units = 0;
    for (const row of beadRows(item, opts, multi)) {
      let uid = `u-${nmtoken(row.bead.id)}`;
      while (unitIds.has(uid)) uid += '_';
      unitIds.add(uid);
      units++;
      await w.write(unit(row, uid));
    }
    // A <file> needs at least one unit; an empty selection gets one empty, untranslatable unit.
    if (units === 0) await w.write('    <unit id="empty" translate="no"><segment><source></source></segment></unit>\n');
    await w.write('  </file>\n');
  }
  if (files === 0) await w.write('  <file id="empty"><unit id="empty" translate="no"><segment><source></source></segment></unit></file>\n');
  await w.write('</xliff>\n');
}

function unit(row: BeadRow, uid: string): string {
  let s = `    <unit id="${escapeAttr(uid)}" name="${escapeAttr(row.uid)}">\n`;
  s +=
    '      <mda:metadata><mda:metaGroup category="' + TOOL_NAME + '">' +
    `<mda:meta type="status">${row.bead.status}</mda:meta>` +
    `<mda:meta type="confidence">${formatConfidence(row.bead.confidence)}</mda:meta>` +
    `<mda:meta type="paragraph">${row.paragraph}</mda:meta>` +
    (row.corrected ? `<mda:meta type="original-target">${escapeText(row.originalTarget)}</mda:meta>` : '') +
    '</mda:metaGroup></mda:metadata>\n';
  const notes: string[] = [];
  for (const i of row.issues) {
    notes.push(`<note category="issue" priority="${PRIORITY[i.severity]}" appliesTo="target">${escapeText(issueNote(i))}</note>`);
  }
  for (const f of row.findings) {
    notes.push(`<note category="qa" priority="${PRIORITY[f.severity]}">${escapeText(findingNote(f))}</note>`);
  }
  for (const n of row.extras?.notes ?? []) notes.push(`<note>${escapeText(n)}</note>`);
  if (notes.length) s += `      <notes>\n        ${notes.join('\n        ')}\n      </notes>\n`;
  const { state, subState } = xliffState(row);
  s += `      <segment state="${state}"${subState ? ` subState="${subState}"` : ''}>\n`;
  s += `        ${seg('source', row.sourceText)}\n`;
  s += `        ${seg('target', row.targetText)}\n`;
  s += '      </segment>\n    </unit>\n';
  return s;
}

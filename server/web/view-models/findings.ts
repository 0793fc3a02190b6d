/**
 * QA findings for the review page's markers, from Q's runChecks (server/qa/index.ts) when that module
 * exists (imported dynamically; no markers otherwise). Checks run per row and are cached by the row's
 * content, so after an operation only the touched rows are checked again: running every check on a
 * 2,000-row document takes far longer than the page's time budget. Document-wide checks therefore see
 * the rows checked together, not the whole document; the QA page has the complete report.
 */
import type { Finding, ReviewBead, ReviewDocument } from '../../domain.js';

type RunChecks = (doc: ReviewDocument) => Finding[];

let loader: Promise<RunChecks | null> | null = null;
function loadQa(): Promise<RunChecks | null> {
  loader ??= import(new URL('../../qa/index.js', import.meta.url).href)
    .then((m: Record<string, unknown>) => (typeof m['runChecks'] === 'function' ? (m['runChecks'] as RunChecks) : null))
    .catch(() => null);
  return loader;
}

/** Per document: row content key → its findings. */
const cache = new Map<string, Map<string, Finding[]>>();

function rowKey(doc: ReviewDocument, b: ReviewBead): string {
  const t = b.target.map((i) => doc.target.sentences[i]?.text ?? '').join('\u0001');
  return `${b.id}|${b.source.join(',')}|${b.target.join(',')}|${t}`;
}

/** Findings for the given rows (null when the QA module is absent or failed). */
export async function findingsForRows(doc: ReviewDocument, rows: readonly ReviewBead[]): Promise<Finding[] | null> {
  const run = await loadQa();
  if (!run) return null;
  let known = cache.get(doc.id);
  if (!known) {
    if (cache.size > 20) cache.clear();
    known = new Map();
    cache.set(doc.id, known);
  }
  const keys = rows.map((b) => rowKey(doc, b));
  const missing = rows.filter((_, i) => !known.has(keys[i]!));
  if (missing.length) {
    let found: Finding[];
    try {
      found = run({ ...doc, beads: [...missing] });
    } catch {
      return null; // a failing check must not take the review page down
    }
    const byBead = new Map<string, Finding[]>();
    for (const f of found) {
      const list = byBead.get(f.beadId);
      if (list) list.push(f);
      else byBead.set(f.beadId, [f]);
    }
    if (known.size > 4 * doc.beads.length + 1000) known.clear();
    missing.forEach((b) => known.set(rowKey(doc, b), byBead.get(b.id) ?? []));
  }
  return keys.flatMap((k) => known.get(k) ?? []);
}

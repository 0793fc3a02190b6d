/**
 * QA findings for the review page's markers. Checks run per row and are cached by the row's content
 * and its recorded issues (so a dismissed finding disappears at once); after an operation only the
 * touched rows are checked again: running every check on a 2,000-row document takes far longer than
 * the page's time budget. Document-wide checks therefore see the rows checked together, not the
 * whole document; the QA page has the complete report.
 */
import type { Finding, ReviewBead, ReviewDocument, StoredGlossary } from '../../domain.js';
import { defaultQaConfig, glossaryOfStored, runChecks } from '../../qa/index.js';

/** Per document: row content key → its findings. */
const cache = new Map<string, Map<string, Finding[]>>();

/** Per bead id: its issues' ids and statuses (runChecks leaves out findings already decided). */
function issueKeys(doc: ReviewDocument): Map<string, string> {
  const keys = new Map<string, string>();
  for (const i of doc.issues) keys.set(i.beadId, `${keys.get(i.beadId) ?? ''}${i.id}:${i.status};`);
  return keys;
}

function rowKey(doc: ReviewDocument, b: ReviewBead, issues: Map<string, string>): string {
  const t = b.target.map((i) => doc.target.sentences[i]?.text ?? '').join('\u0001');
  return `${b.id}|${b.origin}|${b.confidence}|${b.source.join(',')}|${b.target.join(',')}|${t}|${issues.get(b.id) ?? ''}`;
}

/**
 * Findings for the given rows, with the document's glossary from the store (`glossary`; none: the
 * QA config's file); null when a check failed: the page is shown without markers.
 */
export function findingsForRows(doc: ReviewDocument, rows: readonly ReviewBead[], glossary: StoredGlossary | null = null): Finding[] | null {
  const cacheKey = `${doc.id}|${glossary ? `${glossary.id}@${glossary.revision}` : 'file'}`;
  let known = cache.get(cacheKey);
  if (!known) {
    if (cache.size > 20) cache.clear();
    known = new Map();
    cache.set(cacheKey, known);
  }
  const issues = issueKeys(doc);
  const keys = rows.map((b) => rowKey(doc, b, issues));
  const missing = rows.filter((_, i) => !known.has(keys[i]!));
  if (missing.length) {
    let found: Finding[];
    try {
      const subset = { ...doc, beads: [...missing] };
      found = glossary ? runChecks(subset, { ...defaultQaConfig(), glossary: glossaryOfStored(glossary) }) : runChecks(subset);
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
    missing.forEach((b) => {
      known.set(rowKey(doc, b, issues), byBead.get(b.id) ?? []);
    });
  }
  return keys.flatMap((k) => known.get(k) ?? []);
}

/**
 * What the QA report, the review page's markers and the glossary pages share: the QA config
 * (QA_CONFIG, else qa.config.json; reloaded when it changes on disk) with the document's glossary
 * from the store, and the findings of a document. Findings depend only on the rows' texts and the
 * glossary (not on issues), so they are cached by those. A document larger than INLINE_QA_ROWS is
 * checked by a job (server/jobs), never on this thread: `of` then answers the job to wait for.
 * Either way the findings come from checkDocument (the document's languages), and the report's view
 * of them (grouped, most serious first: reportFindings) is made here, once, for both.
 */
import type { Finding, JobRecord, ReviewDocument, StoredGlossary } from '../../domain.js';
import { checkDocument, defaultQaConfig, glossaryOfStored, pairsFromDocument, qaContentKey, reportFindings, type QaConfig, type QaPair } from '../../qa/index.js';
import type { Jobs } from '../../jobs/index.js';
import type { Store } from '../../store/store.js';
import { HttpError } from '../http-error.js';

/** Rows checked on the web thread (about 90 µs a row: ~20 ms); larger documents go to a job. */
export const INLINE_QA_ROWS = 250;

/** Ready: every finding as the checks gave it (decided ones too), and the report's view of them. */
export type QaOutcome = { ready: true; pairs: QaPair[]; findings: Finding[]; report: Finding[] } | { ready: false; job: JobRecord };
type QaResult = Extract<QaOutcome, { ready: true }>;

export interface QaFindings {
  /** The config with the document's glossary (the QA config's file when the store has none). */
  configFor(doc: ReviewDocument): Promise<{ config: QaConfig; glossary: StoredGlossary | null }>;
  /** The document's QA rows, findings and report, or (a large document) the job computing them. */
  of(doc: ReviewDocument, owner: string): Promise<QaOutcome>;
}

/** The config; a hand-edited config with a mistake is a 503 that says which line. */
function loadConfig(): QaConfig {
  try {
    return defaultQaConfig();
  } catch (e) {
    const err = e as Error;
    if (err.name === 'QaConfigError' || err.name === 'GlossaryError') throw new HttpError(503, `The QA configuration cannot be loaded: ${err.message}`);
    throw e;
  }
}

export function createQaFindings(store: Store, jobs: Jobs): QaFindings {
  const cache = new Map<string, { config: QaConfig; result: QaResult }>();

  const remember = (key: string, config: QaConfig, pairs: QaPair[], findings: Finding[]): QaResult => {
    const result: QaResult = { ready: true, pairs, findings, report: reportFindings(findings, pairs) };
    if (cache.size > 50) cache.clear();
    cache.set(key, { config, result });
    return result;
  };

  const configFor = async (doc: ReviewDocument): Promise<{ config: QaConfig; glossary: StoredGlossary | null }> => {
    const config = loadConfig();
    const glossary = await store.documentGlossary(doc.id);
    return { config: glossary ? { ...config, glossary: glossaryOfStored(glossary) } : config, glossary };
  };

  return {
    configFor,
    async of(doc, owner) {
      const { config, glossary } = await configFor(doc);
      const content = qaContentKey(doc);
      const key = `${doc.id}|${content}|${glossary ? `g${glossary.id}@${glossary.revision}` : 'file'}`;
      const hit = cache.get(key);
      if (hit && hit.config.checks === config.checks) return hit.result;
      if (doc.beads.length <= INLINE_QA_ROWS) {
        const { pairs, findings } = checkDocument(doc, config);
        return remember(key, config, pairs, findings);
      }
      // One job per content and glossary: asked again, the same job answers (running or done).
      const job = await jobs.submit('qa-report', { docId: doc.id, contentKey: content }, { owner, label: `QA report of “${doc.name}”`, dedupeKey: `qa:${key}` });
      if (job.state !== 'done') return { ready: false, job };
      const chunks: Uint8Array[] = [];
      for (let seq = 0; ; seq++) {
        const c = await store.jobFileChunk(job.id, seq);
        if (!c) break;
        chunks.push(c);
      }
      const findings = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { findings: Finding[] }).findings;
      return remember(key, config, pairsFromDocument(doc), findings);
    },
  };
}

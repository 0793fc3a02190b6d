/**
 * Re-aligning a stored document, keeping the reviewers' work (confirmed, flagged and hand-aligned
 * rows are anchors; review/realign.ts): the one path used by the JSON API and the review page. The
 * model is loaded again (by the name stored with the document), the new rows are proposed on the
 * revision read here and applied as one op; the store refuses them as a conflict if the document
 * moved on meanwhile. When the new alignment equals the current one nothing is applied.
 */
import type { ReviewDocument } from '../domain.js';
import { proposeRealignment } from '../review/realign.js';
import type { ChangeResult, JobLink, Store } from '../store/store.js';
import { ImportError } from '../formats/errors.js';
import { cachedModel } from './common.js';
import { learnedFor, learnScopeSetting } from './learned.js';

/** The aligner model to use again for a stored model label ('neural:Xenova/LaBSE' → 'neural'). */
export function modelNameFor(stored: string): string {
  if (stored.startsWith('neural')) return 'neural';
  return stored === 'lexical' || stored === 'length' ? stored : 'auto';
}

export interface RealignResult {
  doc: ReviewDocument;
  model: string;
  /** Rows the re-alignment wrote (0: every row stayed as it was, nothing was recorded). */
  rows: number;
  /** The change recorded (absent when nothing changed). */
  change?: ChangeResult;
}

export async function realignDocument(
  store: Store,
  id: string,
  opts: { author: string; baseRevision?: number; model?: string; from?: string } & Pick<JobLink, 'job'>,
): Promise<RealignResult> {
  const doc = await store.getDocument(id);
  const langs = { a: doc.source.lang, b: doc.target.lang };
  const project = learnScopeSetting() === 'project' ? ((await store.listDocuments()).find((d) => d.id === id)?.project ?? '') : '';
  const model = await cachedModel(opts.model ?? modelNameFor(doc.model), langs, learnedFor(store, langs, project)).catch((e: unknown) => {
    throw new ImportError(e instanceof Error ? e.message : String(e), 'model');
  });
  const op = await proposeRealignment(doc, model, opts.from !== undefined ? { from: opts.from } : {});
  if (!op.beads.length) {
    const realigned = { model: model.name, rows: 0, at: opts.from ?? null };
    if (opts.job) {
      const documents = [{ id: doc.id, name: doc.name, beads: doc.beads.length, revision: doc.revision }];
      await store.finishJob(opts.job, { state: 'done', result: { documents, summary: 'every row stayed as it was', realigned } });
    }
    return { doc, model: model.name, rows: 0 };
  }
  // The page goes back to the first row written (a job's result says which).
  const realigned = { model: model.name, rows: op.beads.length, at: op.beads[0]?.id ?? null };
  const change = await store.change(
    id,
    { op },
    {
      author: opts.author,
      baseRevision: opts.baseRevision ?? doc.revision,
      ...(opts.job ? { job: opts.job, jobResult: { summary: `${realigned.rows.toLocaleString('en')} rows re-aligned`, realigned } } : {}),
    },
  );
  return { doc: change.doc, model: model.name, rows: op.beads.length, change };
}

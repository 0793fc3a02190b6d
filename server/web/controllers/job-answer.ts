/**
 * How a door answers work that runs as a job: the API with 202 Accepted and the job's URL (or, when
 * the client sends `Prefer: wait=N` and the job ends within N seconds, the finished answer itself);
 * a page with a 303 to the job's page, which shows a progress bar and lands on the result.
 */
import type { Request, Response } from 'express';
import type { JobRecord } from '../../domain.js';
import type { Jobs } from '../../jobs/index.js';
import { docBase } from '../view-models/common.js';
import { wantsJson } from './change-answer.js';

/** Longest `Prefer: wait` honoured, in seconds. */
export const MAX_WAIT_S = 60;

export interface JobLinks {
  /** The job's page (progress bar). */
  page: string;
  /** The job over the API. */
  api: string;
  cancel: string;
  /** Where the finished job leads: the document (its re-aligned rows, its versions, its QA report), or the file. */
  landing: string | null;
  file: string | null;
}

export function jobLinks(job: JobRecord): JobLinks {
  const page = `/jobs/${job.id}`;
  const doc = job.result?.documents?.[0]?.id;
  const file = job.state === 'done' && job.result?.file ? `${page}/file` : null;
  let landing: string | null = null;
  if (job.state === 'done') {
    if (job.kind === 'export' || job.kind === 'set-export') landing = file;
    else if (job.kind === 'qa-report' && doc) landing = `${docBase(doc)}/qa`;
    else if (job.kind === 'realign' && doc) landing = job.result?.realigned?.at ? `${docBase(doc)}/go/${encodeURIComponent(job.result.realigned.at)}` : docBase(doc);
    else if (job.kind === 'import-version' && doc) landing = job.result?.versionId ? `${docBase(doc)}?version=${encodeURIComponent(job.result.versionId)}` : `${docBase(doc)}/versions`;
    else if (job.kind === 'import-translations' && job.result?.translationSet) landing = `/sets/${encodeURIComponent(job.result.translationSet)}`;
    else if ((job.result?.documents?.length ?? 0) > 1) landing = '/';
    else if (doc) landing = docBase(doc);
  }
  return { page, api: `/api/jobs/${job.id}`, cancel: `/api/jobs/${job.id}/cancel`, landing, file };
}

/** The job as the API shows it (no runner details: they say where the server runs). */
export function jobJson(job: JobRecord): Record<string, unknown> {
  const links = jobLinks(job);
  return {
    id: job.id,
    kind: job.kind,
    label: job.label,
    state: job.state,
    progress: Math.round(job.progress * 1000) / 1000,
    message: job.message,
    owner: job.owner,
    createdAt: job.createdAt,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt,
    result: job.result,
    links: { ...links, file: links.file ? `/api${links.file}` : null },
  };
}

/** Jobs whose result is a file to download: their page offers it rather than moving on. */
export function isFileJob(job: Pick<JobRecord, 'kind'>): boolean {
  return job.kind === 'export' || job.kind === 'set-export';
}

/** Seconds from `Prefer: wait=N` (RFC 7240), capped; 0 when not asked. */
export function preferredWait(req: Request): number {
  const m = /(?:^|[,;\s])wait\s*=\s*(\d{1,6})/i.exec(req.get('prefer') ?? '');
  return m ? Math.min(Number(m[1]), MAX_WAIT_S) : 0;
}

/**
 * Answers a submitted job. API (`api: true`): `Prefer: wait=N` waits up to N seconds; a job done by
 * then is answered by `done` (as the work answered when it was synchronous), a failed one with 422
 * and its message, a cancelled one with 409; otherwise 202 with the job and its URL. Pages: 303 to
 * the job page (JSON clients of the pages: 202 with the page as `location`).
 */
export async function answerJob(
  jobs: Pick<Jobs, 'wait'>,
  req: Request,
  res: Response,
  submitted: JobRecord,
  opts: { api: boolean; done?: (job: JobRecord) => Promise<void> | void },
): Promise<void> {
  const wait = preferredWait(req);
  const job = wait > 0 ? ((await jobs.wait(submitted.id, wait * 1000)) ?? submitted) : submitted;
  const links = jobLinks(job);
  if (opts.api || wantsJson(req)) {
    if (job.state === 'done' && opts.done && opts.api) return void (await opts.done(job));
    if (job.state === 'failed' || job.state === 'cancelled') {
      res.status(job.state === 'failed' ? 422 : 409).json({ error: job.message, status: job.state === 'failed' ? 422 : 409, job: jobJson(job) });
      return;
    }
    res.status(202).location(opts.api ? links.api : links.page).json({ ok: true, job: jobJson(job), location: opts.api ? links.api : links.page });
    return;
  }
  res.redirect(303, job.state === 'done' && links.landing && !isFileJob(job) ? links.landing : links.page);
}

/**
 * Jobs (long work off the web thread, see server/jobs): their state, their page, their file.
 *
 *   GET  /api/jobs/:id          {id, kind, label, state, progress 0–1, message, result, links}
 *   POST /api/jobs/:id/cancel   the job as it now is
 *   GET  /api/jobs/:id/file     the file a finished job made (an export, a QA report's data)
 *   GET  /jobs/:id              the page: a progress bar, then the result (a finished import lands on its document)
 *   POST /jobs/:id/cancel       the page's Cancel button
 *   GET  /jobs/:id/file         the file, for the page's link
 */
import { once } from 'node:events';
import express, { type Response } from 'express';
import { z } from 'zod';
import type { JobRecord } from '../../domain.js';
import type { AppContext } from '../context.js';
import { isFileJob, jobJson, jobLinks } from '../controllers/job-answer.js';
import { HttpError } from '../http-error.js';
import { renderPage } from '../render.js';
import { route } from '../validate.js';

const jobParams = z.object({ id: z.string().regex(/^j[0-9a-f]{16}$/, 'Invalid job id.') });

export function createJobsRouter(ctx: AppContext): express.Router {
  const router = express.Router();

  const find = async (id: string): Promise<JobRecord> => {
    const job = await ctx.jobs.get(id);
    if (!job) throw new HttpError(404, `There is no job ${id} (finished jobs are kept for a day).`);
    return job;
  };

  /** Streams the job's file chunk by chunk (each one read when the previous one was sent). */
  const sendFile = async (res: Response, job: JobRecord): Promise<void> => {
    const file = job.state === 'done' ? job.result?.file : undefined;
    if (!file) throw new HttpError(job.state === 'done' ? 404 : 409, job.state === 'done' ? 'This job made no file.' : `The job is ${job.state}: its file is not ready.`);
    res.status(200);
    res.attachment(file.name);
    res.set('Content-Type', file.contentType);
    res.set('Content-Length', String(file.bytes));
    for (let seq = 0; ; seq++) {
      const chunk = await ctx.store.jobFileChunk(job.id, seq);
      if (!chunk) break;
      if (!res.write(chunk)) await once(res, 'drain');
    }
    res.end();
  };

  router.get(
    '/api/jobs/:id',
    route({ params: jobParams }, async ({ params }, _req, res) => {
      res.json(jobJson(await find(params.id)));
    }),
  );

  router.post(
    '/api/jobs/:id/cancel',
    route({ params: jobParams }, async ({ params }, _req, res) => {
      await find(params.id);
      res.json(jobJson((await ctx.jobs.cancel(params.id)) ?? (await find(params.id))));
    }),
  );

  for (const path of ['/api/jobs/:id/file', '/jobs/:id/file']) {
    router.get(
      path,
      route({ params: jobParams }, async ({ params }, _req, res) => sendFile(res, await find(params.id))),
    );
  }

  router.get(
    '/jobs/:id',
    route({ params: jobParams }, async ({ params }, _req, res) => {
      const job = await find(params.id);
      const links = jobLinks(job);
      // A finished import or re-align lands on its document; a file waits on the page for its download.
      if (job.state === 'done' && links.landing && !isFileJob(job)) return res.redirect(303, links.landing);
      await renderPage(res, 'job', { title: job.label, job: { ...jobJson(job), links }, active: job.state === 'queued' || job.state === 'running' });
    }),
  );

  router.post(
    '/jobs/:id/cancel',
    route({ params: jobParams }, async ({ params }, _req, res) => {
      await find(params.id);
      await ctx.jobs.cancel(params.id);
      res.redirect(303, `/jobs/${params.id}`);
    }),
  );

  return router;
}

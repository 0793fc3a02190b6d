/**
 * Jobs: long work (aligning an import, re-aligning, TMX/JSON imports, large exports and QA reports)
 * off the thread that answers requests. See README.md here.
 *
 *   Jobs (types.ts)            submit / get / cancel / wait / close: what the doors use
 *   InProcessJobs (runner.ts)  records in the store, work on a worker-thread pool
 *   runJob (worker.ts)         one job in a worker, with its own store connection
 */
export { FINAL_STATES, JOB_KINDS, type JobContext, type JobInputs, type JobKind, type JobTask, type Jobs } from './types.js';
export type { ExportInput, ImportFileInput, ImportTextsInput, ImportVersionInput, QaReportInput, RealignInput } from './types.js';
export { INTERRUPTED, INTERRUPTED_WORKER, QUEUE_RUNNER, workerCount } from './liveness.js';
export { InProcessJobs, jobLimits, type RunnerOptions } from './runner.js';

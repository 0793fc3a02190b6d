/**
 * Why a job failed, in words for the person who asked: the user's mistakes (a refused file, a text
 * with no sentences, a document changed meanwhile) as their own message; anything else as an
 * internal error, without paths or stack (the worker logs those).
 */
const USER_ERRORS = new Set([
  'ImportError',
  'TextInputError',
  'AlignInputError',
  'ModelNotInstalledError',
  'InvalidOperationError',
  'NotFoundError',
  'ConflictError',
  'ExportOptionsError',
  'JobNotRunningError',
  'AbortError',
]);

export function failureMessage(e: unknown): { message: string; internal: boolean } {
  if (e instanceof Error && USER_ERRORS.has(e.name)) {
    if (e.name === 'AbortError' || e.name === 'JobNotRunningError') return { message: 'cancelled: nothing was stored', internal: false };
    return { message: e.message, internal: false };
  }
  return { message: 'internal error: the job failed (the server log says why); nothing was stored', internal: true };
}

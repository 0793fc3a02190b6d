/** An HTTP error with a status and a message meant for the user (errors.ts turns it into the answer). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

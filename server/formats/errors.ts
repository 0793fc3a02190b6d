/** Why an import was refused, in one word. */
export type ImportRefusal = 'too-large' | 'encoding' | 'malformed' | 'dtd' | 'version' | 'languages' | 'content' | 'model';

/**
 * An import the user has to fix: a TMX or JSON file (formats/), or a text pair or further version
 * (import/). The message is meant for the user as is; web routes answer `status`, the CLI prints the
 * message.
 */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    readonly reason: ImportRefusal = 'content',
  ) {
    super(message);
  }

  /** The HTTP status that says it: 413 when the input is too large, 422 for everything else. */
  get status(): 413 | 422 {
    return this.reason === 'too-large' ? 413 : 422;
  }
}

/** Thrown for export options that make no sense (unknown format, bitext without a side …). */
export class ExportOptionsError extends Error {
  override name = 'ExportOptionsError';
}

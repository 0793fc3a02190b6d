/** Thrown for any import the formats module refuses: the message is meant for the user as is. */
export class ImportError extends Error {
  override name = 'ImportError';
  constructor(
    message: string,
    /** Why, in one word, so HTTP routes can pick a status (413 for 'too-large', 422 otherwise). */
    readonly reason: 'too-large' | 'encoding' | 'malformed' | 'dtd' | 'version' | 'languages' | 'content' = 'content',
  ) {
    super(message);
  }
}

/** Thrown for export options that make no sense (unknown format, bitext without a side …). */
export class ExportOptionsError extends Error {
  override name = 'ExportOptionsError';
}

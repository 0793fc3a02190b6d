/**
 * A user's input the pipeline cannot read (bad encoding, binary file, missing file). The message is
 * one line, names the file and says what to do: CLIs print it as is, without a stack trace.
 */
export class TextInputError extends Error {
  /** The file (or name) the input came from. */
  readonly file: string;
  constructor(file: string, message: string) {
    super(message);
    this.name = 'TextInputError';
    this.file = file;
  }
}

import { readFile } from 'node:fs/promises';
import { decodeBytes } from './decode.js';
import { TextInputError } from './errors.js';
import { normalizeText } from './normalize.js';

/**
 * Reads, decodes ("auto" unless an encoding is given: UTF-8, UTF-16 with a BOM, GB18030 when the
 * bytes read as Chinese, else a refusal listing the encodings to choose from) and normalises a text file. File-system problems (missing file, a directory, no
 * permission) become TextInputError with one clear line; an empty file gives '' (callers decide).
 */
export async function readTextFile(path: string, opts: { encoding?: string } = {}): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a text file' : code === 'EACCES' ? 'permission denied' : `cannot be read (${code ?? String(err)})`;
    throw new TextInputError(path, `${path}: ${why}`);
  }
  return normalizeText(decodeBytes(bytes, { name: path, encoding: opts.encoding ?? 'auto' }));
}

/**
 * Reads several files at once; when some cannot be read, the error of the first of them in the
 * order given is thrown, so that the message does not depend on which read finished first.
 */
export async function readTextFiles(paths: readonly string[], opts: { encoding?: string } = {}): Promise<string[]> {
  const results = await Promise.allSettled(paths.map((p) => readTextFile(p, opts)));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<string>).value);
}

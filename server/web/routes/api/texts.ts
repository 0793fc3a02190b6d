/**
 * Texts in a JSON body: a string field, or the same bytes base64-encoded in `<field>Base64` (decoded
 * on import with `encoding`, e.g. gb18030). The document import and the version import take them.
 */
import { z } from 'zod';
import { missing, required } from '../../validate.js';

const textValue = (name: string) => z.string({ error: `"${name}" must be a string.` }).optional();
const base64Value = (name: string) =>
  z.string({ error: `"${name}" must be base64 text.` }).regex(/^[A-Za-z0-9+/=\s]*$/, `"${name}" must be base64 text.`).optional();

/** The body fields of texts that may come under any of `names`: each as a string and as `<name>Base64`. */
export function textFields(names: readonly string[]): Record<string, ReturnType<typeof textValue>> {
  return Object.fromEntries(names.flatMap((n) => [[n, textValue(n)], [`${n}Base64`, base64Value(`${n}Base64`)]]));
}

/** The name of what is imported (a document, a version): required, at most 200 characters. */
export const nameField = (what: string) =>
  required(z.string({ error: '"name" must be a string.' }).max(200, '"name" is longer than 200 characters.'), `The ${what} needs a name (field "name").`);

/**
 * The text under the first of `names` given as a string, else the first given as base64 (as bytes);
 * none given is the 422 `whenMissing`.
 */
export function pickText(body: Record<string, unknown>, names: readonly string[], ctx: z.RefinementCtx, whenMissing: string): string | Uint8Array {
  for (const n of names) {
    const v = body[n];
    if (typeof v === 'string') return v;
  }
  for (const n of names) {
    const v = body[`${n}Base64`];
    if (typeof v === 'string') return new Uint8Array(Buffer.from(v, 'base64'));
  }
  missing(ctx, whenMissing, [names[0]!]);
  return '';
}

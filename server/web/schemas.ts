/**
 * The field schemas several routes share (ids in paths, revisions, review operations, language
 * codes); each route composes its own params/query/body schema from these (see validate.ts).
 */
import { z } from 'zod';
import type { ReviewOp } from '../domain.js';
import { ID_RE, OpValidationError, parseOp } from '../review/index.js';

/** Document ids: letters, digits, '.', '_', '-' (never a path). */
export const documentId = z.string().regex(ID_RE, 'Invalid document id.');

/** Path parameters of everything under /documents/:id and /api/documents/:id. */
export const documentParams = z.object({ id: documentId });

/** … and of a row of it (`beadId` is looked up, so any text is safe here). */
export const rowParams = z.object({ id: documentId, beadId: z.string().min(1).max(200) });

/** Absent, null and '' all mean "not given" (JSON clients and forms send all three). */
export function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null || v === '' ? undefined : v), schema.optional());
}

/** A string field of at most `max` characters, optional. */
export function optionalString(name: string, max = 200) {
  return optional(z.string({ error: `"${name}" must be a string.` }).max(max, `"${name}" is longer than ${max} characters.`));
}

/** The revision a JSON client saw (the conflict rule compares it with the current one). */
export const jsonRevision = optional(z.number({ error: '"baseRevision" must be a non-negative integer.' }).int('"baseRevision" must be a non-negative integer.').min(0, '"baseRevision" must be a non-negative integer.'));

/** The same from a form field (text). */
export const formRevision = optional(
  z
    .string({ error: '"baseRevision" must be a whole number.' })
    .regex(/^\s*\d{1,15}\s*$/, '"baseRevision" must be a whole number.')
    .transform((s) => Number(s)),
);

/** A review operation as the JSON API posts it, checked by the review core's one parser. */
export const reviewOp = z.unknown().optional().transform((value, ctx): ReviewOp => {
  try {
    return parseOp(value);
  } catch (e) {
    if (!(e instanceof OpValidationError)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message });
    return z.NEVER;
  }
});

/** A language code as written into exports (xml:lang, JSON keys, file names): BCP 47 shape. */
export const exportLangCode = (name: string) =>
  optional(z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, `${name} must be a language code such as en or zh-CN`));

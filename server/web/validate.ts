/**
 * Every route's input, validated once: a route declares zod schemas for its params, query and body,
 * and its handler receives the parsed values, typed from those schemas. Input that does not fit is
 * answered before the handler runs: 400 with a message naming each field, or 422 when what is wrong
 * is only that something the request needs is missing or empty (see `required`).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { HttpError } from './http-error.js';

export interface RouteSchemas {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
}

type Parsed<S extends RouteSchemas, K extends keyof RouteSchemas> = S[K] extends z.ZodType ? z.output<S[K]> : Record<string, never>;

/** What a handler receives: the parsed params, query and body. */
export interface RouteInput<S extends RouteSchemas> {
  params: Parsed<S, 'params'>;
  query: Parsed<S, 'query'>;
  body: Parsed<S, 'body'>;
}

export type RouteHandler<S extends RouteSchemas> = (input: RouteInput<S>, req: Request, res: Response, next: NextFunction) => unknown;

/** A request handler that validates first, then calls `handler` (a rejection reaches the error handler: Express 5). */
export function route<S extends RouteSchemas>(schemas: S, handler: RouteHandler<S>): RequestHandler {
  return async (req, res, next) => {
    const input = {
      params: parse(schemas.params, req.params, 'path'),
      query: parse(schemas.query, req.query, 'query'),
      body: parse(schemas.body, bodyObject(req, schemas.body !== undefined), 'body'),
    } as RouteInput<S>;
    await handler(input, req, res, next);
  };
}

function bodyObject(req: Request, wanted: boolean): unknown {
  const b: unknown = req.body;
  if (b === undefined || b === null) return {};
  if (wanted && (typeof b !== 'object' || Array.isArray(b) || Buffer.isBuffer(b))) throw new HttpError(400, 'The request body must be a JSON object or a form.');
  return b;
}

function parse(schema: z.ZodType | undefined, value: unknown, where: string): unknown {
  if (!schema) return {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw invalidInput(result.error, where);
}

/** 422 when every issue is a missing required value, else 400; the message names each field. */
export function invalidInput(error: z.ZodError, where: string): HttpError {
  const status = error.issues.every((i) => (i as { params?: { status?: unknown } }).params?.status === 422) ? 422 : 400;
  const messages = [...new Set(error.issues.map((i) => describe(i, where)))];
  return new HttpError(status, messages.join(' '), { issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) });
}

function describe(issue: z.core.$ZodIssue, where: string): string {
  const field = issue.path.map(String).join('.');
  // Checks written here (custom issues: parseOp, required …) and messages that name their field say
  // it all; zod's own defaults get the field in front.
  if (issue.code === 'custom' || !field || issue.message.includes(`"${field}"`) || issue.message.includes(`${field} `)) return issue.message;
  return `${where === 'body' ? '' : `${where} `}"${field}": ${issue.message}`;
}

/**
 * A value the request cannot do without: missing, null or empty is a 422 with `message` (the request
 * is well formed but incomplete); a value of the wrong type is still a 400 from `schema`.
 */
export function required<T extends z.ZodType>(schema: T, message: string) {
  return z.preprocess((v, ctx) => {
    if (v === undefined || v === null || v === '') {
      ctx.addIssue({ code: 'custom', message, params: { status: 422 } });
      return z.NEVER;
    }
    return v;
  }, schema);
}

/** The issue `required` raises, for checks that span fields (superRefine). */
export function missing(ctx: z.RefinementCtx, message: string, path: string[] = []): void {
  ctx.addIssue({ code: 'custom', message, path, params: { status: 422 } });
}

/** An object with exactly these fields: any other is refused, naming the fields allowed. */
export function fields<T extends z.ZodRawShape>(shape: T) {
  const allowed = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (iss) => (iss.code === 'unrecognized_keys' ? `Unknown field ${iss.keys.map((k) => `"${k}"`).join(', ')} (allowed: ${allowed}).` : undefined),
  });
}

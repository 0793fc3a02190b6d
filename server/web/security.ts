/**
 * Security middleware, applied by app.ts before every router:
 * - headers (a CSP without inline script, nosniff, referrer policy, no framing),
 * - the door (`door`), before any body is read: a Content-Length above the route's limit is a 413,
 *   a POST from a foreign Origin a 403, a CSRF token sent in the header (or, for multipart
 *   uploads, in the `_csrf` query parameter) is checked; each refusal closes the connection,
 * - body parsing with size limits (large only on import routes); JSON strings made well formed,
 * - CSRF: a synchronizer token bound to a per-browser secret cookie (a form's `_csrf` field is
 *   checked after its body was read),
 * - the reviewer's name from a cookie.
 * The server's timeouts (`serverOptions`) answer a body that does not arrive with 408 and close.
 * Routers only read `res.locals.csrfToken` (hidden input `_csrf` in every POST form) and
 * `res.locals.reviewer`.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server, type ServerOptions } from 'node:http';
import express from 'express';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Store } from '../store/store.js';
import { wellFormedJson } from '../text/index.js';
import { HttpError } from './http-error.js';

export const CSRF_COOKIE = 'bt_csrf';
export const REVIEWER_COOKIE = 'bt_reviewer';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/** Body size limits: imports carry whole texts, everything else is small. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
export const DEFAULT_BODY_LIMIT = 100 * 1024;

/** Env var → positive integer (milliseconds), else the default. */
function envMs(name: string, dflt: number): number {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : dflt;
}

/**
 * The HTTP server's timeouts (env REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS):
 * the whole request (headers and body) must arrive within the request timeout, else Node answers
 * 408 and closes the connection; its headers within the headers timeout; an idle keep-alive
 * connection is closed after the keep-alive timeout. Expired connections are looked for every second.
 */
export function serverOptions(over: { requestTimeout?: number; headersTimeout?: number; keepAliveTimeout?: number } = {}): ServerOptions {
  const requestTimeout = over.requestTimeout ?? envMs('REQUEST_TIMEOUT_MS', 30_000);
  const headersTimeout = Math.min(over.headersTimeout ?? envMs('HEADERS_TIMEOUT_MS', 10_000), requestTimeout);
  return { requestTimeout, headersTimeout, keepAliveTimeout: over.keepAliveTimeout ?? envMs('KEEP_ALIVE_TIMEOUT_MS', 5_000), connectionsCheckingInterval: 1_000 };
}

/** An HTTP server for `app` with the timeouts above (main.ts, tests and the benchmark use it). */
export function httpServer(app: express.Express, over: Parameters<typeof serverOptions>[0] = {}): Server {
  const server = createServer(serverOptions(over), app);
  // Node's own socket idle timeout (none by default) stays off: the request timeout covers a slow body.
  return server;
}

export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; " +
  "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** `Server-Timing: app;dur=…` on every response: the server-side time up to the headers (benchmarks read it). */
export function serverTiming(): RequestHandler {
  return (_req, res, next) => {
    const t0 = process.hrtime.bigint();
    const writeHead = res.writeHead;
    res.writeHead = function (this: Response, ...args: Parameters<Response['writeHead']>) {
      if (!this.headersSent) this.setHeader('Server-Timing', `app;dur=${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(2)}`);
      return writeHead.apply(this, args);
    } as Response['writeHead'];
    next();
  };
}

/** Helmet-like headers, written by hand (no dependency). */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('Content-Security-Policy', CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.removeHeader('X-Powered-By');
    next();
  };
}

/** Routes that receive whole texts (JSON, form or multipart) and get the large limit. */
export function isImportPath(method: string, path: string): boolean {
  if (method !== 'POST') return false;
  return (
    path === '/api/documents' ||
    path === '/api/translation-sets' ||
    path === '/import' ||
    path === '/import/translations' ||
    /^\/api\/documents\/[^/]+\/versions$/.test(path) ||
    // The import page (texts, and TMX/JSON files), a document's version import
    // (/documents/:id/versions/import) and a glossary import (/glossaries/import).
    /\/import(?:\/file)?$/.test(path) ||
    // File imports (TMX, JSON): a JSON export sent as application/json must not meet the 100 kB limit.
    /^\/api\/import\/[^/]+$/.test(path)
  );
}

/** One uploaded file of a multipart body. */
export interface UploadedFile {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/**
 * Body parsers with limits chosen per route: JSON and urlencoded everywhere; multipart/form-data
 * (file uploads) only on import routes, parsed into `req.body` (text fields) and `req.files`.
 * Too large → 413 with a clear message (see errorStatus in app.ts).
 */
export function bodyParsers(): RequestHandler {
  const small = [
    express.json({ limit: DEFAULT_BODY_LIMIT, reviver: wellFormedJson }),
    express.urlencoded({ extended: false, limit: DEFAULT_BODY_LIMIT, parameterLimit: 1000 }),
  ];
  const large = [
    express.json({ limit: IMPORT_BODY_LIMIT, reviver: wellFormedJson }),
    express.urlencoded({ extended: false, limit: IMPORT_BODY_LIMIT, parameterLimit: 1000 }),
    express.raw({ type: 'multipart/form-data', limit: IMPORT_BODY_LIMIT }),
  ];
  return (req, res, next) => {
    const parsers = isImportPath(req.method, req.path) ? large : small;
    let i = 0;
    const step = (err?: unknown): void => {
      if (err) {
        next(err);
        return;
      }
      const p = parsers[i++];
      if (!p) {
        if (Buffer.isBuffer(req.body) && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')) {
          try {
            const parsed = parseMultipart(req.body, req.headers['content-type'] ?? '');
            req.body = parsed.fields;
            (req as Request & { files?: UploadedFile[] }).files = parsed.files;
          } catch (e) {
            next(e);
            return;
          }
        }
        next();
        return;
      }
      p(req, res, step);
    };
    step();
  };
}

/** A minimal multipart/form-data parser (the whole body is already in memory and size-limited). */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; files: UploadedFile[] } {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) throw new HttpError(400, 'Malformed upload: multipart body without a boundary.');
  const delim = Buffer.from(`--${boundary}`);
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  const files: UploadedFile[] = [];
  let pos = body.indexOf(delim);
  if (pos < 0) throw new HttpError(400, 'Malformed upload: boundary not found.');
  for (;;) {
    pos += delim.length;
    if (body.subarray(pos, pos + 2).toString() === '--') break; // closing delimiter
    pos += 2; // CRLF after the delimiter
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new HttpError(400, 'Malformed upload: part without headers.');
    const headers = body.subarray(pos, headerEnd).toString('utf8');
    const next = body.indexOf(delim, headerEnd + 4);
    if (next < 0) throw new HttpError(400, 'Malformed upload: unterminated part.');
    const data = body.subarray(headerEnd + 4, next - 2); // minus the CRLF before the delimiter
    const disp = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disp)?.[1];
    const filename = /\bfilename="([^"]*)"/i.exec(disp)?.[1];
    const type = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim() ?? 'application/octet-stream';
    if (name !== undefined) {
      if (filename !== undefined) {
        if (filename !== '' || data.length > 0) files.push({ field: name, filename, contentType: type, data: Buffer.from(data) });
      } else {
        fields[name] = data.toString('utf8');
      }
    }
    pos = next;
  }
  return { fields, files };
}

/** Parses the Cookie header by hand (no dependency). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    let v = part.slice(eq + 1).trim();
    if (v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1);
    try {
      out[k] = decodeURIComponent(v);
    } catch {
      out[k] = v;
    }
  }
  return out;
}

/** SECRET_KEY needs at least this many characters. */
export const SECRET_KEY_MIN = 32;

/**
 * The server's HMAC key: from SECRET_KEY (hashed to 32 bytes) when set, else the store's own (made
 * once, kept in the database), so tokens in open pages survive a restart and every app server of one
 * store accepts the tokens of the others.
 */
export async function serverKey(store: Pick<Store, 'serverKey'>, env: NodeJS.ProcessEnv = process.env): Promise<Buffer> {
  const secret = env.SECRET_KEY;
  if (secret !== undefined && secret !== '') {
    if (secret.length < SECRET_KEY_MIN) throw new Error(`SECRET_KEY must have at least ${SECRET_KEY_MIN} characters (e.g. openssl rand -base64 32)`);
    return createHash('sha256').update(secret, 'utf8').digest();
  }
  return store.serverKey('csrf');
}

export function csrfTokenFor(key: Buffer, secret: string): string {
  return createHmac('sha256', key).update(`csrf:${secret}`).digest('base64url');
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A refusal at the door: the body is not read, and the connection is closed after the answer. */
function refuse(res: Response, next: NextFunction, status: number, message: string): void {
  res.setHeader('Connection', 'close');
  next(new HttpError(status, message));
}

const CSRF_REFUSAL =
  'Invalid or missing CSRF token: reload the page and try again (API clients: GET /api/csrf, then send the token in the x-csrf-token header with the cookie).';

/** True when the request's Origin (if it sent one) is this server, or one of ALLOWED_ORIGINS. */
export function sameOrigin(req: Request, allowed: readonly string[] = (process.env.ALLOWED_ORIGINS ?? '').split(',').map((x) => x.trim()).filter(Boolean)): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true; // not a browser, or a same-origin GET-like request of an old one: the token decides
  if (allowed.includes(origin)) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and anything unparsable
  }
  return (url.protocol === 'http:' || url.protocol === 'https:') && url.host === req.headers.host;
}

/** The browser's CSRF secret: from its cookie, or a new one (set on the answer). */
function csrfSecret(req: Request, res: Response): { secret: string; fresh: boolean } {
  const cookies = parseCookies(req.headers.cookie);
  const secret = cookies[CSRF_COOKIE];
  if (secret && /^[A-Za-z0-9_-]{20,100}$/.test(secret)) return { secret, fresh: false };
  const made = randomBytes(24).toString('base64url');
  appendCookie(res, `${CSRF_COOKIE}=${made}; Path=/; HttpOnly; SameSite=Strict`);
  return { secret: made, fresh: true };
}

const isMultipart = (req: Request): boolean => /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');

/**
 * The door, before any body is read. For POST/PUT/PATCH/DELETE: a Content-Length above the route's
 * body limit is a 413; a foreign Origin a 403; the CSRF token, when it is in the x-csrf-token header
 * or (multipart uploads only) the `_csrf` query parameter, is checked here (403). Each refusal
 * closes the connection, so a client announcing a huge body and sending none holds nothing. Forms
 * whose token is in the body are checked by `csrf` after the (size-limited) body was read.
 */
export function door(serverKey: Promise<Buffer>): RequestHandler {
  let key: Buffer | null = null;
  // Read once: requests before it is known wait for it, the others use it at once.
  const known = serverKey.then((k) => {
    key = k;
    return k;
  });
  known.catch(() => undefined);
  return async (req, res, next) => {
    key ??= await known;
    const { secret, fresh } = csrfSecret(req, res);
    const token = csrfTokenFor(key, secret);
    res.locals.csrfToken = token;
    if (SAFE_METHODS.has(req.method)) return next();
    const limit = isImportPath(req.method, req.path) ? IMPORT_BODY_LIMIT : DEFAULT_BODY_LIMIT;
    const length = Number(req.headers['content-length'] ?? 0);
    if (length > limit) {
      return refuse(res, next, 413, `The request is too large (${length.toLocaleString('en')} bytes; the limit here is ${limit.toLocaleString('en')}).`);
    }
    if (!sameOrigin(req)) return refuse(res, next, 403, 'Refused: the request comes from another site (Origin).');
    const fromHeader = req.headers[CSRF_HEADER];
    const fromQuery = isMultipart(req) ? req.query[CSRF_FIELD] : undefined;
    const early = typeof fromHeader === 'string' ? fromHeader : typeof fromQuery === 'string' ? fromQuery : null;
    if (early !== null) {
      if (fresh || !sameToken(early, token)) return refuse(res, next, 403, CSRF_REFUSAL);
      res.locals.csrfChecked = true;
    } else if (fresh) {
      // A fresh secret means the request cannot carry a valid token: no need to read its body.
      return refuse(res, next, 403, CSRF_REFUSAL);
    }
    next();
  };
}

/**
 * CSRF protection (synchronizer token): each browser gets an HttpOnly, SameSite=Strict cookie with a
 * random secret; the token is HMAC(serverKey, secret), put in `res.locals.csrfToken` for forms and
 * returned by GET /api/csrf. Every POST/PUT/PATCH/DELETE must carry it: in the `x-csrf-token` header
 * or (multipart uploads) the `_csrf` query parameter, both checked by `door` before the body is
 * read, or in the `_csrf` field of a form, checked here after it; otherwise 403.
 */
export function csrf(): RequestHandler {
  return (req, res, next) => {
    const body = req.body as Record<string, unknown> | undefined;
    const fields = body && typeof body === 'object' && !Buffer.isBuffer(body) ? body : undefined;
    if (!SAFE_METHODS.has(req.method) && res.locals.csrfChecked !== true) {
      const sent = fields?.[CSRF_FIELD];
      if (typeof sent !== 'string' || !sameToken(sent, res.locals.csrfToken as string)) return refuse(res, next, 403, CSRF_REFUSAL);
    }
    // The token is not part of any operation: remove it so strict body validators do not see it.
    if (fields && CSRF_FIELD in fields) delete fields[CSRF_FIELD];
    next();
  };
}

/** A reviewer name as accepted from a form or cookie: 1–80 printable characters. */
export function cleanReviewerName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name.length < 1 || name.length > 80) return null;
  if (/[\u0000-\u001f\u007f]/.test(name)) return null;
  return name;
}

/** Header an API client names itself with (recorded as the author of its changes). */
export const REVIEWER_HEADER = 'x-reviewer';

/** Puts the reviewer's name from the cookie, else (API clients) the X-Reviewer header, or null, in `res.locals.reviewer`. */
export function reviewer(): RequestHandler {
  return (req, res, next) => {
    const header = req.headers[REVIEWER_HEADER];
    res.locals.reviewer = cleanReviewerName(parseCookies(req.headers.cookie)[REVIEWER_COOKIE]) ?? (typeof header === 'string' ? cleanReviewerName(header) : null);
    next();
  };
}

/** Cookie that remembers the reviewer's name for a year. */
export function setReviewerCookie(res: Response, name: string): void {
  appendCookie(res, `${REVIEWER_COOKIE}=${encodeURIComponent(name)}; Path=/; Max-Age=31536000; HttpOnly; SameSite=Strict`);
}

function appendCookie(res: Response, cookie: string): void {
  const prev = res.getHeader('Set-Cookie');
  const list = Array.isArray(prev) ? prev : typeof prev === 'string' ? [prev] : [];
  res.setHeader('Set-Cookie', [...list, cookie]);
}

/** The author recorded with a change: the reviewer's name, or 'anonymous' (API clients that give none; the pages ask first). */
export function authorOf(res: Response): string {
  const r: unknown = res.locals.reviewer;
  return typeof r === 'string' && r ? r : 'anonymous';
}

/** A local redirect target from user input: a path on this site only (no `//host`, no scheme). */
export function safeReturnTo(raw: unknown, fallback = '/'): string {
  if (typeof raw !== 'string' || !raw.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return fallback;
  if (/[\u0000-\u001f]/.test(raw) || raw.length > 2000) return fallback;
  return raw;
}

/** The path (and query) of the page a request came from, when the browser said. */
export function refererPath(req: Request): string | undefined {
  return req.get('referer')?.replace(/^https?:\/\/[^/]+/, '');
}

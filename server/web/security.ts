/**
 * Security middleware, applied by app.ts before every router:
 * - headers (a CSP without inline script, nosniff, referrer policy, no framing),
 * - body parsing with size limits (large only on import routes),
 * - CSRF: a synchronizer token bound to a per-browser secret cookie,
 * - the reviewer's name from a cookie.
 * Routers only read `res.locals.csrfToken` (hidden input `_csrf` in every POST form) and
 * `res.locals.reviewer`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import express from 'express';
import type { Request, RequestHandler, Response } from 'express';
import { HttpError } from './http-error.js';

export const CSRF_COOKIE = 'bt_csrf';
export const REVIEWER_COOKIE = 'bt_reviewer';
export const CSRF_HEADER = 'x-csrf-token';
export const CSRF_FIELD = '_csrf';

/** Body size limits: imports carry whole texts, everything else is small. */
export const IMPORT_BODY_LIMIT = 20 * 1024 * 1024;
export const DEFAULT_BODY_LIMIT = 100 * 1024;

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
    path === '/import' ||
    /^\/api\/documents\/[^/]+\/versions$/.test(path) ||
    // The import page and a document's version import (/documents/:id/versions/import).
    /\/import$/.test(path) ||
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
    express.json({ limit: DEFAULT_BODY_LIMIT }),
    express.urlencoded({ extended: false, limit: DEFAULT_BODY_LIMIT, parameterLimit: 1000 }),
  ];
  const large = [
    express.json({ limit: IMPORT_BODY_LIMIT }),
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

/** The server's HMAC key, kept in DATA_DIR so tokens in open pages survive a restart. */
export function loadServerKey(dataDir: string): Buffer {
  const file = join(dataDir, '.server-key');
  if (existsSync(file)) {
    const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
    if (key.length >= 32) return key;
  }
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64url'), { mode: 0o600 });
  return key;
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

/**
 * CSRF protection (synchronizer token): each browser gets an HttpOnly, SameSite=Strict cookie with a
 * random secret; the token is HMAC(serverKey, secret), put in `res.locals.csrfToken` for forms and
 * returned by GET /api/csrf. Every POST/PUT/PATCH/DELETE must carry it in the `_csrf` body field, the
 * `x-csrf-token` header or (for multipart uploads) the `_csrf` query parameter; otherwise 403.
 */
export function csrf(key: Buffer): RequestHandler {
  return (req, res, next) => {
    const cookies = parseCookies(req.headers.cookie);
    let secret = cookies[CSRF_COOKIE];
    if (!secret || !/^[A-Za-z0-9_-]{20,100}$/.test(secret)) {
      secret = randomBytes(24).toString('base64url');
      appendCookie(res, `${CSRF_COOKIE}=${secret}; Path=/; HttpOnly; SameSite=Strict`);
      // A fresh secret means the request cannot carry a valid token.
      cookies[CSRF_COOKIE] = '';
    }
    const token = csrfTokenFor(key, secret);
    res.locals.csrfToken = token;
    if (SAFE_METHODS.has(req.method)) return next();
    const body = req.body as Record<string, unknown> | undefined;
    const fromBody = body && typeof body === 'object' && !Buffer.isBuffer(body) ? body[CSRF_FIELD] : undefined;
    const fromHeader = req.headers[CSRF_HEADER];
    const fromQuery = req.query[CSRF_FIELD];
    const sent =
      typeof fromHeader === 'string' ? fromHeader : typeof fromBody === 'string' ? fromBody : typeof fromQuery === 'string' ? fromQuery : '';
    if (!cookies[CSRF_COOKIE] || !sent || !sameToken(sent, token)) {
      return next(
        new HttpError(
          403,
          'Invalid or missing CSRF token: reload the page and try again (API clients: GET /api/csrf, then send the token in the x-csrf-token header with the cookie).',
        ),
      );
    }
    // The token is not part of any operation: remove it so strict body validators do not see it.
    if (body && typeof body === 'object' && CSRF_FIELD in body) delete body[CSRF_FIELD];
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

/**
 * The JSON API under /api, mirroring the pages' operations (used by scripts, tests and the page
 * script). Bodies are validated strictly: unknown fields or kinds → 400. Mutations need the CSRF
 * token (GET /api/csrf, then the x-csrf-token header with the cookie), like every POST.
 */
import express from 'express';
import type { Request, Router } from 'express';
import type { HistoryEntry, ReviewDocument } from '../domain.js';
import { ImportError, importDocument, importVersion } from '../import/index.js';
import type { ImportInput, VersionInput } from '../import/index.js';
import { ID_RE, OpValidationError, parseOp } from '../review/index.js';
import { realignStored } from '../import/realign.js';
import type { AppContext } from './context.js';
import { HttpError, authorOf } from './security.js';

type Obj = Record<string, unknown>;

function body(req: Request): Obj {
  const b: unknown = req.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b) || Buffer.isBuffer(b)) throw new HttpError(400, 'The request body must be a JSON object.');
  return b as Obj;
}

function onlyKeys(o: Obj, allowed: readonly string[]): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new HttpError(400, `Unknown field "${k}" (allowed: ${allowed.join(', ')}).`);
  }
}

function docId(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string' || !ID_RE.test(id)) throw new HttpError(400, 'Invalid document id.');
  return id;
}

function optString(o: Obj, key: string, max = 200): string | undefined {
  const v = o[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new HttpError(400, `"${key}" must be a string.`);
  if (v.length > max) throw new HttpError(400, `"${key}" is longer than ${max} characters.`);
  return v;
}

function baseRevision(o: Obj): number | undefined {
  const v = o.baseRevision;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new HttpError(400, '"baseRevision" must be a non-negative integer.');
  return v;
}

/** Text given as a string, or as base64 bytes (`…Base64`) to decode with `encoding` (e.g. gb18030). */
function textField(o: Obj, names: readonly string[], label: string): string | Uint8Array {
  for (const n of names) {
    const v = o[n];
    if (v === undefined) continue;
    if (typeof v !== 'string') throw new HttpError(400, `"${n}" must be a string.`);
    return v;
  }
  for (const n of names) {
    const v = o[`${n}Base64`];
    if (v === undefined) continue;
    if (typeof v !== 'string' || !/^[A-Za-z0-9+/=\s]*$/.test(v)) throw new HttpError(400, `"${n}Base64" must be base64 text.`);
    return new Uint8Array(Buffer.from(v, 'base64'));
  }
  throw new HttpError(422, `The ${label} is missing (field "${names[0]}").`);
}

function importError(e: unknown): never {
  if (e instanceof ImportError) throw new HttpError(e.status, e.message);
  throw e;
}

/** What an op/undo/redo answers: the new revision and the change (for in-place page updates). */
async function opResult(ctx: AppContext, doc: ReviewDocument): Promise<{ revision: number; updatedAt: string; entry: HistoryEntry | null }> {
  const [entry] = await ctx.store.history(doc.id, { limit: 1, newestFirst: true, changes: false });
  return { revision: doc.revision, updatedAt: doc.updatedAt, entry: entry ?? null };
}

export function createApiRouter(ctx: AppContext): Router {
  const r = express.Router();
  const serialised = new WeakMap<ReviewDocument, string>();
  const { store } = ctx;

  r.get('/csrf', (_req, res) => {
    res.json({ token: res.locals.csrfToken as string });
  });

  r.get('/documents', async (_req, res) => {
    res.json({ documents: await store.listDocuments() });
  });

  const IMPORT_FIELDS = ['name', 'source', 'en', 'target', 'zh', 'sourceBase64', 'enBase64', 'targetBase64', 'zhBase64', 'sourceLang', 'targetLang', 'encoding', 'model', 'presplit'];
  r.post('/documents', async (req, res) => {
    const o = body(req);
    onlyKeys(o, IMPORT_FIELDS);
    const name = optString(o, 'name');
    if (!name) throw new HttpError(422, 'The document needs a name (field "name").');
    if (o.presplit !== undefined && typeof o.presplit !== 'boolean') throw new HttpError(400, '"presplit" must be true or false.');
    const input: ImportInput = {
      name,
      source: textField(o, ['source', 'en'], 'source (English) text'),
      target: textField(o, ['target', 'zh'], 'target (Chinese) text'),
    };
    const sourceLang = optString(o, 'sourceLang', 20);
    const targetLang = optString(o, 'targetLang', 20);
    const encoding = optString(o, 'encoding', 40);
    const model = optString(o, 'model', 40);
    if (sourceLang) input.sourceLang = sourceLang;
    if (targetLang) input.targetLang = targetLang;
    if (encoding) input.encoding = encoding;
    if (model) input.model = model;
    if (o.presplit === true) input.presplit = true;
    const id = await importDocument(store, input, { author: authorOf(res) }).catch(importError);
    const doc = await store.getDocument(id);
    res.status(201).location(`/api/documents/${id}`).json({ id, revision: doc.revision, beads: doc.beads.length, model: doc.model });
  });

  r.get('/documents/:id', async (req, res) => {
    const doc = await store.getDocument(docId(req));
    // The store hands out the same object until the document changes: serialise it once.
    let json = serialised.get(doc);
    if (!json) {
      json = JSON.stringify(doc);
      serialised.set(doc, json);
    }
    res.type('json').send(json);
  });

  r.delete('/documents/:id', async (req, res) => {
    await store.deleteDocument(docId(req));
    res.status(204).end();
  });

  r.post('/documents/:id/ops', async (req, res) => {
    const id = docId(req);
    const o = body(req);
    onlyKeys(o, ['op', 'baseRevision']);
    let op;
    try {
      op = parseOp(o.op);
    } catch (e) {
      if (e instanceof OpValidationError) throw new HttpError(400, e.message);
      throw e;
    }
    const base = baseRevision(o);
    const doc = await store.apply(id, op, { author: authorOf(res), ...(base !== undefined ? { baseRevision: base } : {}) });
    res.json(await opResult(ctx, doc));
  });

  for (const action of ['undo', 'redo'] as const) {
    r.post(`/documents/:id/${action}`, async (req, res) => {
      const id = docId(req);
      const o = body(req);
      onlyKeys(o, ['baseRevision']);
      const base = baseRevision(o);
      const opts = { author: authorOf(res), ...(base !== undefined ? { baseRevision: base } : {}) };
      const doc = action === 'undo' ? await store.undo(id, opts) : await store.redo(id, opts);
      res.json(await opResult(ctx, doc));
    });
  }

  r.get('/documents/:id/history', async (req, res) => {
    const id = docId(req);
    const num = (k: string, def: number, max: number): number => {
      const v = req.query[k];
      if (v === undefined) return def;
      const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
      if (!Number.isInteger(n) || n > max) throw new HttpError(400, `"${k}" must be an integer from 0 to ${max}.`);
      return n;
    };
    const limit = num('limit', 100_000, 100_000);
    const offset = num('offset', 0, 1_000_000_000);
    // `since=R`: only the entries after revision R (each carries its own before/after, so a client
    // can bring its copy up to date with applyChange instead of reloading the document).
    const since = req.query.since === undefined ? undefined : num('since', 0, 1_000_000_000);
    const newestFirst = req.query.order === 'desc';
    if (req.query.order !== undefined && req.query.order !== 'desc' && req.query.order !== 'asc') throw new HttpError(400, '"order" must be asc or desc.');
    const entries = await store.history(id, { limit, offset, newestFirst, ...(since !== undefined ? { sinceRevision: since } : {}) });
    res.json({ revision: (await store.getDocument(id)).revision, entries });
  });

  r.post('/documents/:id/realign', async (req, res) => {
    const id = docId(req);
    const o = body(req);
    onlyKeys(o, ['model', 'baseRevision']);
    const base = baseRevision(o);
    const model = optString(o, 'model', 40);
    const { doc: next, model: used } = await realignStored(store, id, {
      author: authorOf(res),
      ...(base !== undefined ? { baseRevision: base } : {}),
      ...(model ? { model } : {}),
    }).catch((e: unknown) => {
      throw e instanceof ImportError ? new HttpError(e.status, e.message) : e;
    });
    res.json({ ...(await opResult(ctx, next)), beads: next.beads.length, model: used });
  });

  r.post('/documents/:id/versions', async (req, res) => {
    const id = docId(req);
    const o = body(req);
    onlyKeys(o, ['name', 'text', 'target', 'zh', 'textBase64', 'targetBase64', 'zhBase64', 'lang', 'encoding', 'model']);
    const name = optString(o, 'name');
    if (!name) throw new HttpError(422, 'The version needs a name (field "name").');
    await store.getDocument(id); // 404 before any work
    const input: VersionInput = { name, text: textField(o, ['text', 'target', 'zh'], 'version text') };
    const lang = optString(o, 'lang', 20);
    const encoding = optString(o, 'encoding', 40);
    const model = optString(o, 'model', 40);
    if (lang) input.lang = lang;
    if (encoding) input.encoding = encoding;
    if (model) input.model = model;
    const doc = await importVersion(store, id, input, { author: authorOf(res) }).catch(importError);
    const v = doc.versions[doc.versions.length - 1]!;
    res.status(201).json({ id: v.id, name: v.name, lang: v.lang, revision: doc.revision });
  });

  return r;
}

/**
 * Glossaries (in the store): several, one the default, one chosen per document (QA report page).
 * Every change is one transaction recorded with its reviewer; an entry edited since the form was
 * made is a 409 (the entry's revision travels with the form), never a lost update.
 *
 *   GET  /glossary                               → the default glossary's page
 *   GET  /glossaries                             the list; create, import (TSV or TBX), make default, delete
 *   POST /glossaries                             name → a new, empty glossary
 *   POST /glossaries/import                      multipart: file, name, into (an existing glossary's id)
 *   GET  /glossaries/:gid                        entries, add / edit forms, export links
 *   GET  /glossaries/:gid/history                who changed what
 *   POST /glossaries/:gid/entries                add an entry (english, accepted, forbidden, note, unless: '|'-separated)
 *   POST /glossaries/:gid/entries/:eid           save an entry (+ revision)
 *   GET  /glossaries/:gid/entries/:eid/delete    asks for confirmation; POST deletes (+ revision)
 *   POST /glossaries/:gid/default                make it the default
 *   GET  /glossaries/:gid/delete                 asks for confirmation; POST deletes the glossary
 *   GET  /glossaries/:gid/export.tsv | export.tbx (?version=2 for TBX v2 <martif>)
 *   GET  /glossaries/:gid?project=NAME           also lists entries suggested from confirmed rows (one project's
 *                                                with ?project), each accepted into this glossary with one click
 *   GET  /api/glossaries/:gid/suggestions?project=NAME&limit=N   the suggestions as JSON
 *   GET  /api/glossary/suggestions?project=NAME&limit=N          the same for the default glossary
 * The same over JSON: GET/POST /api/glossaries, GET /api/glossaries/:gid, POST /api/glossaries/:gid/entries,
 * PUT and DELETE /api/glossaries/:gid/entries/:eid (revision in the body / query), GET /api/glossaries/:gid/history.
 */
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import type { GlossaryEntry, StoredGlossary } from '../../domain.js';
import { writeTbx } from '../../formats/tbx.js';
import { MAX_PROJECT_CHARS } from '../../import/index.js';
import { entryFromFields, GlossaryError, serializeGlossary } from '../../qa/index.js';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { readGlossaryFile } from '../controllers/glossaries.js';
import { suggestionsFor } from '../controllers/glossary-suggestions.js';
import { HttpError } from '../http-error.js';
import { renderPage } from '../render.js';
import { authorOf, type UploadedFile } from '../security.js';
import { route } from '../validate.js';
import { langLabel } from '../view-models/common.js';

const idNumber = (what: string) =>
  z
    .string()
    .regex(/^\d{1,12}$/, `Invalid ${what} id.`)
    .transform(Number);
const glossaryParams = z.object({ gid: idNumber('glossary') });
const suggestionsQuery = z.object({
  project: z.string().max(MAX_PROJECT_CHARS).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const entryParams = z.object({ gid: idNumber('glossary'), eid: idNumber('entry') });
const text = z.string().catch('');
/** A glossary's language (its pair: source terms → target terms); absent or empty: en → zh. */
const glossaryLang = (name: string) =>
  z.preprocess((v) => (v === '' || v === null ? undefined : v), z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/, `"${name}" must be a language code such as en, fr or zh-CN.`).optional());
const pairFields = { sourceLang: glossaryLang('sourceLang'), targetLang: glossaryLang('targetLang') };
const pairOf = (b: { sourceLang?: string | undefined; targetLang?: string | undefined }) => ({ ...(b.sourceLang ? { sourceLang: b.sourceLang } : {}), ...(b.targetLang ? { targetLang: b.targetLang } : {}) });
const entryForm = z.object({ english: text, accepted: text, forbidden: text, note: text, unless: text });
const revisionField = z.union([z.number(), z.string()]).transform((v, c) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    c.addIssue({ code: 'custom', message: '"revision" (the entry\'s revision you edited) is missing or not a whole number.' });
    return z.NEVER;
  }
  return n;
});

/** An entry from form or JSON fields ('|'-separated, or arrays in JSON); a mistake is a 422 naming it. */
function entryOf(body: Record<string, unknown>): GlossaryEntry {
  const joined = Object.fromEntries(['english', 'accepted', 'forbidden', 'note', 'unless'].map((k) => [k, Array.isArray(body[k]) ? (body[k] as unknown[]).join('|') : body[k]]));
  try {
    return entryFromFields(joined);
  } catch (e) {
    if (e instanceof GlossaryError) throw new HttpError(422, `Glossary entry: ${e.message}.`);
    throw e;
  }
}

const filesOf = (req: Request): UploadedFile[] => (req as Request & { files?: UploadedFile[] }).files ?? [];
const pagePath = (gid: number): string => `/glossaries/${gid}`;

/** A download name from a glossary name. */
function fileName(name: string, ext: string): string {
  return `${name.normalize('NFC').replace(/[\u0000-\u001f\u007f"\\/:*?<>|]+/g, '_').slice(0, 80) || 'glossary'}.${ext}`;
}

export function createGlossaryRouter({ store }: AppContext): express.Router {
  const router = express.Router();

  const listPage = async (res: Response, extra: { error?: string; status?: number } = {}): Promise<void> => {
    await renderPage(res, 'glossaries', { title: 'Glossaries', glossaries: await store.listGlossaries(), error: extra.error ?? '' }, extra.status ?? 200);
  };

  const glossaryPage = async (
    res: Response,
    g: StoredGlossary,
    extra: { error?: string; form?: Record<string, string>; status?: number; editing?: number; project?: string | undefined } = {},
  ): Promise<void> => {
    const suggested = await suggestionsFor(store, g.entryList, { project: extra.project });
    const pair = { source: langLabel(g.sourceLang), target: langLabel(g.targetLang), zh: /^zh\b/i.test(g.targetLang) };
    await renderPage(res, 'qa-glossary', { title: `Glossary · ${g.name}`, g, pair, error: extra.error ?? '', form: extra.form ?? {}, editing: extra.editing ?? null, suggested }, extra.status ?? 200);
  };

  /** A refused change: JSON for API clients, else the page again with the message and what was typed. */
  const refused = async (req: Request, res: Response, gid: number, err: unknown, form: Record<string, string> = {}, editing?: number): Promise<void> => {
    const status = err instanceof HttpError ? err.status : (err as Error).name === 'ConflictError' ? 409 : (err as Error).name === 'NotFoundError' ? 404 : (err as Error).name === 'InvalidOperationError' ? 422 : 0;
    if (!status) throw err;
    const message = (err as Error).message;
    if (wantsJson(req) || req.originalUrl.startsWith('/api/')) return void res.status(status).json({ error: message, status });
    await glossaryPage(res, await store.getGlossary(gid), { error: message, form, status, ...(editing !== undefined ? { editing } : {}) });
  };

  router.get(
    '/glossary',
    route({}, async (_input, _req, res) => {
      const def = (await store.listGlossaries()).find((g) => g.isDefault);
      res.redirect(303, def ? pagePath(def.id) : '/glossaries');
    }),
  );

  router.get(
    ['/glossaries', '/api/glossaries'],
    route({}, async (_input, req, res) => {
      if (req.path.startsWith('/api/')) return void res.json({ glossaries: await store.listGlossaries() });
      await listPage(res);
    }),
  );

  router.post(
    ['/glossaries', '/api/glossaries'],
    route({ body: z.object({ name: text, entries: z.array(z.record(z.string(), z.unknown())).max(100_000).optional(), ...pairFields }) }, async ({ body }, req, res) => {
      const api = req.path.startsWith('/api/');
      try {
        if (!body.name.trim()) throw new HttpError(422, 'The glossary needs a name.');
        const entries = (body.entries ?? []).map(entryOf);
        const id = (await store.createGlossary({ name: body.name.toWellFormed().slice(0, 200), entries, ...pairOf(body) }, { author: authorOf(res) }))!;
        if (api) return void res.status(201).location(`/api/glossaries/${id}`).json(await store.getGlossary(id));
        res.redirect(303, pagePath(id));
      } catch (e) {
        if (api || !(e instanceof HttpError || (e as Error).name === 'InvalidOperationError')) throw e instanceof Error && e.name === 'InvalidOperationError' ? new HttpError(422, e.message) : e;
        await listPage(res, { error: (e as Error).message, status: 422 });
      }
    }),
  );

  router.post(
    '/glossaries/import',
    route({ body: z.object({ name: text, into: text, ...pairFields }) }, async ({ body }, req, res) => {
      const file = filesOf(req).find((f) => f.field === 'file' && f.data.length > 0);
      try {
        if (!file) throw new HttpError(422, 'Choose a glossary file (TSV or TBX).');
        const read = readGlossaryFile(file.data, file.filename);
        if (read.entries.length === 0) throw new HttpError(422, `${file.filename}: no glossary entries found${read.note ? ` (${read.note})` : ''}.`);
        if (body.into) {
          const gid = Number(body.into);
          await store.addGlossaryEntries(gid, read.entries, { author: authorOf(res) });
          return res.redirect(303, pagePath(gid));
        }
        const name = (body.name.trim() || read.title || file.filename.replace(/\.[^.]*$/, '')).slice(0, 200);
        const id = (await store.createGlossary({ name, entries: read.entries, ...pairOf(body) }, { author: authorOf(res) }))!;
        res.redirect(303, pagePath(id));
      } catch (e) {
        if (!(e instanceof HttpError || (e as Error).name === 'InvalidOperationError' || (e as Error).name === 'NotFoundError')) throw e;
        await listPage(res, { error: `Not imported: ${(e as Error).message}`, status: e instanceof HttpError ? e.status : 422 });
      }
    }),
  );

  router.get(
    ['/glossaries/:gid', '/api/glossaries/:gid'],
    route({ params: glossaryParams, query: z.object({ edit: z.string().optional(), project: z.string().max(MAX_PROJECT_CHARS).optional() }) }, async ({ params, query }, req, res) => {
      const g = await store.getGlossary(params.gid);
      if (req.path.startsWith('/api/')) return void res.json(g);
      await glossaryPage(res, g, { ...(query.edit ? { editing: Number(query.edit) } : {}), project: query.project });
    }),
  );

  // Suggested entries: the learnt table's consistent renderings that the glossary does not have yet.
  router.get(
    '/api/glossaries/:gid/suggestions',
    route({ params: glossaryParams, query: suggestionsQuery }, async ({ params, query }, _req, res) => {
      const g = await store.getGlossary(params.gid);
      res.json(await suggestionsFor(store, g.entryList, query));
    }),
  );

  router.get(
    '/api/glossary/suggestions',
    route({ query: suggestionsQuery }, async ({ query }, _req, res) => {
      const def = (await store.listGlossaries()).find((x) => x.isDefault);
      const entries = def ? (await store.getGlossary(def.id)).entryList : [];
      res.json(await suggestionsFor(store, entries, query));
    }),
  );

  router.get(
    ['/glossaries/:gid/history', '/api/glossaries/:gid/history'],
    route({ params: glossaryParams }, async ({ params }, req, res) => {
      const g = await store.getGlossary(params.gid);
      const changes = await store.glossaryHistory(params.gid, { limit: 500 });
      if (req.path.startsWith('/api/')) return void res.json({ glossary: { id: g.id, name: g.name, revision: g.revision }, changes });
      await renderPage(res, 'glossary-history', { title: `History · ${g.name}`, g, changes });
    }),
  );

  router.post(
    ['/glossaries/:gid/entries', '/api/glossaries/:gid/entries'],
    route({ params: glossaryParams, body: z.record(z.string(), z.unknown()) }, async ({ params, body }, req, res) => {
      try {
        const [entry] = await store.addGlossaryEntries(params.gid, [entryOf(body)], { author: authorOf(res) });
        if (req.path.startsWith('/api/') || wantsJson(req)) return void res.status(201).json(entry);
        res.redirect(303, `${pagePath(params.gid)}#e${entry!.id}`);
      } catch (e) {
        await refused(req, res, params.gid, e, entryForm.parse(body));
      }
    }),
  );

  const saveEntry = route({ params: entryParams, body: z.record(z.string(), z.unknown()) }, async ({ params, body }, req, res) => {
    try {
      const parsed = revisionField.safeParse(body.revision);
      if (!parsed.success) throw new HttpError(422, parsed.error.issues[0]?.message ?? 'revision missing');
      const entry = await store.updateGlossaryEntry(params.gid, params.eid, entryOf(body), { author: authorOf(res), baseRevision: parsed.data });
      if (req.path.startsWith('/api/') || wantsJson(req)) return void res.json(entry);
      res.redirect(303, `${pagePath(params.gid)}#e${params.eid}`);
    } catch (e) {
      await refused(req, res, params.gid, e, entryForm.parse(body), params.eid);
    }
  });
  router.post('/glossaries/:gid/entries/:eid', saveEntry);
  router.put('/api/glossaries/:gid/entries/:eid', saveEntry);

  router.get(
    '/glossaries/:gid/entries/:eid/delete',
    route({ params: entryParams }, async ({ params }, _req, res) => {
      const g = await store.getGlossary(params.gid);
      const entry = g.entryList.find((e) => e.id === params.eid);
      if (!entry) throw new HttpError(404, 'This glossary entry does not exist (it may have been deleted).');
      await renderPage(res, 'glossary-delete', { title: 'Delete a glossary entry', g, entry, action: `${pagePath(g.id)}/entries/${entry.id}/delete`, what: 'entry' });
    }),
  );

  const deleteEntry = route({ params: entryParams, body: z.record(z.string(), z.unknown()) }, async ({ params, body }, req, res) => {
    try {
      const parsed = revisionField.safeParse(body.revision ?? req.query.revision);
      if (!parsed.success) throw new HttpError(422, parsed.error.issues[0]?.message ?? 'revision missing');
      await store.deleteGlossaryEntry(params.gid, params.eid, { author: authorOf(res), baseRevision: parsed.data });
      if (req.path.startsWith('/api/') || wantsJson(req)) return void res.status(204).end();
      res.redirect(303, pagePath(params.gid));
    } catch (e) {
      await refused(req, res, params.gid, e);
    }
  });
  router.post('/glossaries/:gid/entries/:eid/delete', deleteEntry);
  router.delete('/api/glossaries/:gid/entries/:eid', deleteEntry);

  router.post(
    '/glossaries/:gid/default',
    route({ params: glossaryParams }, async ({ params }, _req, res) => {
      await store.setDefaultGlossary(params.gid, { author: authorOf(res) });
      res.redirect(303, '/glossaries');
    }),
  );

  router.get(
    '/glossaries/:gid/delete',
    route({ params: glossaryParams }, async ({ params }, _req, res) => {
      const g = await store.getGlossary(params.gid);
      await renderPage(res, 'glossary-delete', { title: `Delete ${g.name}`, g, entry: null, action: `${pagePath(g.id)}/delete`, what: 'glossary' });
    }),
  );

  router.post(
    '/glossaries/:gid/delete',
    route({ params: glossaryParams }, async ({ params }, _req, res) => {
      try {
        await store.deleteGlossary(params.gid, { author: authorOf(res) });
        res.redirect(303, '/glossaries');
      } catch (e) {
        if ((e as Error).name !== 'InvalidOperationError') throw e;
        await listPage(res, { error: (e as Error).message, status: 422 });
      }
    }),
  );

  router.get(
    '/glossaries/:gid/export.:ext',
    route({ params: glossaryParams.extend({ ext: z.enum(['tsv', 'tbx'], 'The glossary exports as .tsv or .tbx.') }), query: z.object({ version: z.enum(['2', '3']).catch('3') }) }, async ({ params, query }, _req, res) => {
      const g = await store.getGlossary(params.gid);
      if (params.ext === 'tsv') {
        res.attachment(fileName(g.name, 'tsv')).type('text/tab-separated-values; charset=utf-8').send(serializeGlossary({ entries: g.entryList, path: null }));
        return;
      }
      let body: string;
      try {
        body = writeTbx(g.entryList, { title: g.name, version: query.version === '2' ? 2 : 3 });
      } catch (e) {
        if ((e as Error).name === 'ImportError') throw new HttpError(422, (e as Error).message);
        throw e;
      }
      res.attachment(fileName(g.name, 'tbx')).type('application/x-tbx+xml; charset=utf-8').send(body);
    }),
  );

  return router;
}

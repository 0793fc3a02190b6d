/**
 * The glossary editor (the TSV file the QA config names). A form carries the version (content hash)
 * of the file it was made from: a change posted against an older file is refused, not merged.
 *
 *   GET  /glossary   the entries and the add / edit / delete forms; entries suggested from confirmed
 *                    rows (?project=NAME: one project's), each accepted with one click (action=add)
 *   POST /glossary   action=add|update|delete, index, version, english, accepted, forbidden, note, unless
 *   GET  /api/glossary/suggestions?project=NAME&limit=N   the suggestions as JSON
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import express from 'express';
import type { Response } from 'express';
import { z } from 'zod';
import { entryFromFields, GlossaryError, parseGlossary, saveGlossary } from '../../qa/index.js';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { suggestionsFor } from '../controllers/glossary-suggestions.js';
import type { QaFindings } from '../controllers/qa-findings.js';
import { HttpError } from '../http-error.js';
import { renderPage } from '../render.js';
import { route } from '../validate.js';

const text = z.string().catch('');
const suggestionsQuery = z.object({
  project: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
const glossaryForm = z.object({
  action: text,
  index: text,
  version: text,
  english: text,
  accepted: text,
  forbidden: text,
  note: text,
  unless: text,
});

export function createGlossaryRouter({ store }: AppContext, qa: QaFindings): express.Router {
  const router = express.Router();

  /** The file's content hash: a form posted against an older file is refused (no lost updates). */
  const readGlossaryFile = (): { text: string; version: string } => {
    const p = qa.glossaryPath();
    const content = existsSync(p) ? readFileSync(p, 'utf8') : '';
    return { text: content, version: createHash('sha256').update(content).digest('hex').slice(0, 16) };
  };

  const glossaryPage = async (res: Response, extra: { error?: string; form?: Record<string, string>; status?: number; project?: string | undefined } = {}): Promise<void> => {
    const { text: content, version } = readGlossaryFile();
    let entries: ReturnType<typeof parseGlossary>['entries'] = [];
    let error = extra.error ?? '';
    try {
      entries = parseGlossary(content, qa.glossaryPath()).entries;
    } catch (e) {
      error = error || (e as Error).message;
    }
    const suggested = await suggestionsFor(store, entries, { project: extra.project });
    const locals = { title: 'Glossary', entries, version, path: qa.glossaryPath(), error, form: extra.form ?? {}, suggested };
    await renderPage(res, 'qa-glossary', locals, extra.status ?? (error ? 422 : 200));
  };

  router.get(
    '/glossary',
    route({ query: suggestionsQuery }, ({ query }, _req, res) => glossaryPage(res, { project: query.project })),
  );

  router.get(
    '/api/glossary/suggestions',
    route({ query: suggestionsQuery }, async ({ query }, _req, res) => {
      const { text: content } = readGlossaryFile();
      const entries = parseGlossary(content, qa.glossaryPath()).entries;
      res.json(await suggestionsFor(store, entries, query));
    }),
  );

  router.post(
    '/glossary',
    route({ body: glossaryForm }, async ({ body }, req, res) => {
      const { action, index: indexText, version: posted, ...fields } = body;
      const { text: content, version } = readGlossaryFile();
      if (posted !== version) {
        await glossaryPage(res, { error: 'The glossary was changed by someone else in the meantime: your change was not saved. Please redo it.', form: fields, status: 409 });
        return;
      }
      let glossary: ReturnType<typeof parseGlossary>;
      try {
        glossary = parseGlossary(content, qa.glossaryPath());
      } catch (e) {
        if (!(e instanceof GlossaryError)) throw e;
        await glossaryPage(res, { error: `${e.message} — fix the file by hand first.`, form: fields, status: 409 });
        return;
      }
      const index = Number.parseInt(indexText, 10);
      const entryIndex = (): number => {
        if (!Number.isInteger(index) || index < 0 || index >= glossary.entries.length) throw new HttpError(422, 'Unknown glossary entry.');
        return index;
      };
      try {
        if (action === 'add') glossary.entries.push(entryFromFields(fields));
        else if (action === 'update') glossary.entries[entryIndex()] = entryFromFields(fields);
        else if (action === 'delete') glossary.entries.splice(entryIndex(), 1);
        else throw new HttpError(422, 'Unknown action (add, update or delete).');
      } catch (e) {
        if (e instanceof GlossaryError) {
          await glossaryPage(res, { error: e.message, form: fields, status: 422 });
          return;
        }
        throw e;
      }
      saveGlossary(glossary, qa.glossaryPath());
      // Later reports use the new glossary (the default config reloads from the file by itself).
      qa.forget();
      if (wantsJson(req)) {
        res.json({ ok: true, entries: glossary.entries.length });
        return;
      }
      res.redirect(303, '/glossary');
    }),
  );

  return router;
}

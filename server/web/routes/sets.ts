/**
 * Translation sets: several translations of one original, each a document aligned to the original.
 *
 *   GET  /sets/:id                      the original with the chosen translations side by side
 *                                       (?show=fr&show=es; default all), links to each document's rows
 *   GET  /sets/:id/export.tmx           multilingual TMX (one tu per row of the set, one tuv per language; ?show= as above);
 *                                       more than INLINE_SET_CELLS rows × translations: a job whose page downloads the file
 *   POST /import/translations           the import page's form (multipart): name, source…, t1Lang/t1Text|t1File … → job
 *   POST /api/translation-sets          {name, source|sourceBase64, sourceLang, translations: [{lang, text|textBase64}], encoding,
 *                                       model, presplit} → 202 {job} (Location /api/jobs/:id); with `Prefer: wait=N`
 *                                       and the job done in time → 201 {id, documents}
 *   GET  /api/translation-sets/:id      {id, name, sourceLang, documents: [{id, name, targetLang}], rows: [{source, targets: [{text, beadIds, confirmed}]}]}
 *   GET  /api/translation-sets/:id/export?format=tmx&show=…   the multilingual TMX
 */
import express from 'express';
import { z } from 'zod';
import type { ReviewDocument } from '../../domain.js';
import { setTmx } from '../../formats/multi-tmx.js';
import { checkTranslations, MAX_TRANSLATIONS, type TranslationsInput } from '../../import/index.js';
import { alignTranslationSet, setName } from '../../review/index.js';
import type { Store } from '../../store/store.js';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { importTranslationsFromForm } from '../controllers/import-form.js';
import { answerJob, jobJson } from '../controllers/job-answer.js';
import { sendJobFile } from './export.js';
import { renderPage } from '../render.js';
import { optionalString } from '../schemas.js';
import { authorOf } from '../security.js';
import { fields, route } from '../validate.js';
import { buildSetVM, chosenIndices } from '../view-models/translation-set.js';
import { nameField, pickText, textFields } from './api/texts.js';
import { importPage } from './import.js';

const setParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'Invalid translation set id.') });

/** `show`: language codes, repeated or comma-separated. */
const showQuery = z.looseObject({
  show: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean).slice(0, MAX_TRANSLATIONS))),
  format: z.enum(['tmx']).optional(),
});

const translationItem = z.looseObject({ lang: z.string({ error: 'each translation needs "lang", a language code.' }).max(20), ...textFields(['text']) });

const importBody = fields({
  name: nameField('set of translations'),
  ...textFields(['source']),
  sourceLang: optionalString('sourceLang', 20),
  translations: z.array(translationItem, { error: '"translations" must be a list of {lang, text}.' }).max(MAX_TRANSLATIONS, `at most ${MAX_TRANSLATIONS} translations`),
  encoding: optionalString('encoding', 40),
  model: optionalString('model', 40),
  presplit: z.boolean({ error: '"presplit" must be true or false.' }).optional(),
}).transform((b, ctx): TranslationsInput => {
  const source = pickText(b, ['source'], ctx, 'The original text is missing (field "source").');
  const translations = b.translations.map((t, k) => ({ lang: t.lang, text: pickText(t, ['text'], ctx, `Translation ${k + 1} has no text (field "text").`) }));
  return {
    name: b.name,
    source,
    translations,
    ...(b.sourceLang ? { sourceLang: b.sourceLang } : {}),
    ...(b.encoding ? { encoding: b.encoding } : {}),
    ...(b.model ? { model: b.model } : {}),
    ...(b.presplit ? { presplit: true } : {}),
  };
});

async function loadSet(store: Store, id: string): Promise<ReviewDocument[]> {
  const set = await store.translationSet(id);
  return Promise.all(set.documents.map((d) => store.getDocument(d)));
}

function tmxFileName(name: string): string {
  return `${name.normalize('NFC').replace(/[\u0000-\u001f\u007f"\\/:*?<>|]+/g, '_').slice(0, 80) || 'translations'}.tmx`;
}

/**
 * Cells (rows × translations) written on the web thread (about 10 µs each: 1,840 rows in four
 * languages took 69 ms); larger sets are a job, as large exports are (routes/export.ts).
 */
export const INLINE_SET_CELLS = 3000;

/** The set's TMX: at once when small, else by a job (pages: its page, which downloads the file; API: 202, or the file with `Prefer: wait`). */
async function sendTmx(ctx: AppContext, req: express.Request, res: express.Response, setId: string, docs: readonly ReviewDocument[], show: readonly string[], api: boolean): Promise<void> {
  const name = setName(docs);
  const only = chosenIndices(docs, show);
  const cells = docs[0] ? docs[0].source.sentences.length * only.length : 0;
  if (cells <= INLINE_SET_CELLS) {
    const body = setTmx(alignTranslationSet(docs), { name, only });
    res.attachment(tmxFileName(name)).type('application/x-tmx+xml; charset=utf-8').send(body);
    return;
  }
  const dedupeKey = `set-export:${setId}:${docs.map((d) => `${d.id}@${d.revision}`).join(',')}:${only.join(',')}`;
  const job = await ctx.jobs.submit('set-export', { setId, only, fileName: tmxFileName(name) }, { owner: authorOf(res), label: `Multilingual TMX of “${name}”`, dedupeKey });
  if (job.state === 'done') {
    if (api) return sendJobFile(ctx, res, job);
    return res.redirect(303, `/jobs/${job.id}/file`);
  }
  await answerJob(ctx.jobs, req, res, job, { api, done: (end) => sendJobFile(ctx, res, end) });
}

export function createSetsRouter(ctx: AppContext): express.Router {
  const { store } = ctx;
  const router = express.Router();

  router.get(
    '/sets/:id',
    route({ params: setParams, query: showQuery }, async ({ params, query }, _req, res) => {
      const docs = await loadSet(store, params.id);
      const vm = buildSetVM(params.id, docs, alignTranslationSet(docs), query.show);
      await renderPage(res, 'translation-set', { title: `${vm.name} · translations`, vm });
    }),
  );

  router.get(
    '/sets/:id/export.tmx',
    route({ params: setParams, query: showQuery }, async ({ params, query }, req, res) => {
      await sendTmx(ctx, req, res, params.id, await loadSet(store, params.id), query.show, false);
    }),
  );

  router.post(
    '/import/translations',
    route({}, async (_input, req, res) => {
      const result = await importTranslationsFromForm(ctx, req, authorOf(res));
      if (!result.ok) {
        if (wantsJson(req)) {
          res.status(422).json({ error: result.errors.join(' '), errors: result.errors, status: 422 });
          return;
        }
        await renderPage(res, 'import', importPage(undefined, [], undefined, { values: result.values, errors: result.errors }), 422);
        return;
      }
      await answerJob(ctx.jobs, req, res, result.job, { api: false });
    }),
  );

  return router;
}


/** The API part, mounted under /api (routes/api/index.ts). */
export function createApiSetsRouter(ctx: AppContext): express.Router {
  const { store } = ctx;
  const router = express.Router();

  router.post(
    '/translation-sets',
    route({ body: importBody }, async ({ body }, req, res) => {
      const checked = checkTranslations(body);
      const job = await ctx.jobs.submit('import-translations', checked, { owner: authorOf(res), label: `Import of “${checked.name}” in ${checked.imports.length} translations` });
      await answerJob(ctx.jobs, req, res, job, {
        api: true,
        done: async (end) => {
          const id = end.result!.translationSet!;
          res.status(201).location(`/api/translation-sets/${id}`).json({ id, documents: end.result!.documents, job: jobJson(end) });
        },
      });
    }),
  );

  router.get(
    '/translation-sets/:id',
    route({ params: setParams }, async ({ params }, _req, res) => {
      const docs = await loadSet(store, params.id);
      const set = alignTranslationSet(docs);
      res.json({
        id: params.id,
        name: setName(docs),
        sourceLang: set.sourceLang,
        documents: docs.map((d) => ({ id: d.id, name: d.name, targetLang: d.target.lang })),
        rows: set.rows.map((r) => ({ source: r.source, targets: r.targets })),
      });
    }),
  );

  router.get(
    '/translation-sets/:id/export',
    route({ params: setParams, query: showQuery }, async ({ params, query }, req, res) => {
      await sendTmx(ctx, req, res, params.id, await loadSet(store, params.id), query.show, true);
    }),
  );

  return router;
}

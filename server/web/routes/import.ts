/**
 * The import page: a new document from two texts (pasted, or uploaded files in any of the offered
 * encodings), or from a TMX file or this tool's JSON export. The fields are checked by
 * controllers/import-form.ts, which keeps the entered values and lists every mistake on the form;
 * the work runs as a job, whose page shows the progress and lands on the new document.
 *
 *   GET  /import
 *   POST /import        multipart: name, targetLang, sourceLang, targetText|targetFile, sourceText|sourceFile,
 *                       targetEncoding, sourceEncoding, model
 *   POST /import/file   multipart: file (TMX or JSON), name, sourceLang, targetLang
 *   (POST /import/translations, several translations of one original: routes/sets.ts)
 * (The forms send the CSRF token in the `_csrf` query parameter too, so it is checked before the upload is read.)
 */
import express from 'express';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { emptyTranslationsForm, ENCODINGS, IMPORT_TEXT_LIMIT, importDocumentFromForm, importFileFromForm, MODELS, type FileImportValues, type ImportFormValues, type TranslationsFormValues } from '../controllers/import-form.js';
import { answerJob } from '../controllers/job-answer.js';
import { renderPage } from '../render.js';
import { authorOf } from '../security.js';
import { route } from '../validate.js';

const EMPTY_FORM: ImportFormValues = {
  name: '',
  targetLang: 'auto',
  sourceLang: 'auto',
  targetText: '',
  sourceText: '',
  targetEncoding: 'auto',
  sourceEncoding: 'auto',
  model: 'auto',
  project: '',
};

const EMPTY_FILE_FORM: FileImportValues = { name: '', sourceLang: '', targetLang: '' };

/** The import page's locals: each form's values and errors (the one posted keeps what was entered). */
export function importPage(
  values: ImportFormValues = EMPTY_FORM,
  errors: string[] = [],
  file: { values: FileImportValues; errors: string[] } = { values: EMPTY_FILE_FORM, errors: [] },
  translations: { values: TranslationsFormValues; errors: string[] } = { values: emptyTranslationsForm(), errors: [] },
): Record<string, unknown> {
  return {
    title: 'Import',
    values,
    errors,
    file,
    translations,
    encodings: ENCODINGS,
    models: MODELS,
    limitText: `${Math.round(IMPORT_TEXT_LIMIT / 1_000_000)} million characters`,
    sides: [
      { key: 'target', legend: 'Translation (target)' },
      { key: 'source', legend: 'Original (source)' },
    ],
  };
}

export function createImportRouter(ctx: AppContext): express.Router {
  const router = express.Router();

  router.get(
    '/import',
    route({}, async (_input, _req, res) => {
      await renderPage(res, 'import', importPage(EMPTY_FORM, []));
    }),
  );

  router.post(
    '/import',
    route({}, async (_input, req, res) => {
      const result = await importDocumentFromForm(ctx, req, authorOf(res));
      if (!result.ok) {
        if (wantsJson(req)) {
          res.status(422).json({ error: result.errors.join(' '), errors: result.errors, status: 422 });
          return;
        }
        await renderPage(res, 'import', importPage(result.values, result.errors), 422);
        return;
      }
      await answerJob(ctx.jobs, req, res, result.job, { api: false });
    }),
  );

  router.post(
    '/import/file',
    route({}, async (_input, req, res) => {
      const result = await importFileFromForm(ctx, req, authorOf(res));
      if (!result.ok) {
        if (wantsJson(req)) {
          res.status(422).json({ error: result.errors.join(' '), errors: result.errors, status: 422 });
          return;
        }
        await renderPage(res, 'import', importPage(EMPTY_FORM, [], { values: result.values, errors: result.errors }), 422);
        return;
      }
      await answerJob(ctx.jobs, req, res, result.job, { api: false });
    }),
  );

  return router;
}

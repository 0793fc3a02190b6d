/**
 * The import page: a new document from two texts (pasted, or uploaded files in any of the offered
 * encodings), aligned and stored. The fields are checked by controllers/import-form.ts, which keeps
 * the entered values and lists every mistake on the form.
 *
 *   GET  /import
 *   POST /import   multipart: name, targetLang, sourceLang, targetText|targetFile, sourceText|sourceFile,
 *                  targetEncoding, sourceEncoding, model
 */
import express from 'express';
import type { AppContext } from '../context.js';
import { wantsJson } from '../controllers/change-answer.js';
import { ENCODINGS, IMPORT_TEXT_LIMIT, importDocumentFromForm, MODELS, type ImportFormValues } from '../controllers/import-form.js';
import { renderPage } from '../render.js';
import { authorOf } from '../security.js';
import { route } from '../validate.js';
import { docBase } from '../view-models/common.js';

const EMPTY_FORM: ImportFormValues = {
  name: '',
  targetLang: 'zh',
  sourceLang: 'en',
  targetText: '',
  sourceText: '',
  targetEncoding: 'auto',
  sourceEncoding: 'auto',
  model: 'auto',
  project: '',
};

function importPage(values: ImportFormValues, errors: string[]): Record<string, unknown> {
  return {
    title: 'Import',
    values,
    errors,
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
      if (wantsJson(req)) {
        res.status(201).json({ ok: true, id: result.id, location: docBase(result.id) });
        return;
      }
      res.redirect(303, docBase(result.id));
    }),
  );

  return router;
}

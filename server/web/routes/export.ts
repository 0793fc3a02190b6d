/**
 * Files out and in over HTTP (thin: parse the request, call server/formats, stream the answer).
 *
 *   GET  /documents/:id/export.:format          download (format: tmx xliff json jsonl tsv csv bitext)
 *   GET  /api/documents/:id/export?format=…     the same for API clients
 *   GET  /api/export?format=…                   every document in one file
 *        query: confirmedOnly=1, empty=0 (no 1-0/0-1 beads), bom=1, qa=0 (no QA findings),
 *               sourceLang=…, targetLang=… (codes written), side=source|target (bitext)
 *   POST /api/import/tmx?sourceLang=…&targetLang=…&name=…   body: the TMX file (raw bytes)
 *   POST /api/import/json                        body: this tool's JSON export (raw bytes)
 *        201 {documents:[{id,name,beads}]}; 400 empty body, 413 too large, 422 refused file.
 *        A JSON file is restored with its history (ids kept when free). Any content type works:
 *        /api/import/* get the import body limit (isImportPath), application/json included.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  exportDocuments,
  FORMAT_INFO,
  ImportError,
  importJson,
  importTmx,
  isExportFormat,
  type ExportFormat,
  type ExportOptions,
  type ImportedDocument,
} from '../../formats/index.js';
import { itemsFromStore, storeImported } from '../../formats/items.js';
import type { AppContext } from '../context.js';
import { HttpError } from '../http-error.js';
import { documentParams, exportLangCode, optional } from '../schemas.js';
import { IMPORT_BODY_LIMIT } from '../security.js';
import { route } from '../validate.js';

const FORMAT_MESSAGE = `format must be one of ${Object.keys(FORMAT_INFO).join(', ')}`;
const exportFormat = z.string(FORMAT_MESSAGE).refine(isExportFormat, FORMAT_MESSAGE);

/** A yes/no query flag: 0, false, no, off are no; any other text is yes; absent is `dflt`. */
const flag = (dflt: boolean) => z.unknown().optional().transform((v) => (typeof v !== 'string' || v === '' ? dflt : !/^(0|false|no|off)$/i.test(v)));

/** The export options of a download's query string. */
const exportFields = {
  confirmedOnly: flag(false),
  empty: flag(true),
  bom: flag(false),
  qa: flag(true),
  side: z.enum(['source', 'target'], 'side must be source or target').optional(),
  sourceLang: exportLangCode('sourceLang'),
  targetLang: exportLangCode('targetLang'),
};
type ExportQuery = ExportOptions & { qa: boolean };

function exportOptions({ empty, side, sourceLang, targetLang, ...rest }: z.output<z.ZodObject<typeof exportFields>>): ExportQuery {
  return {
    ...rest,
    includeEmpty: empty,
    ...(side ? { side } : {}),
    ...(sourceLang ? { sourceLang } : {}),
    ...(targetLang ? { targetLang } : {}),
  };
}

/** A download's query: the options (the format is in the path). */
const exportQuery = z.object(exportFields).transform(exportOptions);
/** An API download's query: the format and the options. */
const apiExportQuery = z.object({ format: exportFormat, ...exportFields }).transform(({ format, ...q }) => ({ format: format as ExportFormat, ...exportOptions(q) }));

/** A download file name from a document name: no path parts, no control or quote characters. */
export function downloadName(name: string, format: ExportFormat, opts: ExportOptions, langs: { source: string; target: string }): string {
  const base =
    name
      .normalize('NFC')
      .replace(/[\u0000-\u001f\u007f"\\/:*?<>|]+/g, '_')
      .replace(/^[.\s_]+|[.\s_]+$/g, '')
      .slice(0, 100) || 'export';
  const side = format === 'bitext' ? `.${(opts.side ?? 'source') === 'source' ? (opts.sourceLang ?? langs.source) : (opts.targetLang ?? langs.target)}` : '';
  return `${base}${side}.${FORMAT_INFO[format].ext}`;
}

/** Streams the export; errors after the headers went out can only cut the response. */
async function sendExport(ctx: AppContext, res: Response, ids: string[], format: ExportFormat, opts: ExportQuery, fileName: string, multi: boolean): Promise<void> {
  res.status(200);
  res.attachment(fileName);
  res.set('Content-Type', FORMAT_INFO[format].contentType);
  res.set('X-Content-Type-Options', 'nosniff');
  try {
    await exportDocuments(itemsFromStore(ctx.store, ids, { qa: opts.qa }), format, opts, res, multi);
    res.end();
  } catch (e) {
    if (!res.headersSent) throw e;
    res.destroy(e instanceof Error ? e : new Error(String(e)));
  }
}

/** The uploaded file: the raw body, or (sent as application/json) the body the app's JSON parser read. */
function uploadedBytes(req: Request): Uint8Array {
  const b: unknown = req.body;
  if (Buffer.isBuffer(b)) {
    if (b.length === 0) throw new HttpError(400, 'The request body is empty: send the file as the body.');
    return b;
  }
  if (typeof b === 'string' && b !== '') return Buffer.from(b, 'utf8');
  if (b && typeof b === 'object' && Object.keys(b).length > 0) return Buffer.from(JSON.stringify(b), 'utf8');
  throw new HttpError(400, 'The request body is empty: send the file as the body.');
}

/** Reads an uploaded file; a file the reader refuses is a 422 (413 when too large). */
function readUpload<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof ImportError) throw new HttpError(e.reason === 'too-large' ? 413 : 422, e.message);
    throw e;
  }
}

async function answerImported(ctx: AppContext, res: Response, docs: ImportedDocument[], format: 'json' | 'tmx', name: string | undefined): Promise<void> {
  const author = typeof res.locals.reviewer === 'string' && res.locals.reviewer ? (res.locals.reviewer as string) : 'import';
  // Validated completely before anything is stored; each document is stored in one transaction.
  const ids = await storeImported(ctx.store, docs, { format, author, name });
  res.status(201).json({ documents: docs.map(({ document }, k) => ({ id: ids[k]!, name: name ?? document.name, beads: document.beads.length })) });
}

export function createExportRouter(ctx: AppContext): Router {
  const router = express.Router();

  const downloadOne = async (res: Response, id: string, format: ExportFormat, opts: ExportQuery): Promise<void> => {
    const doc = await ctx.store.getDocument(id); // NotFoundError → 404 before any header
    const name = downloadName(doc.name, format, opts, { source: doc.source.lang, target: doc.target.lang });
    await sendExport(ctx, res, [id], format, opts, name, false);
  };

  router.get(
    '/documents/:id/export.:format',
    route({ params: documentParams.extend({ format: exportFormat }), query: exportQuery }, ({ params, query }, _req, res) =>
      downloadOne(res, params.id, params.format as ExportFormat, query),
    ),
  );

  router.get(
    '/api/documents/:id/export',
    route({ params: documentParams, query: apiExportQuery }, ({ params, query }, _req, res) =>
      downloadOne(res, params.id, query.format, query),
    ),
  );

  router.get(
    '/api/export',
    route({ query: apiExportQuery }, async ({ query }, _req, res) => {
      const docs = await ctx.store.listDocuments();
      if (docs.length === 0) throw new HttpError(404, 'There are no documents to export.');
      const { format } = query;
      const name = downloadName('all-documents', format, query, { source: docs[0]!.sourceLang, target: docs[0]!.targetLang });
      await sendExport(ctx, res, docs.map((d) => d.id), format, query, name, true);
    }),
  );

  const rawBody = express.raw({ type: () => true, limit: IMPORT_BODY_LIMIT });
  const tmxQuery = z.object({ sourceLang: optional(z.string()), targetLang: optional(z.string()), name: optional(z.string()) });

  router.post(
    '/api/import/tmx',
    rawBody,
    route({ query: tmxQuery }, async ({ query }, req, res) => {
      const bytes = uploadedBytes(req);
      const doc = readUpload(() =>
        importTmx(bytes, {
          ...(query.sourceLang ? { sourceLang: query.sourceLang } : {}),
          ...(query.targetLang ? { targetLang: query.targetLang } : {}),
          maxBytes: IMPORT_BODY_LIMIT,
        }),
      );
      await answerImported(ctx, res, [doc], 'tmx', query.name ? query.name.slice(0, 200) : undefined);
    }),
  );

  router.post(
    '/api/import/json',
    rawBody,
    route({}, async (_input, req, res) => {
      const docs = readUpload(() => importJson(uploadedBytes(req), { maxBytes: IMPORT_BODY_LIMIT }));
      await answerImported(ctx, res, docs, 'json', undefined);
    }),
  );

  return router;
}

/**
 * Files out and in over HTTP (thin: parse the request, call server/formats or submit a job).
 *
 *   GET  /documents/:id/export.:format          download (format: tmx xliff json jsonl tsv csv bitext)
 *   GET  /documents/:id/export?format=…         the same (the export menu's form)
 *   GET  /api/documents/:id/export?format=…     the same for API clients
 *   GET  /api/export?format=…                   every document in one file
 *        query: confirmedOnly=1, empty=0 (no 1-0/0-1 beads), bom=1, qa=0 (no QA findings),
 *               sourceLang=…, targetLang=… (codes written), side=source|target (bitext)
 *        More rows than inlineRows (250 with QA findings, 3,000 without) are written by a job: pages
 *        go to its page (which downloads the file when done), the API answers 202 with the job (with
 *        `Prefer: wait=N`, the file when done in time). The same export asked again reuses the job.
 *   POST /api/import/tmx?sourceLang=…&targetLang=…&name=…   body: the TMX file (raw bytes)
 *   POST /api/import/json                        body: this tool's JSON export (raw bytes)
 *        read and stored by a job: 202 {job}; with `Prefer: wait=N`, done in time: 201
 *        {documents:[{id,name,beads}]}; 400 empty body, 413 too large, 422 refused file.
 *        A JSON file is restored with its history (ids kept when free). Any content type works:
 *        /api/import/* get the import body limit (isImportPath), application/json included.
 */
import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import {
  exportDocuments,
  FORMAT_INFO,
  isExportFormat,
  type ExportFormat,
  type ExportOptions,
} from '../../formats/index.js';
import { itemsFromStore } from '../../formats/items.js';
import type { JobRecord } from '../../domain.js';
import type { AppContext } from '../context.js';
import { answerJob, jobJson } from '../controllers/job-answer.js';
import { HttpError } from '../http-error.js';
import { documentParams, exportLangCode, optional } from '../schemas.js';
import { authorOf, IMPORT_BODY_LIMIT } from '../security.js';
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

/** Rows written on the web thread; larger exports are jobs (QA findings cost about 90 µs a row, the rest ~10). */
export function inlineRows(qa: boolean): number {
  return qa ? 250 : 3000;
}

/** A finished export job's file, streamed to the answer chunk by chunk. */
export async function sendJobFile(ctx: AppContext, res: Response, job: JobRecord): Promise<void> {
  const file = job.result?.file;
  if (!file) throw new HttpError(500, 'The export job made no file.');
  res.status(200);
  res.attachment(file.name);
  res.set('Content-Type', file.contentType);
  res.set('X-Content-Type-Options', 'nosniff');
  for (let seq = 0; ; seq++) {
    const chunk = await ctx.store.jobFileChunk(job.id, seq);
    if (!chunk) break;
    if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
  }
  res.end();
}

export function createExportRouter(ctx: AppContext): Router {
  const router = express.Router();

  /**
   * Small exports are streamed at once; larger ones are a job (the same export of the same revisions
   * asked again reuses it): a page goes to the job's page, or straight to the file when it is ready.
   */
  const download = async (req: Request, res: Response, docs: { id: string; revision: number; beads: number }[], format: ExportFormat, opts: ExportQuery, name: string, multi: boolean, api: boolean): Promise<void> => {
    const rows = docs.reduce((n, d) => n + d.beads, 0);
    if (rows <= inlineRows(opts.qa)) return sendExport(ctx, res, docs.map((d) => d.id), format, opts, name, multi);
    const { now: _now, ...options } = opts;
    const dedupeKey = `export:${docs.map((d) => `${d.id}@${d.revision}`).join(',')}:${format}:${JSON.stringify(options)}`;
    const job = await ctx.jobs.submit('export', { docIds: docs.map((d) => d.id), format, options, fileName: name, multi }, { owner: authorOf(res), label: `Export of ${name}`, dedupeKey });
    if (job.state === 'done') {
      if (api) return sendJobFile(ctx, res, job);
      return res.redirect(303, `/jobs/${job.id}/file`);
    }
    await answerJob(ctx.jobs, req, res, job, { api, done: (end) => sendJobFile(ctx, res, end) });
  };

  const downloadOne = async (req: Request, res: Response, id: string, format: ExportFormat, opts: ExportQuery, api: boolean): Promise<void> => {
    const doc = await ctx.store.getDocument(id); // NotFoundError → 404 before any header
    const name = downloadName(doc.name, format, opts, { source: doc.source.lang, target: doc.target.lang });
    await download(req, res, [{ id, revision: doc.revision, beads: doc.beads.length }], format, opts, name, false, api);
  };

  router.get(
    '/documents/:id/export.:format',
    route({ params: documentParams.extend({ format: exportFormat }), query: exportQuery }, ({ params, query }, req, res) =>
      downloadOne(req, res, params.id, params.format as ExportFormat, query, false),
    ),
  );

  router.get(
    '/documents/:id/export',
    route({ params: documentParams, query: apiExportQuery }, ({ params, query }, req, res) => downloadOne(req, res, params.id, query.format, query, false)),
  );

  router.get(
    '/api/documents/:id/export',
    route({ params: documentParams, query: apiExportQuery }, ({ params, query }, req, res) =>
      downloadOne(req, res, params.id, query.format, query, true),
    ),
  );

  router.get(
    '/api/export',
    route({ query: apiExportQuery }, async ({ query }, req, res) => {
      const docs = await ctx.store.listDocuments();
      if (docs.length === 0) throw new HttpError(404, 'There are no documents to export.');
      const { format } = query;
      const name = downloadName('all-documents', format, query, { source: docs[0]!.sourceLang, target: docs[0]!.targetLang });
      await download(req, res, docs.map((d) => ({ id: d.id, revision: d.revision, beads: d.beads })), format, query, name, true, true);
    }),
  );

  const rawBody = express.raw({ type: () => true, limit: IMPORT_BODY_LIMIT });
  const tmxQuery = z.object({ sourceLang: exportLangCode('sourceLang'), targetLang: exportLangCode('targetLang'), name: optional(z.string()) });

  /** The file is read (and its documents stored, all or none) by a job. */
  const importFile = async (req: Request, res: Response, format: 'tmx' | 'json', query: z.output<typeof tmxQuery>): Promise<void> => {
    const bytes = uploadedBytes(req);
    const name = query.name ? query.name.toWellFormed().slice(0, 200) : undefined;
    const job = await ctx.jobs.submit(
      'import-file',
      {
        format,
        base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
        ...(query.sourceLang ? { sourceLang: query.sourceLang } : {}),
        ...(query.targetLang ? { targetLang: query.targetLang } : {}),
        ...(name ? { name } : {}),
      },
      { owner: authorOf(res) === 'anonymous' ? 'import' : authorOf(res), label: `Import of a ${format.toUpperCase()} file` },
    );
    await answerJob(ctx.jobs, req, res, job, {
      api: true,
      done: (end) => {
        res.status(201).json({ documents: (end.result?.documents ?? []).map(({ id, name: n, beads }) => ({ id, name: n, beads })), job: jobJson(end) });
      },
    });
  };

  router.post(
    '/api/import/tmx',
    rawBody,
    route({ query: tmxQuery }, ({ query }, req, res) => importFile(req, res, 'tmx', query)),
  );

  router.post(
    '/api/import/json',
    rawBody,
    route({ query: tmxQuery }, ({ query }, req, res) => importFile(req, res, 'json', { ...query, sourceLang: undefined, targetLang: undefined })),
  );

  return router;
}

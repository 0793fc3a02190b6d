/**
 * Downloads and imports over HTTP (thin: parse the request, call server/formats, stream the answer).
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
} from '../formats/index.js';
import { itemsFromStore, storeImported } from '../formats/items.js';
import type { AppContext } from './context.js';
import { HttpError, IMPORT_BODY_LIMIT } from './security.js';

const LANG_CODE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/;

function flag(v: unknown, dflt: boolean): boolean {
  if (typeof v !== 'string' || v === '') return dflt;
  return !/^(0|false|no|off)$/i.test(v);
}

function exportOptions(req: Request): ExportOptions & { qa: boolean } {
  const q = req.query as Record<string, unknown>;
  const lang = (name: 'sourceLang' | 'targetLang'): string | undefined => {
    const v = q[name];
    if (v === undefined || v === '') return undefined;
    if (typeof v !== 'string' || !LANG_CODE.test(v)) throw new HttpError(400, `${name} must be a language code such as en or zh-CN`);
    return v;
  };
  const side = q.side;
  if (side !== undefined && side !== 'source' && side !== 'target') throw new HttpError(400, 'side must be source or target');
  const sourceLang = lang('sourceLang');
  const targetLang = lang('targetLang');
  return {
    confirmedOnly: flag(q.confirmedOnly, false),
    includeEmpty: flag(q.empty, true),
    bom: flag(q.bom, false),
    qa: flag(q.qa, true),
    ...(side ? { side } : {}),
    ...(sourceLang ? { sourceLang } : {}),
    ...(targetLang ? { targetLang } : {}),
  };
}

function parseFormat(v: unknown): ExportFormat {
  if (typeof v !== 'string' || !isExportFormat(v)) {
    throw new HttpError(400, `format must be one of ${Object.keys(FORMAT_INFO).join(', ')}`);
  }
  return v;
}

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
async function sendExport(ctx: AppContext, res: Response, ids: string[], format: ExportFormat, opts: ExportOptions & { qa: boolean }, fileName: string, multi: boolean): Promise<void> {
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

async function imported(ctx: AppContext, res: Response, docs: ImportedDocument[], format: 'json' | 'tmx', name: string | undefined): Promise<void> {
  const author = typeof res.locals.reviewer === 'string' && res.locals.reviewer ? (res.locals.reviewer as string) : 'import';
  // Validated completely before anything is stored; each document is stored in one transaction.
  const ids = await storeImported(ctx.store, docs, { format, author, name });
  res.status(201).json({ documents: docs.map(({ document }, k) => ({ id: ids[k]!, name: name ?? document.name, beads: document.beads.length })) });
}

function bodyBytes(req: Request): Uint8Array {
  const b: unknown = req.body;
  if (Buffer.isBuffer(b)) {
    if (b.length === 0) throw new HttpError(400, 'The request body is empty: send the file as the body.');
    return b;
  }
  if (typeof b === 'string' && b !== '') return Buffer.from(b, 'utf8');
  // Already parsed by the app's JSON parser (Content-Type: application/json).
  if (b && typeof b === 'object' && Object.keys(b).length > 0) return Buffer.from(JSON.stringify(b), 'utf8');
  throw new HttpError(400, 'The request body is empty: send the file as the body.');
}

function importFailure(e: unknown): never {
  if (e instanceof ImportError) throw new HttpError(e.reason === 'too-large' ? 413 : 422, e.message);
  throw e;
}

export function createExportRouter(ctx: AppContext): Router {
  const r = express.Router();

  const one = async (req: Request, res: Response, format: ExportFormat): Promise<void> => {
    const opts = exportOptions(req);
    const id = String(req.params.id);
    const doc = await ctx.store.getDocument(id); // NotFoundError → 404 before any header
    const name = downloadName(doc.name, format, opts, { source: doc.source.lang, target: doc.target.lang });
    await sendExport(ctx, res, [id], format, opts, name, false);
  };

  r.get('/documents/:id/export.:format', (req, res) => one(req, res, parseFormat(req.params.format)));
  r.get('/api/documents/:id/export', (req, res) => one(req, res, parseFormat(req.query.format)));

  r.get('/api/export', async (req, res) => {
    const format = parseFormat(req.query.format);
    const opts = exportOptions(req);
    const docs = await ctx.store.listDocuments();
    if (docs.length === 0) throw new HttpError(404, 'There are no documents to export.');
    const name = downloadName('all-documents', format, opts, { source: docs[0]!.sourceLang, target: docs[0]!.targetLang });
    await sendExport(ctx, res, docs.map((d) => d.id), format, opts, name, true);
  });

  const raw = express.raw({ type: () => true, limit: IMPORT_BODY_LIMIT });
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

  r.post('/api/import/tmx', raw, async (req, res) => {
    const q = req.query as Record<string, unknown>;
    const bytes = bodyBytes(req);
    let doc: ImportedDocument;
    try {
      doc = importTmx(bytes, {
        ...(str(q.sourceLang) ? { sourceLang: str(q.sourceLang) } : {}),
        ...(str(q.targetLang) ? { targetLang: str(q.targetLang) } : {}),
        maxBytes: IMPORT_BODY_LIMIT,
      });
    } catch (e) {
      importFailure(e);
    }
    await imported(ctx, res, [doc], 'tmx', str(q.name)?.slice(0, 200));
  });

  r.post('/api/import/json', raw, async (req, res) => {
    const bytes = bodyBytes(req);
    let docs: ImportedDocument[];
    try {
      docs = importJson(bytes, { maxBytes: IMPORT_BODY_LIMIT });
    } catch (e) {
      importFailure(e);
    }
    await imported(ctx, res, docs, 'json', undefined);
  });

  return r;
}

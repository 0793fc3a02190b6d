/**
 * Export and import of reviewed alignments (pure core: no Express, no SQLite).
 *
 *   exportDocument(doc, format, opts, out)       one document to a stream
 *   exportDocuments(items, format, opts, out)    several (sync or async iterable, e.g. from a store)
 *   importTmx(bytes, opts) / importJson(bytes)   → ImportedDocument(s); ImportError on bad input
 *
 * Exports stream through StreamWriter (backpressure honoured) and never build the whole file.
 * Formats and their conventions: README.md here, each module (tmx.ts, xliff.ts, json.ts,
 * delimited.ts) and the CLI's --help. items.ts (store → items with QA findings) is imported
 * separately by the front doors, so this index does not load the QA checks.
 */
import type { Finding, HistoryEntry, ReviewDocument } from '../domain.js';
import { writeBitextSide, writeDelimited } from './delimited.js';
import { ExportOptionsError } from './errors.js';
import { writeJson, writeJsonl } from './json.js';
import type { ExportFormat, ExportItem, ExportOptions } from './export-rows.js';
import { writeTmx } from './tmx.js';
import { StreamWriter } from './writer.js';
import { writeXliff } from './xliff.js';

export { ImportError, ExportOptionsError } from './errors.js';
export { importTmx, type TmxImportOptions } from './tmx.js';
export { importJson } from './json.js';
export type { ImportedDocument } from './build.js';
export { DEFAULT_MAX_IMPORT_BYTES } from './input.js';
export {
  EXPORT_FORMATS,
  isExportFormat,
  type BeadExtras,
  type ExportFormat,
  type ExportItem,
  type ExportOptions,
} from './export-rows.js';
export { StreamWriter } from './writer.js';

/** Content type and file extension per format (HTTP downloads and CLI defaults). */
export const FORMAT_INFO: Record<ExportFormat, { contentType: string; ext: string }> = {
  tmx: { contentType: 'application/x-tmx+xml; charset=utf-8', ext: 'tmx' },
  xliff: { contentType: 'application/xliff+xml; charset=utf-8', ext: 'xlf' },
  json: { contentType: 'application/json; charset=utf-8', ext: 'json' },
  jsonl: { contentType: 'application/x-ndjson; charset=utf-8', ext: 'jsonl' },
  tsv: { contentType: 'text/tab-separated-values; charset=utf-8', ext: 'tsv' },
  csv: { contentType: 'text/csv; charset=utf-8', ext: 'csv' },
  bitext: { contentType: 'text/plain; charset=utf-8', ext: 'txt' },
};

async function* toAsync<T>(it: Iterable<T> | AsyncIterable<T>): AsyncGenerator<T> {
  yield* it;
}

/**
 * Writes `items` in `format` to `out` (which is not ended: the caller owns it). With more than one
 * item (or `opts`-independent `multi`), ids are prefixed with the document id so they stay unique.
 */
export async function exportDocuments(
  items: Iterable<ExportItem> | AsyncIterable<ExportItem>,
  format: ExportFormat,
  opts: ExportOptions,
  out: NodeJS.WritableStream,
  multi = true,
): Promise<void> {
  // Peek at the first item: the header's languages come from it (unless given in opts).
  const it = toAsync(items)[Symbol.asyncIterator]();
  const head = await it.next();
  const first: ExportItem | null = head.done ? null : head.value;
  const rest: AsyncIterable<ExportItem> = {
    async *[Symbol.asyncIterator]() {
      if (first) yield first;
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    },
  };
  const w = new StreamWriter(out);
  switch (format) {
    case 'tmx':
      await writeTmx(rest, first, opts, w, multi);
      break;
    case 'xliff':
      await writeXliff(rest, first, opts, w, multi);
      break;
    case 'json':
      if (!first && !multi) throw new ExportOptionsError('nothing to export');
      await writeJson(rest, opts, w, multi);
      break;
    case 'jsonl':
      await writeJsonl(rest, opts, w, multi);
      break;
    case 'tsv':
    case 'csv':
      await writeDelimited(format, rest, first, opts, w, multi);
      break;
    case 'bitext':
      await writeBitextSide(rest, opts, w, multi);
      break;
    default:
      throw new ExportOptionsError(`unknown export format "${String(format)}"`);
  }
  await w.close();
}

/** Writes one document; `opts` may carry its history and QA findings. */
export async function exportDocument(
  doc: ReviewDocument,
  format: ExportFormat,
  opts: ExportOptions & { history?: readonly HistoryEntry[]; findings?: readonly Finding[]; extras?: ExportItem['extras']; scorecard?: ExportItem['scorecard'] },
  out: NodeJS.WritableStream,
): Promise<void> {
  const item: ExportItem = { doc, history: opts.history, findings: opts.findings, extras: opts.extras, ...(opts.scorecard ? { scorecard: opts.scorecard } : {}) };
  await exportDocuments([item], format, opts, out, false);
}

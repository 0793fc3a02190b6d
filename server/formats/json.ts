/**
 * The project's own JSON export (schemas/alignment.schema.json) and its reader, plus JSONL pairs.
 *
 * The JSON holds everything a ReviewDocument has (both sides with text, paragraphs and sentences,
 * beads, issues, versions) and the full history, so importJson restores a document exactly. The
 * bead list honours the export filters; sides, issues and history are always complete. Written
 * piece by piece (one bead, sentence or history entry at a time).
 */
import type { Finding, HistoryEntry, ReviewBead, ReviewDocument } from '../domain.js';
import type { ImportedDocument } from './build.js';
import { ImportError } from './errors.js';
import { decodeImport } from './input.js';
import { wellFormedValue } from '../text/normalize.js';
import { checkInvariants } from '../review/index.js';
import { alignmentSchema, validateJson } from './json-schema.js';
import { beadRows, exportLangs, TOOL_NAME, TOOL_VERSION, type ExportItem, type ExportOptions } from './export-rows.js';
import type { StreamWriter } from './writer.js';

export const JSON_FORMAT = 'bitext-review/alignment';
export const JSON_COLLECTION_FORMAT = 'bitext-review/alignment-collection';
export const JSON_FORMAT_VERSION = 1;

const json = (v: unknown): string => JSON.stringify(v);

async function writeArray<T>(w: StreamWriter, key: string, list: Iterable<T>, indent: string, map: (x: T) => unknown, last = false): Promise<void> {
  await w.write(`${indent}${json(key)}: [`);
  let first = true;
  for (const x of list) {
    await w.write(`${first ? '' : ','}\n${indent}  ${json(map(x))}`);
    first = false;
  }
  await w.write(`${first ? '' : `\n${indent}`}]${last ? '' : ','}\n`);
}

async function writeSide(w: StreamWriter, key: 'source' | 'target', side: ReviewDocument['source'] | ReviewDocument['target'], ind: string): Promise<void> {
  await w.write(`${ind}${json(key)}: {\n${ind}  "lang": ${json(side.lang)},\n${ind}  "text": ${json(side.text)},\n`);
  await writeArray(w, 'paragraphs', side.paragraphs, `${ind}  `, (p) => p);
  await writeArray(w, 'sentences', side.sentences as Iterable<object>, `${ind}  `, (s) => s, true);
  await w.write(`${ind}},\n`);
}

export function historySummary(history: readonly HistoryEntry[]): {
  entries: number;
  firstAt: string | null;
  lastAt: string | null;
  authors: string[];
  byKind: Record<string, number>;
} {
  const authors = new Set<string>();
  const byKind: Record<string, number> = {};
  let firstAt: string | null = null;
  let lastAt: string | null = null;
  for (const h of history) {
    authors.add(h.author);
    byKind[h.op.kind] = (byKind[h.op.kind] ?? 0) + 1;
    if (firstAt === null || h.at < firstAt) firstAt = h.at;
    if (lastAt === null || h.at > lastAt) lastAt = h.at;
  }
  return { entries: history.length, firstAt, lastAt, authors: [...authors].sort(), byKind };
}

/** Writes one document object (without the outer format fields) at indentation `ind`. */
async function writeDocumentBody(w: StreamWriter, item: ExportItem, opts: ExportOptions, ind: string): Promise<void> {
  const { doc } = item;
  const meta = { id: doc.id, name: doc.name, model: doc.model, revision: doc.revision, createdAt: doc.createdAt, updatedAt: doc.updatedAt };
  await w.write(`${ind}"document": ${json(meta)},\n`);
  await writeSide(w, 'source', doc.source, ind);
  await writeSide(w, 'target', doc.target, ind);
  await writeArray(w, 'paragraphPairs', doc.paragraphPairs, ind, (p) => p);
  await writeArray(w, 'beads', beadRows(item, opts, false), ind, (r) => ({
    id: r.bead.id,
    index: r.index,
    source: r.bead.source,
    target: r.bead.target,
    sourceText: r.sourceText,
    targetText: r.targetText,
    originalTargetText: r.originalTarget,
    corrected: r.corrected,
    confidence: r.bead.confidence,
    status: r.bead.status,
    origin: r.bead.origin,
    paragraph: r.paragraph,
    issueIds: r.issues.map((i) => i.id),
    createdAt: r.createdAt,
    changedAt: r.changedAt,
    changedBy: r.changer,
    // Only when the bead has foreign TMX props/notes, so other exports are unchanged.
    ...(r.extras ? { meta: r.extras } : {}),
  }));
  await writeArray(w, 'issues', doc.issues, ind, (i) => i);
  await writeArray(w, 'findings', item.findings ?? [], ind, (f) => f);
  if (item.scorecard) await w.write(`${ind}"scorecard": ${json(item.scorecard)},\n`);
  await writeArray(w, 'versions', doc.versions, ind, (v) => v);
  const history = item.history ?? [];
  await w.write(`${ind}"history": {\n${ind}  "summary": ${json(historySummary(history))},\n`);
  // Entries without the before/after snapshots the store keeps for undo (large, internal).
  await writeArray(w, 'entries', history, `${ind}  `, (h) => {
    const { seq, documentId, revision, author, at, op, beadIds, undone } = h;
    return undone === undefined ? { seq, documentId, revision, author, at, op, beadIds } : { seq, documentId, revision, author, at, op, beadIds, undone };
  }, true);
  await w.write(`${ind}}\n`);
}

function header(opts: ExportOptions, format: string, ind: string): string {
  return (
    `${ind}"format": ${json(format)},\n${ind}"formatVersion": ${JSON_FORMAT_VERSION},\n` +
    `${ind}"tool": ${json({ name: TOOL_NAME, version: TOOL_VERSION })},\n` +
    `${ind}"exportedAt": ${json((opts.now ?? new Date()).toISOString())},\n` +
    `${ind}"filters": ${json({ confirmedOnly: !!opts.confirmedOnly, includeEmpty: opts.includeEmpty !== false })},\n`
  );
}

/** One document → one JSON object; several → a collection object with a "documents" array. */
export async function writeJson(items: AsyncIterable<ExportItem>, opts: ExportOptions, w: StreamWriter, multi: boolean): Promise<void> {
  if (!multi) {
    for await (const item of items) {
      await w.write(`{\n${header(opts, JSON_FORMAT, '  ')}`);
      await writeDocumentBody(w, item, opts, '  ');
      await w.write('}\n');
      return;
    }
    throw new Error('writeJson: no document');
  }
  await w.write(`{\n${header(opts, JSON_COLLECTION_FORMAT, '  ')}  "documents": [`);
  let first = true;
  for await (const item of items) {
    await w.write(`${first ? '' : ','}\n    {\n`);
    await writeDocumentBody(w, item, opts, '      ');
    await w.write('    }');
    first = false;
  }
  await w.write(`${first ? '' : '\n  '}]\n}\n`);
}

/**
 * One JSONL record. JSON.stringify leaves U+0085, U+2028 and U+2029 as they are, and readers that split
 * lines like Python's str.splitlines() would cut the record there: they are written as \u escapes.
 */
function jsonLine(v: unknown): string {
  return json(v).replace(/[\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** JSONL, the Hugging Face translation convention: {"id": …, "translation": {"en": …, "zh": …}}. */
export async function writeJsonl(items: AsyncIterable<ExportItem>, opts: ExportOptions, w: StreamWriter, multi: boolean): Promise<void> {
  for await (const item of items) {
    const { source: sl, target: tl } = exportLangs(opts, item.doc, false);
    for (const r of beadRows(item, opts, multi)) {
      await w.write(`${jsonLine({ id: r.uid, translation: { [sl]: r.sourceText, [tl]: r.targetText } })}\n`);
    }
  }
}

// ───────────────────────────── reader ─────────────────────────────

interface JsonDocumentBody {
  document: Pick<ReviewDocument, 'id' | 'name' | 'model' | 'revision' | 'createdAt' | 'updatedAt'>;
  source: ReviewDocument['source'];
  target: ReviewDocument['target'];
  paragraphPairs: ReviewDocument['paragraphPairs'];
  beads: Array<Pick<ReviewBead, 'id' | 'source' | 'target' | 'confidence' | 'status' | 'origin' | 'meta'>>;
  issues: ReviewDocument['issues'];
  versions: ReviewDocument['versions'];
  findings: Finding[];
  history: { entries: HistoryEntry[] };
}

/** Checks what the schema cannot: sentence indices in range, each sentence in at most one bead, unique ids. */
function checkConsistency(body: JsonDocumentBody, where: string): void {
  const refuse = (msg: string): never => {
    throw new ImportError(`${`JSON file ${where}`.trim()}: ${msg}`, 'content');
  };
  const ids = new Set<string>();
  const used = { source: new Set<number>(), target: new Set<number>() };
  for (const b of body.beads) {
    if (ids.has(b.id)) refuse(`duplicate bead id "${b.id}"`);
    ids.add(b.id);
    for (const side of ['source', 'target'] as const) {
      for (const s of b[side]) {
        if (s >= body[side].sentences.length) refuse(`bead "${b.id}" refers to ${side} sentence ${s}, which does not exist`);
        if (used[side].has(s)) refuse(`${side} sentence ${s} is in two beads`);
        used[side].add(s);
      }
    }
  }
  for (const side of ['source', 'target'] as const) {
    for (const s of body[side].sentences) {
      if (s.start > s.end || s.end > body[side].text.length) refuse(`${side} sentence ${s.index} has offsets outside the text`);
    }
  }
}

function restore(body: JsonDocumentBody, where: string, filters: { confirmedOnly: boolean; includeEmpty: boolean }): ImportedDocument {
  if (filters.confirmedOnly || !filters.includeEmpty) {
    throw new ImportError(
      `${`JSON file ${where}`.trim()} was exported with filters (${filters.confirmedOnly ? 'confirmed only' : 'without 1-0/0-1 beads'}): only a complete export can be imported`,
      'content',
    );
  }
  checkConsistency(body, where);
  const document: ReviewDocument = {
    ...body.document,
    source: body.source,
    target: body.target,
    paragraphPairs: body.paragraphPairs,
    beads: body.beads.map((b) => ({
      id: b.id, source: b.source, target: b.target, confidence: b.confidence, status: b.status, origin: b.origin,
      ...(b.meta ? { meta: b.meta } : {}),
    })),
    issues: body.issues,
    versions: body.versions,
  };
  try {
    checkInvariants(document);
  } catch (e) {
    throw new ImportError(`${`JSON file ${where}`.trim()} is not a consistent alignment: ${e instanceof Error ? e.message : String(e)}`, 'content');
  }
  return { document, history: body.history.entries, extras: new Map(), findings: body.findings };
}

const MAX_JSON_DEPTH = 64;

/** Depth of nested arrays/objects (iterative; stops counting past `limit`). */
function nestingDepth(root: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max > limit) return max;
    for (const c of Array.isArray(v) ? v : Object.values(v as object)) if (c !== null && typeof c === 'object') stack.push([c, d + 1]);
  }
  return max;
}

/**
 * Reads the project's JSON export (one document or a collection) back into documents with their
 * history. Validated against the schema first; refused with an ImportError when anything is off.
 */
export function importJson(input: string | Uint8Array, opts: { maxBytes?: number } = {}): ImportedDocument[] {
  const text = decodeImport(input, { what: 'JSON file', maxBytes: opts.maxBytes });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ImportError(`JSON file is not valid JSON: ${(e as Error).message}`, 'malformed');
  }
  // The export nests a handful of levels; a deeply nested value (in the free-form `op` objects) would
  // pass the schema and then overflow the stack when stored or exported again.
  if (nestingDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new ImportError(`JSON file nests values deeper than ${MAX_JSON_DEPTH} levels: not an export of this tool`, 'content');
  }
  // Lone surrogates (JSON allows "\ud800") become U+FFFD, one unit for one, so offsets still hold.
  value = wellFormedValue(value);
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== JSON_FORMAT && format !== JSON_COLLECTION_FORMAT) {
    throw new ImportError(`not a ${TOOL_NAME} export: "format" must be "${JSON_FORMAT}" or "${JSON_COLLECTION_FORMAT}"`, 'content');
  }
  const version = (value as { formatVersion?: unknown }).formatVersion;
  if (version !== JSON_FORMAT_VERSION) {
    throw new ImportError(`unsupported formatVersion ${JSON.stringify(version)}: this version reads ${JSON_FORMAT_VERSION}`, 'version');
  }
  // Validate against the alternative the format names, for precise messages (not "0 of oneOf").
  const schema = alignmentSchema();
  const which = format === JSON_FORMAT ? 'alignment' : 'collection';
  const problems = validateJson({ $ref: `#/$defs/${which}` }, value, schema);
  if (problems.length) {
    throw new ImportError(`JSON file does not match the export schema: ${problems.slice(0, 5).join('; ')}`, 'content');
  }
  const filters = (value as { filters: { confirmedOnly: boolean; includeEmpty: boolean } }).filters;
  if (format === JSON_FORMAT) return [restore(value as JsonDocumentBody, '', filters)];
  return (value as { documents: JsonDocumentBody[] }).documents.map((d, i) => restore(d, `(document ${i + 1}) `, filters));
}

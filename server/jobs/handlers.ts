/**
 * The work of each job kind. A handler runs in a worker (its own thread, or another process), with
 * its own store connection; it finishes its job in the same transaction as its work (JobLink) or
 * stores its file with the job, so nothing half done is ever visible.
 */
import { Writable } from 'node:stream';
import { exportDocuments, FORMAT_INFO, importJson, importTmx, type ImportedDocument } from '../formats/index.js';
import { itemsFromStore } from '../formats/items.js';
import { alignImport, alignTranslations, alignVersion, ImportError, learnedFor, realignDocument } from '../import/index.js';
import { checkDocument, defaultQaConfig, glossaryOfStored, qaContentKey } from '../qa/index.js';
import { setTmx } from '../formats/multi-tmx.js';
import { alignTranslationSet, setName } from '../review/index.js';
import type { JobResult } from '../domain.js';
import type { DocumentToStore } from '../store/store.js';
import type { JobContext, JobHandler, JobInputs, JobKind } from './types.js';

/** Maps the aligner's stages onto [from, to] of the job's progress. */
function alignProgress(ctx: JobContext, from: number, to: number): (stage: string, done: number, total: number) => void {
  return (stage, done, total) => {
    const f = total > 0 ? done / total : 0;
    ctx.progress(from + (to - from) * f, stage === 'prepare' ? 'preparing the model' : `aligning (${stage}): ${done} of ${total} segments`);
  };
}

const importTexts: JobHandler<'import-texts'> = async (input, ctx) => {
  ctx.progress(0.02, 'splitting sentences');
  // The learnt table of this job's own store connection, in the scope LEARN_SCOPE says.
  const project = input.project ?? '';
  const learned = learnedFor(ctx.store, { a: input.sourceLang, b: input.targetLang }, project);
  const doc = await alignImport({ ...input, project }, { onProgress: alignProgress(ctx, 0.05, 0.9), learned });
  ctx.signal.throwIfAborted();
  ctx.progress(0.92, `storing ${doc.beads.length.toLocaleString('en')} rows`);
  await ctx.store.createDocument(doc, { author: ctx.owner, corpusKey: input.corpusKey, project, job: ctx.id });
};

const importTranslations: JobHandler<'import-translations'> = async (input, ctx) => {
  ctx.progress(0.02, 'splitting sentences');
  const docs = await alignTranslations(input, {
    // The learnt table of this job's own store connection, for the pairs it has one for (as import-texts).
    learned: (langs) => learnedFor(ctx.store, langs, input.imports[0]?.project ?? ''),
    onProgress: (done, total, lang) => {
      ctx.signal.throwIfAborted();
      ctx.progress(0.05 + (0.85 * done) / total, `aligning the ${lang} translation (${done + 1} of ${total})`);
    },
  });
  ctx.signal.throwIfAborted();
  ctx.progress(0.92, `storing ${docs.length} translations`);
  const items: DocumentToStore[] = docs.map(({ id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...doc }) => ({ kind: 'new', doc }));
  await ctx.store.storeDocuments(items, { author: ctx.owner, job: ctx.id, translationSet: true });
};

const importFile: JobHandler<'import-file'> = async (input, ctx) => {
  ctx.progress(0.05, `reading the ${input.format.toUpperCase()} file`);
  const bytes = new Uint8Array(Buffer.from(input.base64, 'base64'));
  let docs: ImportedDocument[];
  if (input.format === 'tmx') {
    docs = [importTmx(bytes, { ...(input.sourceLang ? { sourceLang: input.sourceLang } : {}), ...(input.targetLang ? { targetLang: input.targetLang } : {}) })];
  } else docs = importJson(bytes);
  ctx.signal.throwIfAborted();
  ctx.progress(0.8, `storing ${docs.length === 1 ? 'the document' : `${docs.length} documents`}`);
  const items: DocumentToStore[] = docs.map(({ document, history }) => {
    const doc = input.name ? { ...document, name: input.name } : document;
    if (input.format === 'json') return { kind: 'restore', doc, history };
    const { id: _id, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
    return { kind: 'new', doc: rest };
  });
  await ctx.store.storeDocuments(items, { author: ctx.owner, job: ctx.id });
};

const importVersion: JobHandler<'import-version'> = async (input, ctx) => {
  const doc = await ctx.store.getDocument(input.docId);
  ctx.progress(0.05, 'aligning the version with the source');
  const version = await alignVersion(doc, { name: input.name, text: input.text, ...(input.lang ? { lang: input.lang } : {}), ...(input.model ? { model: input.model } : {}) });
  ctx.signal.throwIfAborted();
  ctx.progress(0.9, 'storing the version');
  await ctx.store.addVersion(input.docId, version, { author: ctx.owner, job: ctx.id });
};

const realign: JobHandler<'realign'> = async (input, ctx) => {
  ctx.progress(0.05, input.from ? 're-aligning from the row to the next fixed one' : 're-aligning the rows nobody decided on');
  await realignDocument(ctx.store, input.docId, {
    author: ctx.owner,
    job: ctx.id,
    ...(input.baseRevision !== undefined ? { baseRevision: input.baseRevision } : {}),
    ...(input.model ? { model: input.model } : {}),
    ...(input.from ? { from: input.from } : {}),
  });
};

/** Collects what an export writes (a Writable for exportDocuments) into chunks kept in memory. */
function memorySink(): { out: NodeJS.WritableStream; chunks: Buffer[]; bytes: () => number } {
  const chunks: Buffer[] = [];
  const out = new Writable({
    write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      done();
    },
  });
  return { out, chunks, bytes: () => chunks.reduce((n, c) => n + c.length, 0) };
}

const exportFile: JobHandler<'export'> = async (input, ctx) => {
  ctx.progress(0.05, `writing ${input.format.toUpperCase()}`);
  const sink = memorySink();
  let done = 0;
  const store = ctx.store;
  const documents: NonNullable<JobResult['documents']> = [];
  async function* items() {
    for await (const item of itemsFromStore(store, input.docIds, { qa: input.options.qa })) {
      ctx.signal.throwIfAborted();
      yield item;
      documents.push({ id: item.doc.id, name: item.doc.name, beads: item.doc.beads.length, revision: item.doc.revision });
      done++;
      ctx.progress(0.05 + (0.85 * done) / input.docIds.length, `written ${done} of ${input.docIds.length} documents`);
    }
  }
  await exportDocuments(items(), input.format, input.options, sink.out, input.multi);
  const bytes = sink.bytes();
  const contentType = FORMAT_INFO[input.format].contentType;
  await ctx.store.finishJob(ctx.id, {
    state: 'done',
    result: { documents, file: { name: input.fileName, contentType, bytes }, summary: `${input.fileName}, ${(bytes / 1024).toFixed(0)} kB` },
    file: sink.chunks,
  });
};

const setExport: JobHandler<'set-export'> = async (input, ctx) => {
  const set = await ctx.store.translationSet(input.setId);
  const docs = [];
  for (const [k, id] of set.documents.entries()) {
    ctx.signal.throwIfAborted();
    docs.push(await ctx.store.getDocument(id));
    ctx.progress(0.05 + (0.5 * (k + 1)) / set.documents.length, `read ${k + 1} of ${set.documents.length} translations`);
  }
  ctx.progress(0.6, 'writing the multilingual TMX');
  const bytes = Buffer.from(setTmx(alignTranslationSet(docs), { name: setName(docs), ...(input.only ? { only: input.only } : {}) }), 'utf8');
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += 1 << 20) chunks.push(bytes.subarray(at, at + (1 << 20)));
  await ctx.store.finishJob(ctx.id, {
    state: 'done',
    result: {
      documents: docs.map((d) => ({ id: d.id, name: d.name, beads: d.beads.length, revision: d.revision })),
      translationSet: input.setId,
      file: { name: input.fileName, contentType: 'application/x-tmx+xml; charset=utf-8', bytes: bytes.length },
      summary: `${input.fileName}, ${(bytes.length / 1024).toFixed(0)} kB`,
    },
    file: chunks,
  });
};

const qaReport: JobHandler<'qa-report'> = async (input, ctx) => {
  const doc = await ctx.store.getDocument(input.docId);
  if (qaContentKey(doc) !== input.contentKey) throw new ImportError('the document changed since the report was asked for: open the QA report again', 'content');
  const glossary = await ctx.store.documentGlossary(input.docId);
  ctx.progress(0.1, `running the QA checks on ${doc.beads.length.toLocaleString('en')} rows`);
  const config = defaultQaConfig();
  // The document's glossary in the store; a store that has none (never started as a server) uses the config's file.
  // checkDocument runs the checks in the document's languages, as the web thread does for a small
  // document; the report's view (grouped, most serious first) is made from these by the web side.
  const { findings } = checkDocument(doc, glossary ? { ...config, glossary: glossaryOfStored(glossary) } : config);
  ctx.signal.throwIfAborted();
  const body = Buffer.from(JSON.stringify({ revision: doc.revision, glossary: glossary ? { id: glossary.id, revision: glossary.revision } : null, findings }), 'utf8');
  await ctx.store.finishJob(ctx.id, {
    state: 'done',
    result: {
      documents: [{ id: doc.id, name: doc.name, beads: doc.beads.length, revision: doc.revision }],
      file: { name: `${doc.id}-qa.json`, contentType: 'application/json', bytes: body.length },
      summary: `${findings.length.toLocaleString('en')} findings`,
    },
    file: [body],
  });
};

export const HANDLERS: { [K in JobKind]: JobHandler<K> } = {
  'import-texts': importTexts,
  'import-translations': importTranslations,
  'import-file': importFile,
  'import-version': importVersion,
  realign,
  export: exportFile,
  'set-export': setExport,
  'qa-report': qaReport,
};

/** Runs one job's handler (typed by its kind). */
export function runHandler<K extends JobKind>(kind: K, input: JobInputs[K], ctx: JobContext): Promise<void> {
  return (HANDLERS[kind] as JobHandler<K>)(input, ctx);
}

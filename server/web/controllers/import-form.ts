/**
 * The import forms (document, further target version, TMX/JSON file): read the fields and uploaded
 * files, decode ("auto": UTF-8, UTF-16 with a BOM, GB18030 when it reads as Chinese; or the encoding
 * chosen), validate, then submit the work as a job (aligning runs off the web thread). Errors come
 * back as messages for the form, with the entered values kept; nothing is stored on error. Used by
 * routes/import.ts and routes/versions.ts.
 *
 * Upload: the forms are multipart/form-data (parsed by security.ts on import routes), so a file can be
 * chosen without JavaScript. Pasted text is already Unicode: the encoding select applies to files only.
 */
import type { Request } from 'express';
import type { JobRecord } from '../../domain.js';
import { CHOOSABLE_ENCODINGS, decodeBytes, TextInputError } from '../../text/index.js';
import type { AppContext } from '../context.js';
import { IMPORT_BODY_LIMIT, type UploadedFile } from '../security.js';
import * as pipeline from '../../import/index.js';

/** Characters per side (the pipeline's limit); larger texts are refused with a clear message. */
export const IMPORT_TEXT_LIMIT = pipeline.MAX_TEXT_CHARS;

const ENCODING_LABELS: Record<(typeof CHOOSABLE_ENCODINGS)[number], string> = {
  'utf-8': 'UTF-8',
  gb18030: 'GB18030 / GBK (Chinese)',
  big5: 'Big5 (Chinese, traditional)',
  shift_jis: 'Shift-JIS (Japanese)',
  'euc-kr': 'EUC-KR (Korean)',
  'windows-1252': 'Windows-1252 / Latin-1 (Western)',
  'utf-16le': 'UTF-16 LE (no byte order mark)',
  'utf-16be': 'UTF-16 BE (no byte order mark)',
};

export const ENCODINGS: readonly { value: string; label: string }[] = [
  { value: 'auto', label: 'detect (UTF-8, UTF-16 with BOM, GB18030 for Chinese)' },
  ...CHOOSABLE_ENCODINGS.map((value) => ({ value, label: ENCODING_LABELS[value] })),
];

/** The aligner's models (any pair: auto picks the best available; generic needs no dictionary). */
export const MODELS: readonly string[] = ['auto', 'lexical', 'generic', 'length', 'neural'];

export interface ImportFormValues {
  name: string;
  targetLang: string;
  sourceLang: string;
  targetText: string;
  sourceText: string;
  targetEncoding: string;
  sourceEncoding: string;
  model: string;
  /** Project or client ('' = none): a scope of the learnt table. */
  project: string;
}

export type ImportFormResult = { ok: true; job: JobRecord } | { ok: false; errors: string[]; values: ImportFormValues };
export type VersionFormResult = { ok: true; job: JobRecord } | { ok: false; errors: string[]; values: Record<string, string> };

const { LANG_RE } = pipeline;

function field(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  return typeof v === 'string' ? v : '';
}

function filesOf(req: Request): UploadedFile[] {
  const f = (req as Request & { files?: UploadedFile[] }).files;
  return Array.isArray(f) ? f : [];
}

/** Decodes an uploaded file: the chosen encoding, else "auto" (a refusal lists the encodings to choose from). */
export function decodeUpload(file: UploadedFile, encoding: string): string {
  return decodeBytes(file.data, { name: file.filename || file.field, encoding: encoding || 'auto' });
}

/** Text of one side: the uploaded file when there is one, else the pasted text. */
function sideText(req: Request, body: Record<string, unknown>, key: string, label: string, errors: string[]): string {
  const file = filesOf(req).find((f) => f.field === `${key}File` && f.data.length > 0);
  const encoding = field(body, `${key}Encoding`) || 'auto';
  if (!ENCODINGS.some((e) => e.value === encoding)) {
    errors.push(`${label}: unknown encoding “${encoding}”.`);
    return field(body, `${key}Text`);
  }
  if (file) {
    try {
      return decodeUpload(file, encoding);
    } catch (e) {
      errors.push(e instanceof TextInputError ? `${label}: ${e.message}` : `${label}: the file could not be read.`);
      return field(body, `${key}Text`);
    }
  }
  return field(body, `${key}Text`).replace(/\r\n?/g, '\n');
}

function checkText(text: string, label: string, errors: string[]): void {
  if (!text.trim()) errors.push(`${label}: no text (paste it or choose a file).`);
  else if (text.length > IMPORT_TEXT_LIMIT) {
    errors.push(`${label}: the text is too long (${text.length.toLocaleString('en')} characters; the limit is ${IMPORT_TEXT_LIMIT.toLocaleString('en')}).`);
  }
}

export function readImportForm(req: Request): { values: ImportFormValues; errors: string[] } {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const errors: string[] = [];
  const values: ImportFormValues = {
    name: field(body, 'name').trim(),
    targetLang: field(body, 'targetLang').trim() || 'auto',
    sourceLang: field(body, 'sourceLang').trim() || 'auto',
    targetText: '',
    sourceText: '',
    targetEncoding: field(body, 'targetEncoding') || 'auto',
    sourceEncoding: field(body, 'sourceEncoding') || 'auto',
    model: field(body, 'model') || 'auto',
    project: field(body, 'project').trim(),
  };
  values.targetText = sideText(req, body, 'target', 'Translation', errors);
  values.sourceText = sideText(req, body, 'source', 'Original', errors);
  if (!values.name) {
    const file = filesOf(req).find((f) => f.filename);
    if (file) values.name = file.filename.replace(/\.[^.]*$/, '');
  }
  if (!values.name) errors.push('Name: please give the document a name.');
  else if (values.name.length > 200) errors.push('Name: at most 200 characters.');
  for (const [k, label] of [
    ['targetLang', 'Translation language'],
    ['sourceLang', 'Original language'],
  ] as const) {
    if (values[k].toLowerCase() !== 'auto' && !LANG_RE.test(values[k])) errors.push(`${label}: “${values[k]}” is not a language code (e.g. zh, en, zh-CN) or auto.`);
  }
  if (!MODELS.includes(values.model)) errors.push(`Model: unknown model “${values.model}”.`);
  if (values.project.length > pipeline.MAX_PROJECT_CHARS) errors.push(`Project: at most ${pipeline.MAX_PROJECT_CHARS} characters.`);
  checkText(values.targetText, 'Translation', errors);
  checkText(values.sourceText, 'Original', errors);
  return { values, errors };
}

/** A user's mistake found by the pipeline (bad text, unknown model …) as a form message, else rethrow. */
function userError(e: unknown): string | null {
  if (e instanceof TextInputError) return e.message;
  if (e instanceof Error && (e.name === 'ImportError' || e.name === 'ModelNotInstalledError' || e.name === 'InvalidOperationError' || e.name === 'HttpError')) {
    return e.message;
  }
  return null;
}

export async function importDocumentFromForm(ctx: AppContext, req: Request, author: string): Promise<ImportFormResult> {
  const { values, errors } = readImportForm(req);
  if (errors.length) return { ok: false, errors, values };
  try {
    const checked = pipeline.checkImport({
      name: values.name,
      source: values.sourceText,
      target: values.targetText,
      sourceLang: values.sourceLang,
      targetLang: values.targetLang,
      model: values.model,
      project: values.project,
    });
    const job = await ctx.jobs.submit('import-texts', { ...checked, corpusKey: null }, { owner: author, label: `Import of “${checked.name}”` });
    return { ok: true, job };
  } catch (e) {
    const msg = userError(e);
    if (msg === null) throw e;
    return { ok: false, errors: [msg], values };
  }
}

export async function importVersionFromForm(ctx: AppContext, docId: string, req: Request, author: string): Promise<VersionFormResult> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const errors: string[] = [];
  const values: { name: string; lang: string; encoding: string; text: string } = {
    name: field(body, 'name').trim(),
    lang: field(body, 'lang').trim() || 'zh',
    encoding: field(body, 'encoding') || 'auto',
    text: '',
  };
  const file = filesOf(req).find((f) => f.field === 'file' && f.data.length > 0);
  if (file) {
    try {
      values.text = decodeUpload(file, values.encoding);
    } catch (e) {
      errors.push(e instanceof TextInputError ? e.message : 'The file could not be read.');
    }
  } else values.text = field(body, 'text').replace(/\r\n?/g, '\n');
  if (!values.name) errors.push('Name: please name the version (e.g. “official translation”).');
  if (!LANG_RE.test(values.lang)) errors.push(`Language: “${values.lang}” is not a language code.`);
  checkText(values.text, 'Text', errors);
  if (errors.length) return { ok: false, errors, values };
  try {
    const doc = await ctx.store.getDocument(docId);
    const name = pipeline.checkName(values.name, 'version');
    const lang = pipeline.checkLang(values.lang, 'version language');
    const job = await ctx.jobs.submit('import-version', { docId, name, text: values.text, lang }, { owner: author, label: `Version “${name}” of “${doc.name}”` });
    return { ok: true, job };
  } catch (e) {
    const msg = userError(e);
    if (msg === null) throw e;
    return { ok: false, errors: [msg], values };
  }
}

/** The file import form (TMX 1.4, or this tool's JSON export): what it asks for, kept on a refusal. */
export interface FileImportValues {
  name: string;
  sourceLang: string;
  targetLang: string;
}

export type FileImportResult = { ok: true; job: JobRecord } | { ok: false; errors: string[]; values: FileImportValues };

/** Reads the TMX/JSON form and submits the import as a job (the file is read in the worker). */
export async function importFileFromForm(ctx: AppContext, req: Request, author: string): Promise<FileImportResult> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const values: FileImportValues = { name: field(body, 'name').trim(), sourceLang: field(body, 'sourceLang').trim(), targetLang: field(body, 'targetLang').trim() };
  const errors: string[] = [];
  const file = filesOf(req).find((f) => f.field === 'file' && f.data.length > 0);
  const format = file ? fileFormat(file) : null;
  if (!file) errors.push('File: choose a TMX file or a JSON export of this tool.');
  else if (!format) errors.push(`File: “${file.filename}” is neither TMX (XML) nor JSON.`);
  else if (file.data.length > IMPORT_BODY_LIMIT) errors.push('File: too large.');
  for (const [k, label] of [
    ['sourceLang', 'Source language'],
    ['targetLang', 'Target language'],
  ] as const) {
    if (values[k] && !LANG_RE.test(values[k])) errors.push(`${label}: “${values[k]}” is not a language code (e.g. en, zh-CN).`);
  }
  if (values.name.length > 200) errors.push('Name: at most 200 characters.');
  if (errors.length || !file || !format) return { ok: false, errors, values };
  const job = await ctx.jobs.submit(
    'import-file',
    {
      format,
      base64: file.data.toString('base64'),
      ...(values.sourceLang ? { sourceLang: values.sourceLang } : {}),
      ...(values.targetLang ? { targetLang: values.targetLang } : {}),
      ...(values.name ? { name: values.name.toWellFormed() } : {}),
    },
    { owner: author, label: `Import of ${file.filename || format.toUpperCase()}` },
  );
  return { ok: true, job };
}

/** TMX when the file starts as XML, JSON when it starts with { or [ (after a BOM and spaces). */
export function fileFormat(file: Pick<UploadedFile, 'data'>): 'tmx' | 'json' | null {
  const head = file.data.subarray(0, 64).toString('utf8').replace(/^\uFEFF/, '').trimStart();
  if (head.startsWith('<')) return 'tmx';
  if (head.startsWith('{') || head.startsWith('[')) return 'json';
  // UTF-16 with a BOM: the reader decodes it; sniff the first character after the BOM.
  const [a, b, c, d] = [file.data[0], file.data[1], file.data[2], file.data[3]];
  if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
    const ch = a === 0xff ? c : d;
    return ch === 0x3c ? 'tmx' : ch === 0x7b || ch === 0x5b ? 'json' : null;
  }
  return null;
}

/** Translation slots on the import page's "several translations" form (the API takes up to MAX_TRANSLATIONS). */
export const TRANSLATION_SLOTS = 4;

export interface TranslationsFormValues {
  name: string;
  sourceLang: string;
  sourceText: string;
  sourceEncoding: string;
  model: string;
  translations: { lang: string; text: string; encoding: string }[];
}

export type TranslationsFormResult = { ok: true; job: JobRecord } | { ok: false; errors: string[]; values: TranslationsFormValues };

export function emptyTranslationsForm(): TranslationsFormValues {
  return { name: '', sourceLang: 'en', sourceText: '', sourceEncoding: 'auto', model: 'auto', translations: Array.from({ length: TRANSLATION_SLOTS }, () => ({ lang: '', text: '', encoding: 'auto' })) };
}

/**
 * The "several translations of one original" form: the original (`source…` fields) and slots
 * `t1…t4` (`t1Lang`, `t1Text` or `t1File`, `t1Encoding`); a slot with neither language nor text is
 * left out. Submits one job that aligns each translation and stores them as a set.
 */
export async function importTranslationsFromForm(ctx: AppContext, req: Request, author: string): Promise<TranslationsFormResult> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const errors: string[] = [];
  const values: TranslationsFormValues = {
    name: field(body, 'name').trim(),
    sourceLang: field(body, 'sourceLang').trim() || 'en',
    sourceText: '',
    sourceEncoding: field(body, 'sourceEncoding') || 'auto',
    model: field(body, 'model') || 'auto',
    translations: [],
  };
  values.sourceText = sideText(req, body, 'source', 'Original', errors);
  for (let k = 1; k <= TRANSLATION_SLOTS; k++) {
    const key = `t${k}`;
    const lang = field(body, `${key}Lang`).trim();
    const text = sideText(req, body, key, `Translation ${k}`, errors);
    values.translations.push({ lang, text, encoding: field(body, `${key}Encoding`) || 'auto' });
  }
  const given = values.translations.map((t, k) => ({ ...t, k: k + 1 })).filter((t) => t.lang || t.text.trim());
  if (!values.name) errors.push('Name: please give the translations a name.');
  else if (values.name.length > 200) errors.push('Name: at most 200 characters.');
  if (!LANG_RE.test(values.sourceLang)) errors.push(`Original language: “${values.sourceLang}” is not a language code (e.g. en, fr, zh-CN).`);
  if (!MODELS.includes(values.model)) errors.push(`Model: unknown model “${values.model}”.`);
  checkText(values.sourceText, 'Original', errors);
  if (given.length === 0) errors.push('Translations: give at least one (its language and its text).');
  for (const t of given) {
    if (!LANG_RE.test(t.lang)) errors.push(`Translation ${t.k}: “${t.lang}” is not a language code (e.g. fr, es, ru).`);
    checkText(t.text, `Translation ${t.k}`, errors);
  }
  if (errors.length) return { ok: false, errors, values };
  try {
    const checked = pipeline.checkTranslations({
      name: values.name,
      source: values.sourceText,
      sourceLang: values.sourceLang,
      model: values.model,
      translations: given.map((t) => ({ lang: t.lang, text: t.text })),
    });
    const job = await ctx.jobs.submit('import-translations', checked, { owner: author, label: `Import of “${checked.name}” in ${given.length} translation${given.length > 1 ? 's' : ''}` });
    return { ok: true, job };
  } catch (e) {
    const msg = userError(e);
    if (msg === null) throw e;
    return { ok: false, errors: [msg], values };
  }
}

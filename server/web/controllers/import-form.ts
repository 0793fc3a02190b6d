/**
 * The import forms (document, further target version): read the fields and uploaded files, decode
 * (UTF-8, or GB18030 detected or chosen), validate, then hand the texts to the import pipeline
 * (server/import). Errors come back as messages for the form, with the entered values kept; nothing
 * is stored on error. Used by routes/import.ts and routes/versions.ts.
 *
 * Upload: the forms are multipart/form-data (parsed by security.ts on import routes), so a file can be
 * chosen without JavaScript. Pasted text is already Unicode: the encoding select applies to files only.
 */
import type { Request } from 'express';
import { decodeBytes, TextInputError } from '../../text/index.js';
import type { AppContext } from '../context.js';
import type { UploadedFile } from '../security.js';
import * as pipeline from '../../import/index.js';

/** Characters per side (the pipeline's limit); larger texts are refused with a clear message. */
export const IMPORT_TEXT_LIMIT = pipeline.MAX_TEXT_CHARS;

export const ENCODINGS: readonly { value: string; label: string }[] = [
  { value: 'auto', label: 'detect (UTF-8, else GB18030)' },
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'gb18030', label: 'GB18030 / GBK' },
];

export const MODELS: readonly string[] = ['auto', 'lexical', 'length', 'neural'];

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

export type ImportFormResult = { ok: true; id: string } | { ok: false; errors: string[]; values: ImportFormValues };
export type VersionFormResult = { ok: true; versionId: string } | { ok: false; errors: string[]; values: Record<string, string> };

const LANG_RE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

function field(body: Record<string, unknown>, key: string): string {
  const v = body[key];
  return typeof v === 'string' ? v : '';
}

function filesOf(req: Request): UploadedFile[] {
  const f = (req as Request & { files?: UploadedFile[] }).files;
  return Array.isArray(f) ? f : [];
}

/** Decodes an uploaded file: the chosen encoding, or UTF-8 with GB18030 as the fallback. */
export function decodeUpload(file: UploadedFile, encoding: string): string {
  const name = file.filename || file.field;
  if (encoding && encoding !== 'auto') return decodeBytes(file.data, { name, encoding });
  try {
    return decodeBytes(file.data, { name });
  } catch (e) {
    if (e instanceof TextInputError && /not valid UTF-8/.test(e.message)) return decodeBytes(file.data, { name, encoding: 'gb18030' });
    throw e;
  }
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
    targetLang: field(body, 'targetLang').trim() || 'zh',
    sourceLang: field(body, 'sourceLang').trim() || 'en',
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
    if (!LANG_RE.test(values[k])) errors.push(`${label}: “${values[k]}” is not a language code (e.g. zh, en, zh-CN).`);
  }
  if (!MODELS.includes(values.model)) errors.push(`Model: unknown model “${values.model}”.`);
  if (values.project.length > 100) errors.push('Project: at most 100 characters.');
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
    const id = await pipeline.importDocument(
      ctx.store,
      {
        name: values.name,
        source: values.sourceText,
        target: values.targetText,
        sourceLang: values.sourceLang,
        targetLang: values.targetLang,
        model: values.model,
        ...(values.project ? { project: values.project } : {}),
      },
      { author },
    );
    return { ok: true, id };
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
    const doc = await pipeline.importVersion(ctx.store, docId, { name: values.name, lang: values.lang, text: values.text }, { author });
    const v = doc.versions[doc.versions.length - 1];
    return { ok: true, versionId: v?.id ?? '' };
  } catch (e) {
    const msg = userError(e);
    if (msg === null) throw e;
    return { ok: false, errors: [msg], values };
  }
}

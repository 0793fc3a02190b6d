/**
 * Shared by the import pipelines (a text pair, a further version, re-alignment): limits, names,
 * decoding and text sides, the model cache, language codes, and turning the user's mistakes into
 * ImportError.
 */
import type { Lang, SimilarityModel, TextSide } from '../domain.js';
import { AlignInputError, getModel, type LearnedLexicon, MODEL_NAMES } from '../align/index.js';
import { ImportError } from '../formats/errors.js';
import { MAX_PROJECT_CHARS } from '../learn/teach.js';

export { MAX_PROJECT_CHARS };
import { TextInputError, buildSide, decodeBytes, detectLang } from '../text/index.js';

/** Characters per text side accepted by an import (the HTTP body limit is 20 MB). */
export const MAX_TEXT_CHARS = 10_000_000;

/** Characters in a document's or version's name. */
export const MAX_NAME_CHARS = 200;

const models = new Map<string, Promise<SimilarityModel>>();

/**
 * Models are loaded once per process (the lexical dictionary and a neural model are slow to load).
 * With a learnt table, the dictionary model is made afresh around it (cheap; the table is read when a
 * document is prepared, so it is current).
 */
export async function cachedModel(name: string, langs: { a: Lang; b: Lang }, learned?: LearnedLexicon): Promise<SimilarityModel> {
  const key = `${name}|${langs.a}|${langs.b}`;
  let m = models.get(key);
  if (!m) {
    m = getModel(name, langs);
    models.set(key, m);
    m.catch(() => models.delete(key));
  }
  const model = await m;
  return learned && model.name === 'lexical' ? getModel(name, langs, { learned }) : model;
}

/** A project or client name as stored: trimmed; '' = none. */
export function checkProject(project: string | undefined): string {
  const p = (project ?? '').trim();
  if (p.length > MAX_PROJECT_CHARS) throw new ImportError(`a project name is at most ${MAX_PROJECT_CHARS} characters`, 'content');
  return p;
}

/** A language code as the import takes it: en, zh, zh-CN, pt_BR. */
export const LANG_RE = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/;

export function checkLang(lang: string, label: string): Lang {
  if (!LANG_RE.test(lang)) throw new ImportError(`${label} "${lang}" is not a language code like en, zh or zh-CN`, 'languages');
  return lang;
}

/** A language code or 'auto' (checked before the texts are decoded: a bad code is refused at once). */
export function checkLangOrAuto(lang: string, label: string): void {
  const l = lang.trim();
  if (l !== '' && l.toLowerCase() !== 'auto') checkLang(l, label);
}

/**
 * The language of a side: as given, or for none or 'auto' the one its text is written in
 * (detectLang: script, then function words), so that a French–English pair imported without
 * languages is not taken for English–Chinese. `fallback` only when the text has no letters at all.
 */
export function sideLang(given: string | undefined, text: string, fallback: Lang, label: string): Lang {
  const g = given?.trim() ?? '';
  if (g === '' || g.toLowerCase() === 'auto') {
    const found = detectLang(text);
    return found === 'und' ? fallback : found;
  }
  return checkLang(g, label);
}

/** A model name the aligner knows (whether it is installed is found out when it is loaded). */
export function checkModel(model: string): string {
  if (!(MODEL_NAMES as readonly string[]).includes(model)) throw new ImportError(`unknown model "${model}": expected one of ${MODEL_NAMES.join(', ')}`, 'model');
  return model;
}

/** A name as given (trimmed); `what` is 'document' or 'version'. */
export function checkName(name: string, what: string): string {
  const trimmed = name.toWellFormed().trim();
  if (!trimmed) throw new ImportError(`the ${what} needs a name`, 'content');
  if (trimmed.length > MAX_NAME_CHARS) throw new ImportError(`the ${what} name is longer than ${MAX_NAME_CHARS} characters`, 'content');
  return trimmed;
}

/**
 * A decoded string as is, or bytes decoded: "auto" unless `encoding` says otherwise (UTF-8, UTF-16
 * with a BOM, GB18030 when the bytes read as Chinese; anything else is refused with the list of
 * encodings to choose from).
 */
export function decodeInput(input: string | Uint8Array, name: string, encoding: string | undefined): string {
  try {
    return typeof input === 'string' ? input : decodeBytes(input, { name, encoding: encoding || 'auto' });
  } catch (e) {
    if (e instanceof TextInputError) throw new ImportError(e.message, 'encoding');
    throw e;
  }
}

/** One text side, refused when it is too long or has no sentences; `label` names it in messages. */
export function textSide(text: string, lang: Lang, label: string, opts: { presplit?: boolean } = {}): TextSide {
  if (text.length > MAX_TEXT_CHARS) {
    throw new ImportError(`the ${label} is too long (${text.length} characters; the limit is ${MAX_TEXT_CHARS})`, 'too-large');
  }
  const side = buildSide(text, lang, { presplit: opts.presplit ?? false });
  if (side.sentences.length === 0) throw new ImportError(`the ${label} is empty: it has no sentences`, 'content');
  return side;
}

/** Rethrows an aligner error the user can fix (bad text, model not installed) as an ImportError; anything else as it is. */
export function refuseAlignError(e: unknown): never {
  if (e instanceof AlignInputError || e instanceof TextInputError) throw new ImportError(e.message, 'content');
  if (e instanceof Error && e.name === 'ModelNotInstalledError') throw new ImportError(e.message, 'model');
  throw e;
}

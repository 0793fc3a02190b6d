import type { Lang, TextSide } from '../domain.js';
import { normalizeText } from './normalize.js';
import { parseParagraphs } from './paragraphs.js';
import { presplitSentences, sentencesOfParagraphs, type SentenceOptions } from './sentences.js';

/**
 * normalise → paragraphs → sentences. With `presplit` the whole text is ONE paragraph (kind 'plain',
 * one span from the first to the last non-blank character) and each non-blank line one sentence, so
 * the aligner runs over the whole document. Empty text gives no paragraphs and no sentences.
 */
export function buildSide(text: string, lang: Lang, opts: SentenceOptions = {}): TextSide {
  const norm = normalizeText(text);
  if (opts.presplit) {
    const sentences = presplitSentences(norm);
    const first = sentences[0];
    const last = sentences[sentences.length - 1];
    const paragraphs =
      first && last
        ? [{ index: 0, kind: 'plain' as const, number: null, text: sentences.map((s) => s.text).join('\n'), spans: [{ start: first.start, end: last.end }] }]
        : [];
    return { lang, text: norm, paragraphs, sentences };
  }
  const paragraphs = parseParagraphs(norm, lang);
  return { lang, text: norm, paragraphs, sentences: sentencesOfParagraphs(norm, paragraphs, lang) };
}

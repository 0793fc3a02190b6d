/**
 * The text pipeline: bytes → normalised text → paragraphs → sentences, and paragraph pairing.
 * Pure functions (readTextFile aside, which only reads the file), no Express, no database.
 *
 * Conventions
 * - All offsets are into the normalised text (normalizeText); buildSide returns it as `side.text`.
 * - A paragraph's number label ('12.', '（一）') is paragraph metadata: it is in `paragraph.text` and
 *   its first span, but in no sentence. Every other non-space character is in exactly one sentence,
 *   and `collapseWhitespace(text.slice(s.start, s.end)) === s.text`.
 * - Presplit (`{ presplit: true }`): each non-blank line is one sentence, taken as is (not cut), and the
 *   whole text is one 'plain' paragraph, so the aligner runs over the whole document.
 * - Empty input is not an error here (no paragraphs, no sentences); callers decide (isBlankText).
 * - Errors the user can fix are TextInputError: one line, naming the file.
 */
export { decodeBytes, firstInvalidUtf8, looksBinary, CHOOSABLE_ENCODINGS, type DecodeOptions } from './decode.js';
export { TextInputError } from './errors.js';
export { normalizeText, isBlankText, collapseWhitespace, wellFormedJson, wellFormedValue } from './normalize.js';
export { detectLang, primaryLanguage, joinsSentencesWithoutSpace, writesWordsWithoutSpaces, sentenceSeparator, joinSentences } from './lang.js';
export { parseParagraphs, paragraphLabel, paragraphContentStart, isDateLine } from './paragraphs.js';
export { parseNumberLabel, numeralValue, chineseNumeralValue, type NumberLabel, type LabelStyle } from './numbering.js';
export { splitSentences, sentencesOfParagraphs, presplitSentences, MAX_SENTENCE_CHARS, type SentenceOptions } from './sentences.js';
export { buildSide } from './side.js';
export { readTextFile, readTextFiles } from './read.js';
export { pairParagraphs, type PairOptions, type PairResult } from './pairing.js';

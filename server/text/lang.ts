/**
 * Language codes: which language a text is in (by its script), and how a language joins its words
 * and sentences. Every layer that joins sentences of one side into one text (QA spans, exports, the
 * review page, further versions, neural windows, the CLI) asks here, so a code means the same
 * everywhere.
 */
import type { Lang } from '../domain.js';
import { isHanCodePoint } from './chars.js';
import { alphabetLanguage, latinLanguage } from './lang-words.js';

/** The primary language subtag, lower-cased: 'zh-Hant-TW' → 'zh', 'zh_CN' → 'zh', 'EN' → 'en'. */
export function primaryLanguage(lang: Lang): string {
  return (lang.split(/[-_]/)[0] ?? '').toLowerCase();
}

/**
 * Chinese (zh and the codes of its varieties: cmn Mandarin, yue Cantonese, wuu Wu, lzh Classical) and
 * Japanese: a sentence ends in full-width punctuation (。！？) and the next follows with no space.
 */
const SENTENCES_WITHOUT_SPACE = new Set(['zh', 'cmn', 'yue', 'wuu', 'lzh', 'ja']);

/**
 * Languages whose words are not separated by spaces: Chinese and Japanese, and Thai (th), Lao (lo),
 * Khmer (km) and Burmese (my). The last four do put a space between sentences (and clauses), so
 * they join sentences with one. Korean (ko) writes spaces between words and between sentences.
 */
const WORDS_WITHOUT_SPACES = new Set([...SENTENCES_WITHOUT_SPACE, 'th', 'lo', 'km', 'my']);

/** Whether sentences of this language follow each other without a space (Chinese, Japanese). */
export function joinsSentencesWithoutSpace(lang: Lang): boolean {
  return SENTENCES_WITHOUT_SPACE.has(primaryLanguage(lang));
}

/** Whether this language writes words without spaces between them (so a diff compares characters). */
export function writesWordsWithoutSpaces(lang: Lang): boolean {
  return WORDS_WITHOUT_SPACES.has(primaryLanguage(lang));
}

/** What goes between two sentences of this language: '' for Chinese and Japanese, ' ' otherwise. */
export function sentenceSeparator(lang: Lang): '' | ' ' {
  return joinsSentencesWithoutSpace(lang) ? '' : ' ';
}

/** Sentences of one language as one text (how Finding spans, exports and the review page count). */
export function joinSentences(texts: readonly string[], lang: Lang): string {
  return texts.join(sentenceSeparator(lang));
}

/** Characters looked at: enough to decide, and keeps detection O(1) on huge inputs. */
const SAMPLE_CHARS = 200_000;

/**
 * The language of a text by its script: 'zh' when Han characters carry the text, 'ja' when kana are
 * frequent among them, 'ko' for hangul; Cyrillic 'ru' ('uk'), Greek 'el', Arabic 'ar', Hebrew 'he';
 * Latin-script text by its function words ('de', 'fr', 'es', 'pt', 'it', 'nl', else 'en': see
 * lang-words.ts); 'und' when there are no letters.
 * One CJK character carries about as much as three Latin letters (zh/en length ratio ≈ 1:3), so CJK
 * counts are weighted ×3 before comparing.
 */
export function detectLang(text: string): Lang {
  let han = 0;
  let kana = 0;
  let hangul = 0;
  let latin = 0;
  const other = { cyrillic: 0, greek: 0, arabic: 0, hebrew: 0, ukrainian: 0 };
  const n = Math.min(text.length, SAMPLE_CHARS);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) latin++;
    else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0xac00 && c <= 0xd7af) hangul++;
    else if (isHanCodePoint(c) || (c >= 0xd840 && c <= 0xd87f)) han++; // high surrogates of ext. B+ count once
    else if (c >= 0x400 && c <= 0x4ff) {
      other.cyrillic++;
      if (c === 0x456 || c === 0x457 || c === 0x454 || c === 0x491) other.ukrainian++;
    } else if (c >= 0x370 && c <= 0x3ff) other.greek++;
    else if (c >= 0x600 && c <= 0x6ff) other.arabic++;
    else if (c >= 0x5d0 && c <= 0x5ea) other.hebrew++;
  }
  const cjk = han + kana + hangul;
  const alphabet = alphabetLanguage(other, latin);
  if (alphabet !== null && cjk * 3 < Math.max(other.cyrillic, other.greek, other.arabic, other.hebrew)) return alphabet;
  if (cjk === 0 && latin === 0) return 'und';
  if (cjk * 3 >= latin) {
    if (hangul > han + kana) return 'ko';
    if (kana > 0 && kana * 5 >= han) return 'ja';
    return 'zh';
  }
  return latinLanguage(text);
}

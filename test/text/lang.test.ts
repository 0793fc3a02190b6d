/**
 * How each language joins its words and sentences (server/text/lang.ts), and that every layer that
 * joins the sentences of a row asks there: QA spans, exports, the review page and further versions
 * give the same text for the same row.
 */
import { describe, expect, it } from 'vitest';
import type { ReviewDocument, TargetSentence } from '../../server/domain.js';
import { beadRows } from '../../server/formats/export-rows.js';
import { pairsFromDocument } from '../../server/qa/pairs.js';
import { projectVersion, versionAnchors } from '../../server/review/versions.js';
import { syntheticDocument } from '../../server/review/synthetic.js';
import {
  joinSentences,
  joinsSentencesWithoutSpace,
  primaryLanguage,
  sentenceSeparator,
  writesWordsWithoutSpaces,
} from '../../server/text/lang.js';

/** code → [sentences follow each other without a space, words are written without spaces]. */
const CASES: [code: string, sentencesWithoutSpace: boolean, wordsWithoutSpaces: boolean][] = [
  ['zh', true, true],
  ['zh-CN', true, true],
  ['zh-Hant-TW', true, true],
  ['zh_CN', true, true],
  ['ZH', true, true],
  ['cmn', true, true], // Mandarin
  ['yue', true, true], // Cantonese
  ['wuu', true, true], // Wu
  ['lzh', true, true], // Classical Chinese
  ['ja', true, true],
  ['ja-JP', true, true],
  // Thai, Lao, Khmer, Burmese: no spaces between words, but a space between sentences.
  ['th', false, true],
  ['th-TH', false, true],
  ['lo', false, true],
  ['km', false, true],
  ['my', false, true],
  // Korean writes spaces between words and between sentences.
  ['ko', false, false],
  ['ko-KR', false, false],
  ['en', false, false],
  ['en-GB', false, false],
  ['de', false, false],
  ['fr', false, false],
  ['vi', false, false],
  // Codes that only start like one of the above are other languages.
  ['zha', false, false], // Zhuang
  ['jav', false, false], // Javanese
  ['kok', false, false], // Konkani
  ['tha', false, false],
  ['und', false, false],
  ['', false, false],
];

describe('language codes', () => {
  it.each(CASES)('%s: sentences without space %s, words without spaces %s', (code, sentences, words) => {
    expect(joinsSentencesWithoutSpace(code)).toBe(sentences);
    expect(writesWordsWithoutSpaces(code)).toBe(words);
    expect(sentenceSeparator(code)).toBe(sentences ? '' : ' ');
    expect(joinSentences(['A.', 'B.'], code)).toBe(sentences ? 'A.B.' : 'A. B.');
  });

  it('reads the primary subtag of any spelling', () => {
    expect(primaryLanguage('zh-Hant-TW')).toBe('zh');
    expect(primaryLanguage('zh_CN')).toBe('zh');
    expect(primaryLanguage('EN')).toBe('en');
    expect(primaryLanguage('')).toBe('');
  });

  it('joins nothing to an empty string and one sentence to itself', () => {
    expect(joinSentences([], 'en')).toBe('');
    expect(joinSentences(['一。'], 'zh')).toBe('一。');
  });
});

/** The synthetic document with its target side in `lang`, and a version of it in the same language. */
function docIn(lang: string): ReviewDocument {
  const doc = syntheticDocument(8);
  const sentences = doc.target.sentences.map((s, i): TargetSentence => ({ ...s, text: `T${i}.`, original: `T${i}.` }));
  return { ...doc, target: { ...doc.target, lang, sentences } };
}

describe('every layer joins a row the same way', () => {
  it.each(['zh', 'ja', 'ko', 'th', 'km', 'en'])('%s: QA spans, export rows and version projection agree', (lang) => {
    const doc = docIn(lang);
    const row = doc.beads.find((b) => b.target.length === 2)!;
    const expected = joinSentences(row.target.map((t) => doc.target.sentences[t]!.text), lang);
    expect(expected).toBe(joinsSentencesWithoutSpace(lang) ? 'T3.T4.' : 'T3. T4.');

    const qa = pairsFromDocument(doc).find((p) => p.id === row.id)!;
    expect(qa.target).toBe(expected);

    const exported = [...beadRows({ doc }, {}, false)].find((r) => r.uid === row.id)!;
    expect(exported.targetText).toBe(expected);

    // A version imported with one text per target sentence's row, then rows merged: texts join per language.
    const textByBead = Object.fromEntries(doc.beads.map((b) => [b.id, `V${b.id}.`]));
    const anchors = versionAnchors(doc.beads, textByBead);
    const merged = [{ ...doc.beads[0]!, source: [0, 1], target: [0, 1] }, ...doc.beads.slice(2)];
    expect(projectVersion(textByBead, anchors, merged, lang)[doc.beads[0]!.id]).toBe(joinSentences(['Vb1.', 'Vb2.'], lang));
  });
});

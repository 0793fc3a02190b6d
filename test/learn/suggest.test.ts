import { describe, expect, it } from 'vitest';
import { englishTerms } from '../../server/align/lexical/english.js';
import { type CountedPair, type ExampleRow, pairKey } from '../../server/learn/counts.js';
import { knownTerms, SUGGEST_DEFAULTS, suggestTerms, termCandidates } from '../../server/learn/suggest.js';

const row = (en: string, zh: string, beadId = 'b1'): ExampleRow => ({ docId: 'd1', docName: 'Doc', beadId, sourceLang: 'en', targetLang: 'zh', source: en, target: zh });
const none = knownTerms([]);
/** The table's term (the aligner's stem) of an English word. */
const stem = (word: string): string => englishTerms(word)[0]!;

describe('glossary suggestions', () => {
  it('keeps consistent renderings counted often enough, most frequent first', () => {
    const counted: CountedPair[] = [
      { word: '缔约国', term: 'state', n: 12, nWord: 12, nTerm: 14 },
      { word: '缔约国', term: 'parti', n: 12, nWord: 12, nTerm: 13 },
      { word: '会议', term: 'meet', n: 20, nWord: 22, nTerm: 40 }, // "meeting" rendered 会议 in half its rows only
      { word: '发展', term: 'develop', n: 2, nWord: 2, nTerm: 2 }, // too few rows
      { word: '国', term: 'country', n: 30, nWord: 30, nTerm: 30 }, // one character
      { word: '秘书处', term: 'secretariat', n: 9, nWord: 10, nTerm: 9 },
    ];
    expect(termCandidates(counted, none).map((c) => [c.word, c.term])).toEqual([
      ['缔约国', 'parti'],
      ['缔约国', 'state'],
      ['秘书处', 'secretariat'],
    ]);
    expect(termCandidates(counted, knownTerms([{ english: ['Secretariat'], accepted: ['秘书处'] }])).map((c) => c.word)).not.toContain('秘书处');
  });

  it('writes the English as the rows do: side-by-side terms as one entry, names capitalised, possessives and sentence starts not', () => {
    const [party, state] = [stem('Parties'), stem('States')];
    const cands: CountedPair[] = [
      { word: '缔约国', term: party, n: 12, nWord: 12, nTerm: 13 },
      { word: '缔约国', term: state, n: 12, nWord: 12, nTerm: 14 },
      { word: '渔夫', term: 'fisherman', n: 5, nWord: 5, nTerm: 5 },
      { word: '李明', term: 'ming', n: 4, nWord: 4, nTerm: 4 },
      { word: '李明', term: 'li', n: 4, nWord: 4, nTerm: 4 },
    ];
    const examples = new Map<string, ExampleRow[]>([
      [pairKey('缔约国', party), [row('The States Parties agree.', '各缔约国同意。'), row('All States Parties shall report.', '所有缔约国应报告。', 'b2')]],
      [pairKey('缔约国', state), [row('The States Parties agree.', '各缔约国同意。')]],
      [pairKey('渔夫', 'fisherman'), [row("Fishermen came. The fisherman's boat left.", '渔夫来了。渔夫的船开走了。'), row('An old fisherman laughed.', '老渔夫笑了。', 'b2')]],
      [pairKey('李明', 'ming'), [row('Li Ming said no. Ming left.', '李明说不。李明走了。'), row('Then Ming laughed.', '然后李明笑了。', 'b2')]],
    ]);
    const out = suggestTerms(cands, examples, none);
    expect(out.map((s) => [s.english, s.chinese, s.rows])).toEqual([
      ['States Parties', '缔约国', 12],
      ['fisherman', '渔夫', 5],
      ['Li Ming', '李明', 4],
    ]);
    expect(out[0]!.share).toBeCloseTo(12 / 14, 10);
    expect(out[0]!.examples.map((e) => e.beadId)).toEqual(['b1', 'b2']);
    // What the glossary has already (by its English) is not suggested again.
    expect(suggestTerms(cands, examples, knownTerms([{ english: ['states parties'], accepted: [] }])).map((s) => s.english)).toEqual(['fisherman', 'Li Ming']);
  });

  it('stops at the limit and shows at most the asked number of examples', () => {
    const words = ['harbour', 'sorghum', 'satellite'];
    const cands: CountedPair[] = ['港口', '高粱', '卫星'].map((word, i) => ({ word, term: stem(words[i]!), n: 9 - i, nWord: 9 - i, nTerm: 9 - i }));
    const examples = new Map(cands.map((c, i) => [pairKey(c.word, c.term), [1, 2, 3, 4].map((k) => row(`A ${words[i]} here, ${k}.`, `${c.word}。`, `b${k}`))]));
    const out = suggestTerms(cands, examples, none, { ...SUGGEST_DEFAULTS, limit: 2, examples: 3 });
    expect(out.map((s) => s.english)).toEqual(['harbour', 'sorghum']);
    expect(out[0]!.examples).toHaveLength(3);
  });
});

/**
 * The segmenter (server/align/lexical/segment.ts) against jieba itself: the same words on the demo
 * corpus and on random mixtures of dictionary words, unknown names, Latin, digits, punctuation,
 * whitespace of every kind and characters outside the BMP.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactLn } from '../../server/align/lexical/exact-log.js';
import { loadLexicon } from '../../server/align/lexical/lexicon-cache.js';
import type { Lexicon } from '../../server/align/lexical/lexicon-file.js';
import { cutWords } from '../../server/align/lexical/segment.js';

const root = join(import.meta.dirname, '..', '..');
let jieba: Jieba;
let lex: Lexicon;

beforeAll(() => {
  jieba = Jieba.withDict(dict);
  lex = loadLexicon();
});

describe('segmentation from the cached lexicon', () => {
  it('cuts the demo corpus exactly as jieba does', () => {
    const lines = readFileSync(join(root, 'corpus', 'brics-fm-2020-09-04', 'zh.txt'), 'utf8').split('\n');
    let words = 0;
    for (const line of lines) {
      const want = jieba.cut(line, true);
      expect(cutWords(lex, line)).toEqual(want);
      words += want.length;
    }
    expect(words).toBeGreaterThan(1000);
  });

  it('cuts random text exactly as jieba does', () => {
    const dictWords = Buffer.from(dict).toString('utf8').split('\n', 40_000).map((l) => l.split(' ')[0] ?? '').filter((w, i) => w && i % 97 === 0);
    const pieces = [
      ...dictWords,
      ...'的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严'.split(''),
      ...'清扬伊塔杭研'.split(''),
      'abc', 'A股', 'T恤', 'iPhone', 'CEO', '2020', '3.5%', '1号店', '+', '#', '&', '.', '_', '%', '-', 'x-y',
      ' ', '  ', '\t', '\n', '\r\n', '\r', '\u3000', '\u00a0', '\u0085', '\ufeff', '\u2028',
      '，', '。', '！', '？', '“', '”', '「', '」', '、', '：', '；', '（', '）', '…', '—',
      '𠀀', '𪚥', '😀', '👪', '㐀', '豈', '가', 'é', 'ß',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        expect(cutWords(lex, text)).toEqual(jieba.cut(text, true));
      }),
      { numRuns: 3000, seed: 20201204 },
    );
  });
});

describe('exactLn', () => {
  it('rounds correctly where Math.log does not', () => {
    // Values of the C library's log (correctly rounded), which jieba uses.
    expect(exactLn(3)).toBe(1.0986122886681098);
    expect(exactLn(48)).toBe(3.871201010907891);
    expect(exactLn(74)).toBe(4.30406509320417);
    expect(exactLn(185)).toBe(5.220355825078324);
    expect(exactLn(1)).toBe(0);
    for (const n of [2, 10, 1000, 60_101_964]) expect(Math.abs(exactLn(n) - Math.log(n))).toBeLessThanOrEqual(Math.log(n) * 2.3e-16);
    expect(() => exactLn(0)).toThrow(RangeError);
  });
});

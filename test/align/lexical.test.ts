import { beforeAll, describe, expect, it } from 'vitest';
import { cleanGlosses, loadDictionary, tokenizeEn, tokenizeZh, zhTokens } from '../../server/align/lexical/dictionary.js';
import { englishTerms, stem } from '../../server/align/lexical/english.js';
import { prepareLexical } from '../../server/align/lexical/model.js';
import { chineseNumbers } from '../../server/align/lexical/numbers.js';
import { parseChineseNumber } from '../../server/text/numerals.js';
import { trainIbm1, trainIbm1Symmetric } from '../../server/align/lexical/ibm1.js';
import { NARRATION, questionEnds, quoteStates, SPEECH, TAG, voices } from '../../server/align/lexical/quotes.js';

beforeAll(() => {
  loadDictionary(); // once per file: CC-CEDICT and jieba
  tokenizeZh('预热');
});

describe('numbers', () => {
  it('parses Chinese numerals with 万/亿 scaling', () => {
    expect(parseChineseNumber('100亿')).toBe(1e10);
    expect(parseChineseNumber('三十五')).toBe(35);
    expect(parseChineseNumber('一百二十')).toBe(120);
    expect(parseChineseNumber('一万五千')).toBe(15000);
    expect(parseChineseNumber('两亿三千万')).toBe(230_000_000);
    expect(parseChineseNumber('二〇二〇')).toBe(2020);
    expect(parseChineseNumber('1.5万')).toBe(15000);
    expect(parseChineseNumber('abc')).toBeNull();
  });

  it('finds numbers in text but leaves a lone 一 (= "a") alone unless it is an ordinal', () => {
    expect(chineseNumbers('一个人')).toEqual([]);
    expect(chineseNumbers('第一')).toEqual([1]);
    expect(chineseNumbers('第六届')).toEqual([6]);
  });

  it('makes the same literal terms on both sides', () => {
    const zh = (s: string): string[] => zhTokens(s).flatMap((t) => t.terms);
    expect(zh('100亿美元')).toContain('#10000000000');
    expect(englishTerms('10 billion dollars')).toContain('#10000000000');
    expect(zh('第六届会晤')).toContain('#6');
    expect(englishTerms('the 6th meeting')).toContain('#6');
    expect(englishTerms('the sixth meeting')).toContain('#6');
    expect(zh('2020年9月4日')).toEqual(expect.arrayContaining(['#2020', 'month:9', '#4']));
    expect(englishTerms('4 September 2020')).toEqual(['#4', 'month:9', '#2020']);
    expect(zh('第2532号决议')).toContain('#2532');
    expect(zh('《禁止化学武器公约》（CWC）')).toContain('cwc');
    expect(englishTerms('COVID-19 and the CWC')).toEqual(['covid', '#19', 'cwc']);
  });
});

describe('English normalisation', () => {
  it('stems inflections onto one key and drops stop words', () => {
    expect(stem('loved')).toBe(stem('love'));
    expect(stem('making')).toBe(stem('make'));
    expect(stem('countries')).toBe(stem('country'));
    expect(stem('said')).toBe(stem('say'));
    expect(tokenizeEn('She was not in the house.')).toEqual(['hous']);
  });
});

describe('CC-CEDICT', () => {
  it('cleans glosses: parentheticals, "to ", variants, classifiers and surnames go', () => {
    expect(cleanGlosses('to hit; to strike (esp. hard)/variant of 打[da3]/CL:個|个[ge4]/surname Da')).toEqual(['hit', 'strike']);
  });

  it('maps words to normalised English terms, with a per-character fallback for unknown words', () => {
    const d = loadDictionary();
    expect(d.terms('友谊')).toEqual(expect.arrayContaining(['friendship']));
    const [name] = zhTokens('清扬');
    expect(name?.fallback).toBe(true);
    expect(name?.terms).toContain('qingyang'); // pinyin meets the transliterated name
  });
});

describe('lexical scorer', () => {
  // Hand-computed: IDF over the English side (2 sentences) is ln(1 + N / df):
  // "love" df 1 → ln 3; "Beijing" df 2 → ln 2. 爱 ↔ love, 北京 ↔ Beijing.
  const zh = ['我爱北京。'];
  const en = ['I love Beijing.', 'Beijing is big.'];

  it('sums the IDF of matched terms (unnormalised)', () => {
    const s = prepareLexical(zh, en, { a: 'zh', b: 'en' });
    expect(s.score(0, 1, 0, 1)).toBeCloseTo(Math.log(3) + Math.log(2), 10);
    expect(s.score(0, 1, 1, 2)).toBeCloseTo(Math.log(2), 10);
    // One Chinese word matches at most one English occurrence: 北京 counts once over both sentences.
    expect(s.score(0, 1, 0, 2)).toBeCloseTo(Math.log(3) + Math.log(2), 10);
  });

  it('gives the same scores with the sides swapped', () => {
    const s = prepareLexical(en, zh, { a: 'en', b: 'zh' });
    expect(s.score(0, 1, 0, 1)).toBeCloseTo(Math.log(3) + Math.log(2), 10);
    expect(s.score(1, 2, 0, 1)).toBeCloseTo(Math.log(2), 10);
  });

  it('counts direct speech on both sides as one more match, but not apostrophes inside words', () => {
    // The voice cue off: this is about the QUOTE term ("I don't know." is narration, "……" nothing).
    const s = prepareLexical(['“……”'], ["'...'", "I don't know."], { a: 'zh', b: 'en' }, { voiceWeight: 0 });
    expect(s.score(0, 1, 0, 1)).toBeCloseTo(Math.log(3), 10); // N = 2, df = 1
    expect(s.score(0, 1, 1, 2)).toBe(0);
  });

  it('subtracts the quotation and question weights at a bead end where the sides disagree', () => {
    // No dictionary matches here (今天 today, 下雨 rain, 猫 cat, 睡 sleep vs dog, run, bird, fly);
    // only the QUOTE term matches: idf ln(1 + 2/2) = ln 2 per occurrence.
    // Quotation state after each sentence: zh inside, outside; en inside, outside.
    const q = prepareLexical(['“今天下雨。', '猫睡了。”'], ["'The dog runs.", "Birds fly.'"], { a: 'zh', b: 'en' });
    expect(q.score(0, 1, 0, 1)).toBeCloseTo(Math.log(2), 10); // both inside: no cost
    expect(q.score(0, 2, 0, 2)).toBeCloseTo(2 * Math.log(2), 10); // both outside
    expect(q.score(0, 1, 0, 2)).toBeCloseTo(Math.log(2) - 8, 10); // zh inside, en outside
    expect(q.score(0, 2, 0, 1)).toBeCloseTo(Math.log(2) - 8, 10);
    // Question at the end of one side only: −3.
    const m = prepareLexical(['今天下雨吗？', '猫睡了。'], ['The dog runs?', 'Birds fly.'], { a: 'zh', b: 'en' });
    expect(m.score(0, 1, 0, 1)).toBe(0);
    expect(m.score(0, 1, 1, 2)).toBe(-3);
    expect(m.score(0, 2, 0, 1)).toBe(-3);
    expect(m.score(0, 2, 0, 2)).toBe(0);
    const off = prepareLexical(['今天下雨吗？'], ['Birds fly.'], { a: 'zh', b: 'en' }, { questionWeight: 0 });
    expect(off.score(0, 1, 0, 1)).toBe(0);
  });

  it('subtracts the voice weight once per voice the two sides of a bead do not share', () => {
    // No dictionary matches, no quotation-state or question mismatch at any bead end used below.
    const zh = ['他走进屋去。', '“快来！”', '狗儿冷笑道：“好。”'];
    const en = ['Birds fly.', "'Fly!'", "'Hm,' Ann cried.", "'Hm!'"];
    const s = prepareLexical(zh, en, { a: 'zh', b: 'en' }, { voiceWeight: 2, quoteWeight: 0 });
    const quote = Math.log(1 + 4 / 3); // the QUOTE term: 3 of 4 English sentences quote
    expect(s.score(0, 1, 0, 1)).toBe(0); // narration both
    expect(s.score(0, 1, 1, 2)).toBe(-4); // narration against speech: both voices differ
    expect(s.score(1, 2, 1, 2)).toBeCloseTo(quote, 10); // speech both
    // 狗儿冷笑道 is a tag beside speech: it stands for the narration of "Ann cried" and for none.
    expect(s.score(2, 3, 2, 3)).toBeCloseTo(quote, 10);
    expect(s.score(2, 3, 3, 4)).toBeCloseTo(quote, 10);
    // Speech and narration against speech alone: the narration differs.
    expect(s.score(0, 2, 1, 2)).toBeCloseTo(quote - 2, 10);
    const off = prepareLexical(zh, en, { a: 'zh', b: 'en' }, { voiceWeight: 0, quoteWeight: 0 });
    expect(off.score(0, 1, 1, 2)).toBe(0);
  });

  it('scores 0 when nothing matches', () => {
    const s = prepareLexical(['今天下雨。'], ['The cat sleeps.'], { a: 'zh', b: 'en' });
    expect(s.score(0, 1, 0, 1)).toBe(0);
  });

  it('learns document vocabulary from confident 1-1 beads (IBM Model 1) and scores with it', () => {
    // "Blorf" is no dictionary word: only the document itself says that 伊塔 is Blorf.
    const zh2 = ['伊塔来了。', '伊塔走了。', '他来了。', '伊塔笑了。'];
    const en2 = ['Blorf came.', 'Blorf left.', 'He came.', 'Blorf laughed.'];
    const s = prepareLexical(zh2, en2, { a: 'zh', b: 'en' });
    const before = s.score(1, 2, 1, 2);
    const beads = [0, 1, 2, 3].map((i) => ({ a: [i], b: [i], confidence: 1 }));
    const after = s.retrain(beads).score(1, 2, 1, 2);
    expect(after).toBeGreaterThan(before);
  });
});

describe('quotation and question boundaries', () => {
  it('tracks whether each sentence boundary is inside a quotation, on either side', () => {
    expect([...quoteStates(['他说：“你好。', '再见。”', '走了。'])]).toEqual([0, 1, 0, 0]);
    expect([...quoteStates(["'Hello.", "Goodbye,' he said.", "Don't go."])]).toEqual([0, 1, 0, 0]);
    // Apostrophes inside words and plural possessives open nothing.
    expect([...quoteStates(["Trinket's friends' house.", "It wasn't."])]).toEqual([0, 0, 0]);
    // A quotation nested in another closes only itself; ’ after Chinese text closes.
    expect([...quoteStates(['他说：“这‘长安’城中。', '俗语说：‘与人方便。 ’', '好。”'])]).toEqual([0, 1, 1, 0]);
    expect([...quoteStates(["'It is \"in the shadow\", they say.", "Yes.'"])]).toEqual([0, 1, 0]);
    expect([...quoteStates(["'These 'tourist attractions.'\"", 'Then.'])]).toEqual([0, 0, 0]);
    // A new paragraph of speech may reopen without a close.
    expect([...quoteStates(["'One.", "'Two.", "Three.'"])]).toEqual([0, 1, 1, 0]);
  });

  it('tells the voices of each sentence: speech, narration, a speech tag', () => {
    const N = NARRATION;
    const ST = SPEECH | TAG;
    expect([...voices(['他走进屋去。', '海老公沉声道：“好你个屁！', '快进来！”', '他说着便起身出去了，心里想着明天的事。'])]).toEqual([N, ST, SPEECH, N]);
    expect([...voices(["'Better my arse!' muttered the eunuch.", "'Get a move on.", "Will you!'", 'Old Hai was sitting at a table.'])]).toEqual([ST, SPEECH, SPEECH, N]);
    // More than a tag beside speech is narration too.
    expect([...voices(["'Yes, Aunt,' said Jia Rong, and pursing his lips he sauntered out of the room."])]).toEqual([SPEECH | N]);
    // Quoted terms are no speech: after a word, not after a colon, a comma or a verb of saying.
    expect([...voices(['这个“准”字，是日间赌钱时学的。', "He hurried to the 'cake room'.", '听得那边说道“摆饭”。'])]).toEqual([N, N, SPEECH | TAG]);
    // A sentence of punctuation alone has no voice.
    expect([...voices(['“……”'])]).toEqual([0]);
  });

  it('marks boundaries after a question, behind closing quotes', () => {
    expect([...questionEnds(['你好吗？”', '好。', "'Are you well?'", 'Fine.', 'What?!'])]).toEqual([0, 1, 0, 1, 0, 0]);
  });
});

describe('IBM Model 1', () => {
  it('symmetric training keeps a pair only when both directions pass the threshold', () => {
    // 了 occurs in every pair: forward, t(x|了) = t(y|了) = t(z|了) pass 0.3; backward, 甲 explains x.
    const pairs: Array<[string[], string[]]> = [
      [['了', '甲'], ['x']], [['了', '甲'], ['x']],
      [['了', '乙'], ['y']], [['了', '乙'], ['y']],
      [['了', '丙'], ['z']], [['了', '丙'], ['z']],
    ];
    const opts = { iterations: 5, threshold: 0.3, minCount: 2 };
    expect(trainIbm1(pairs, opts).get('了')).toEqual(['x', 'y', 'z']);
    const sym = trainIbm1Symmetric(pairs, opts);
    expect(sym.get('了')).toBeUndefined();
    expect([...sym]).toEqual([['甲', ['x']], ['乙', ['y']], ['丙', ['z']]]);
  });

  it('learns word translations from co-occurrence', () => {
    const table = trainIbm1(
      [
        [['猫', '睡'], ['cat', 'sleep']],
        [['猫', '跑'], ['cat', 'run']],
        [['狗', '跑'], ['dog', 'run']],
        [['狗', '睡'], ['dog', 'sleep']],
      ],
      { iterations: 10, threshold: 0.3, minCount: 2 },
    );
    expect(table.get('猫')?.[0]).toBe('cat');
    expect(table.get('跑')?.[0]).toBe('run');
  });
});

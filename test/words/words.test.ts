/**
 * Word alignment per bead (server/words): tokens with offsets and kinds, links by phrase, dictionary,
 * derived form, learnt table and position, the document cache, the JSON shape, and the `align`
 * command's JSON carrying it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { align as alignCommand } from '../../scripts/align.js';
import { alignWords, beadWords, chineseTokens, derived, englishTokens, learnTable, linkWords, tokenize, wireWords, type BeadWords } from '../../server/words/index.js';
import { runIn } from '../helpers/cli.js';

const LANGS = { source: 'en', target: 'zh' };
/** English word → the Chinese words it is linked to. */
function partners(w: BeadWords, en: string): string[] {
  return w.links.filter((l) => w.source[l.source]?.text === en).map((l) => w.target[l.target]?.text ?? '');
}

describe('tokens', () => {
  it('reads English words with their offsets and kinds: function words, names, numbers (with their scale), codes', () => {
    const en = 'On 4 September 2020, the Ministers of the BRICS welcomed USD 10 billion for COVID-19 vaccines.';
    const t = englishTokens(en);
    for (const x of t) expect(en.slice(x.start, x.end)).toBe(x.text);
    const kind = (w: string) => t.find((x) => x.text === w)?.kind;
    expect(kind('the')).toBe('function');
    expect(kind('BRICS')).toBe('name');
    expect(kind('Ministers')).toBe('name');
    expect(kind('welcomed')).toBe('content');
    expect(kind('10 billion')).toBe('number');
    expect([...(t.find((x) => x.text === '10 billion')?.terms.keys() ?? [])]).toEqual(['#10000000000']);
    expect(t.find((x) => x.text === 'COVID-19')?.terms.has('#2019')).toBe(true);
    // "families" also reads as "family" (the stemmer alone keeps them apart).
    expect(englishTokens('families')[0]?.terms.has('fami')).toBe(true);
  });

  it('reads Chinese words with offsets covering the text, numbers with their units, unknown words by their parts', () => {
    const zh = '他们于2020 年 9 月 4 日在第75届联合国大会上设立 100 亿美元基金，每年约有1 100万吨塑料。';
    const t = chineseTokens(zh);
    for (const x of t) expect(zh.slice(x.start, x.end)).toBe(x.text);
    const of = (w: string) => t.find((x) => x.text === w);
    expect(of('他们')?.kind).toBe('function');
    expect(of('2020 年')?.kind).toBe('number');
    expect(of('9 月')?.terms.has('month:9')).toBe(true);
    expect(of('第75届')?.terms.has('#75')).toBe(true);
    expect(of('100 亿')?.terms.has('#10000000000')).toBe(true);
    expect(of('美元')?.terms.has('dollar')).toBe(true);
    expect(of('1 100万')?.terms.has('#11000000')).toBe(true);
    // 联合国大会 is no headword with usable senses: its parts' senses and its gloss as a phrase.
    expect(of('联合国大会')?.phrases?.some((p) => p.terms.join(' ') === 'unit nation general assemb')).toBe(true);
    // A word jieba cut through lends its senses: 病大|流行 still reads as "pandemic".
    expect(chineseTokens('冠状病毒病大流行').some((x) => x.terms.has('pandemic'))).toBe(true);
  });

  it('reads other languages by their words and numbers, and keeps what it read per text', () => {
    const t = tokenize('Die Minister trafen sich am 4. September.', 'de');
    expect(t.map((x) => x.text)).toEqual(['Die', 'Minister', 'trafen', 'sich', 'am', '4', 'September']);
    expect(tokenize('Die Minister trafen sich am 4. September.', 'de')).toBe(t);
  });
});

describe('links', () => {
  it('links a multi-word name to the Chinese word that says it (世界银行 = World Bank)', () => {
    const w = beadWords('They welcomed the World Bank and the World Health Organization.', '他们欢迎世界银行和世界卫生组织。', LANGS);
    expect(partners(w, 'Bank')).toEqual(['世界银行']);
    expect(partners(w, 'Health')).toEqual(['世界卫生组织']);
    expect(partners(w, 'Organization')).toEqual(['世界卫生组织']);
    expect(w.links.find((l) => w.source[l.source]?.text === 'Bank')?.via).toBe('phrase');
  });

  it('pairs a repeated term with the occurrence in the same place', () => {
    const w = beadWords(
      'They recalled that 2020 marks the 75th anniversary of the founding of the United Nations and the 75th anniversary of the end of the Second World War.',
      '双方指出，2020年是联合国成立75周年，也是第二次世界大战结束75周年。',
      LANGS,
    );
    const ann = w.source.map((t, i) => ({ t, i })).filter((x) => x.t.text === 'anniversary');
    const targets = ann.map((a) => w.links.find((l) => l.source === a.i)?.target ?? -1);
    expect(targets[0]).toBeLessThan(targets[1]!);
    expect(targets.map((k) => w.target[k]?.text)).toEqual(['周年', '周年']);
  });

  it('links other forms of a word (regional / 地区) and numbers by value, not names by a character\'s sense', () => {
    const w = beadWords('at both the regional and international levels in 2020', '在区域和国际两级，2020年', LANGS);
    expect(partners(w, 'regional')).toEqual(['区域']);
    expect(partners(w, '2020')).toEqual(['2020年']);
    // UN must not find 不 ("un-") in 不应.
    expect(partners(beadWords('related to the UN Security Council', '不应与其他机制重复', LANGS), 'UN')).toEqual([]);
  });

  it('tells derived forms from words that only share letters', () => {
    expect(derived('region', 'regional')).toBe(true);
    expect(derived('develop', 'development')).toBe(true);
    expect(derived('participat', 'participant')).toBe(true);
    expect(derived('signify', 'significant')).toBe(false);
    expect(derived('stat', 'statement')).toBe(false);
  });

  it('scores a bead by the share of its words that found a partner', () => {
    expect(beadWords('They welcomed the report.', '他们欢迎该报告。', LANGS).score).toBeGreaterThan(0.9);
    expect(beadWords('They welcomed the report.', '天气很好。', LANGS).score).toBeLessThan(0.3);
    expect(linkWords([], [])).toEqual([]);
  });

  it('learns word pairs the dictionary lacks from a document of 40 beads or more, mutual best only', () => {
    // 萨赫勒 (the Sahel) is no CC-CEDICT headword: its characters' senses say nothing of it.
    const verbs = [['met', '会见了'], ['welcomed', '欢迎'], ['supported', '支持'], ['thanked', '感谢']];
    const objects = [['partners', '伙伴'], ['donors', '捐助者'], ['farmers', '农民'], ['teachers', '教师'], ['doctors', '医生']];
    const sides = Array.from({ length: 40 }, (_, i) => {
      const [ve, vz] = verbs[i % 4]!;
      const [oe, oz] = objects[i % 5]!;
      // Half the sentences name the Sahel, so it is the one English word 萨赫勒 always comes with.
      return i % 2 === 0
        ? { source: englishTokens(`The Sahel ${ve} the ${oe}.`), target: chineseTokens(`萨赫勒${vz}${oz}。`) }
        : { source: englishTokens(`The region ${ve} the ${oe}.`), target: chineseTokens(`该区域${vz}${oz}。`) };
    });
    const table = learnTable(sides, LANGS);
    expect(table.get('萨赫勒')).toEqual(['sahel']);
    expect(learnTable(sides.slice(0, 10), LANGS).size).toBe(0);
  });
});

describe('a document\'s word alignment', () => {
  it('computes a bead on first request, then keeps it; unknown beads have none', () => {
    const beads = [
      { id: 'b1', source: 'They welcomed the report.', target: '他们欢迎该报告。' },
      { id: 'b2', source: 'The meeting was held in Moscow.', target: '会议在莫斯科举行。' },
    ];
    const words = alignWords(beads, LANGS);
    const w = words.of('b2');
    expect(partners(w!, 'Moscow')).toEqual(['莫斯科']);
    expect(words.of('b2')).toBe(w);
    expect(words.of('nope')).toBeUndefined();
  });

  it('places words in the bead\'s sentences for readers that show sentences one by one', () => {
    const sentences = { source: ['They met.', 'They welcomed the report.'], target: ['他们会晤。', '他们欢迎该报告。'] };
    const w = beadWords(sentences.source.join(' '), sentences.target.join(''), LANGS);
    const wire = wireWords(w, sentences, { source: ' ', target: '' });
    for (const x of wire.source) expect(sentences.source[x.sentence]!.slice(x.start, x.end)).toBe(x.text);
    for (const x of wire.target) expect(sentences.target[x.sentence]!.slice(x.start, x.end)).toBe(x.text);
    const report = wire.source.findIndex((x) => x.text === 'report');
    expect(wire.source[report]?.sentence).toBe(1);
    const link = wire.links.find((l) => l[0] === report);
    expect(wire.target[link![1]]).toMatchObject({ text: '报告', sentence: 1 });
    expect(link![3]).toBe('dictionary');
  });

  it('is in the JSON of the align command: words of sides a and b per bead, and their links', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'words-align-'));
    try {
      writeFileSync(join(dir, 'zh.txt'), '他们欢迎世界银行。\n\n会议在莫斯科举行。\n');
      writeFileSync(join(dir, 'en.txt'), 'They welcomed the World Bank.\n\nThe meeting was held in Moscow.\n');
      const r = await runIn('align', alignCommand, [join(dir, 'zh.txt'), join(dir, 'en.txt'), '--format', 'json', '--no-learned']);
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { a: { sentences: { text: string }[] }; beads: { a: number[]; words: { a: { text: string; sentence: number }[]; b: { text: string }[]; links: [number, number, number, string][]; score: number } }[] };
      const bead = out.beads.find((b) => out.a.sentences[b.a[0]!]?.text.includes('莫斯科'))!;
      const zh = bead.words.a.findIndex((x) => x.text === '莫斯科');
      const link = bead.words.links.find((l) => l[0] === zh);
      expect(bead.words.b[link![1]]?.text).toBe('Moscow');
      expect(bead.words.score).toBeGreaterThan(0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

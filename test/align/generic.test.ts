import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alignSentenceLists, alignTexts, chooseModel } from '../../server/align/index.js';
import { freedictLexicon } from '../../server/align/dict/freedict.js';
import { cognateKey, cognateScore, foldWord, lcsLength, lcsr } from '../../server/align/generic/cognates.js';
import { boundaryCues, normaliseQuotes } from '../../server/align/generic/cues.js';
import { baseLang, iso3 } from '../../server/align/generic/langs.js';
import { createGenericModel, prepareGeneric } from '../../server/align/generic/model.js';
import { digitValues, monthValue, numberWordValue } from '../../server/align/generic/numbers.js';
import { sentenceTerms } from '../../server/align/generic/tokens.js';
import { weightsFor } from '../../server/align/weights.js';
import { writeDeFr } from '../helpers/dictd.js';

const root = mkdtempSync(join(tmpdir(), 'generic-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const literals = (s: string, lang: string): string[] => sentenceTerms(s, lang).filter((t) => t.kind === 'literal').map((t) => t.key);

describe('cognates', () => {
  it('folds case, diacritics and spelling correspondences', () => {
    expect(foldWord('Objektivität')).toBe('objektivitat');
    expect(foldWord('Straße')).toBe('strasse');
    expect(cognateKey('Kamera')).toBe(cognateKey('caméra'));
    expect(cognateKey('Konzentration')).toBe('consentration');
    expect(cognateKey('Philosophie')).toBe('filosofie');
  });
  it('scores by the longest common subsequence of the longer word', () => {
    expect(lcsLength('abcde', 'ace')).toBe(3);
    expect(lcsr('abcd', 'abcd')).toBe(1);
    expect(lcsr('', 'x')).toBe(0);
    expect(cognateScore('Temperatur', 'température')).toBeCloseTo(10 / 11, 5);
    expect(cognateScore('Konzentration', 'concentration')).toBeCloseTo(12 / 13, 5);
    expect(cognateScore('Route', 'route')).toBe(1);
    expect(cognateScore('Objektivität', 'objectivité')).toBeGreaterThan(0.75);
  });
  it('gives nothing to short words and to words that start differently', () => {
    expect(cognateScore('die', 'des')).toBe(0);
    expect(cognateScore('Berg', 'montagne')).toBe(0);
    expect(cognateScore('Kletterer', 'grimpeur')).toBe(0);
  });
});

describe('numbers and dates by value', () => {
  it('reads digits with thousands separators and decimals of several conventions', () => {
    expect(digitValues("1'000 Meter")).toEqual([1000]);
    expect(digitValues('10 000 habitants')).toEqual([10000, 10, 0]);
    expect(digitValues('1,000 people and 2.5 km')).toEqual([1000, 1, 2.5]);
    expect(digitValues('1.500 m')).toEqual([1500, 1.5]);
    expect(digitValues('4,45 Uhr')).toEqual([4.45]);
    expect(digitValues('Airbus A320')).toEqual([320]);
  });
  it('reads number words and ordinals of several languages', () => {
    expect(numberWordValue('sechsten', 'de')).toBe(6);
    expect(numberWordValue('septième', 'fr')).toBe(7);
    expect(numberWordValue('third', 'en')).toBe(3);
    expect(numberWordValue('tercera', 'es')).toBe(3);
    expect(numberWordValue('пятого', 'ru')).toBe(5);
    expect(numberWordValue('ein', 'de')).toBeNull();
    expect(numberWordValue('sechsten', 'xx')).toBeNull();
  });
  it('reads month names, leaving ambiguous ones to a nearby number', () => {
    expect(monthValue('september', 'de', false)).toBe(9);
    expect(monthValue('septembre', 'fr', false)).toBe(9);
    expect(monthValue('сентября', 'ru', false)).toBe(9);
    expect(monthValue('may', 'en', false)).toBeNull();
    expect(monthValue('may', 'en', true)).toBe(5);
  });
  it('gives a German and a French date the same terms', () => {
    const de = literals('Am 9. September 1988 , bei Tagesanbruch', 'de');
    const fr = literals('Au petit matin du 9 septembre 1988', 'fr');
    for (const t of ['#9', 'month:9', '#1988']) {
      expect(de).toContain(t);
      expect(fr).toContain(t);
    }
    expect(literals('des sechsten Grades', 'de')).toContain('#6');
    expect(literals('du 6e degré', 'fr')).toContain('#6');
    expect(literals('Siehe https://example.org/a?b=1.', 'en')).toContain('https://example.org/a?b=1');
  });
});

describe('quotation cues across conventions', () => {
  it('rewrites „…“, «…» and »…« to “…”', () => {
    expect(normaliseQuotes(['Er sagte: „Ja“.'])).toEqual(['Er sagte: “Ja”.']);
    expect(normaliseQuotes(['Il dit : « Oui » .'])).toEqual(['Il dit : “ Oui ” .']);
    expect(normaliseQuotes(['Er sagte: »Ja«.'])).toEqual(['Er sagte: “Ja”.']);
  });
  it('tracks the quotation state and questions at each boundary', () => {
    const { quote, question } = boundaryCues(['« Tu viens ?', 'Oui » .', 'Bien.']);
    expect([...quote]).toEqual([0, 1, 0, 0]);
    expect([...question]).toEqual([0, 1, 0, 0]);
  });
});

describe('language codes', () => {
  it('maps tags to base languages and FreeDict codes', () => {
    expect(baseLang('pt-BR')).toBe('pt');
    expect(baseLang('deu')).toBe('de');
    expect(iso3('de-CH')).toBe('deu');
    expect(iso3('xx')).toBe('xx');
  });
});

const DE = [
  'Michel Piola , Vernier',
  'Am 9. September 1988 verliessen wir die Hütte .',
  'Die Nordostwand ist ca. 600 m hoch .',
  'Wir kletterten sechs Stunden in der Wand .',
  'Der Gipfel war im Nebel .',
  'Daniel Anker und Michel Piola',
];
const FR = [
  'Michel Piola , Vernier',
  'Le 9 septembre 1988 , nous avons quitté la cabane .',
  "La face nord-est , haute d' environ 600 m .",
  'Nous avons grimpé six heures dans la paroi .',
  'Le sommet était dans le brouillard .',
  'Daniel Anker et Michel Piola',
];

describe('the generic model', () => {
  it('scores a translated pair above a wrong pair, with no dictionary', () => {
    const s = prepareGeneric(DE, FR, { a: 'de', b: 'fr' });
    expect(s.score(1, 2, 1, 2)).toBeGreaterThan(s.score(1, 2, 2, 3));
    expect(s.score(2, 3, 2, 3)).toBeGreaterThan(s.score(2, 3, 3, 4));
    expect(s.score(3, 4, 3, 4)).toBeGreaterThan(0); // "sechs" ~ "six": number words by value
  });
  it('adds dictionary matches when a dictionary is given', () => {
    const dir = join(root, 'dict');
    writeDeFr(dir);
    const lexicon = freedictLexicon('de', 'fr', dir);
    const plain = prepareGeneric(DE, FR, { a: 'de', b: 'fr' });
    const withDict = prepareGeneric(DE, FR, { a: 'de', b: 'fr' }, { lexicon });
    expect(plain.score(4, 5, 4, 5)).toBeLessThanOrEqual(0); // Gipfel / sommet: nothing alike
    expect(withDict.score(4, 5, 4, 5)).toBeGreaterThan(0);
    expect(createGenericModel({ lexicon }).name).toBe('generic+freedict:deu-fra+fra-deu');
  });
  it('aligns a small document 1-1, with its own DP weights', async () => {
    const beads = await alignSentenceLists(DE, FR, { a: 'de', b: 'fr' }, createGenericModel());
    expect(beads.map((b) => [b.a, b.b])).toEqual(DE.map((_, i) => [[i], [i]]));
    expect(weightsFor('generic')).not.toBe(weightsFor('lexical'));
  });
  it('learns from its own first pass (IBM Model 1) without losing what it had', () => {
    const s = prepareGeneric(DE, FR, { a: 'de', b: 'fr' });
    const beads = DE.map((_, i) => ({ a: [i], b: [i], confidence: 1 }));
    const t = s.retrain(beads);
    for (let i = 0; i < DE.length; i++) expect(t.score(i, i + 1, i, i + 1)).toBeGreaterThanOrEqual(s.score(i, i + 1, i, i + 1));
  });
});

describe('--model auto', () => {
  const saved = { model: process.env.MODEL_DIR, dict: process.env.DICT_DIR };
  beforeEach(() => {
    process.env.MODEL_DIR = join(root, 'no-models');
  });
  afterEach(() => {
    for (const [k, v] of [['MODEL_DIR', saved.model], ['DICT_DIR', saved.dict]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const dictDir = join(root, 'auto-dict');
  writeDeFr(dictDir);
  const empty = join(root, 'auto-empty');

  it('takes FreeDict + generic signals for a pair with a dictionary, and says so', async () => {
    const c = await chooseModel('auto', { a: 'de', b: 'fr' }, {}, { DICT_DIR: dictDir });
    expect(c.model.name).toBe('generic+freedict:deu-fra+fra-deu');
    expect(c.reason).toBe(`auto: no neural model installed; FreeDict deu-fra+fra-deu found in ${dictDir}`);
  });
  it('takes one direction when only one is installed', async () => {
    const c = await chooseModel('auto', { a: 'fr', b: 'de' }, {}, { DICT_DIR: dictDir });
    expect(c.model.name).toBe('generic+freedict:fra-deu+deu-fra');
  });
  it('falls back to the generic signals + length when no dictionary is installed, and says how to get one', async () => {
    const c = await chooseModel('auto', { a: 'de', b: 'fr' }, {}, { DICT_DIR: empty });
    expect(c.model.name).toBe('generic');
    expect(c.reason).toMatch(/^auto: no neural model installed; no FreeDict dictionary for de–fr in .*auto-empty \(Debian: dict-freedict-deu-fra or dict-freedict-fra-deu; or set DICT_DIR\): generic signals \+ length$/);
  });
  it('keeps CC-CEDICT for zh–en whatever dictionaries are installed', async () => {
    for (const langs of [{ a: 'zh', b: 'en' }, { a: 'en-GB', b: 'zh-CN' }]) {
      const c = await chooseModel('auto', langs, {}, { DICT_DIR: dictDir });
      expect(c.model.name).toBe('lexical');
      expect(c.reason).toBe('auto: no neural model installed; zh–en CC-CEDICT dictionary model');
    }
  });
  it("'lexical' is the pair's dictionary model; 'generic' the signals alone", async () => {
    expect((await chooseModel('lexical', { a: 'de', b: 'fr' }, {}, { DICT_DIR: dictDir })).model.name).toBe('generic+freedict:deu-fra+fra-deu');
    expect((await chooseModel('lexical', { a: 'de', b: 'fr' }, {}, { DICT_DIR: empty })).model.name).toBe('generic');
    expect((await chooseModel('generic', { a: 'de', b: 'fr' }, {}, { DICT_DIR: dictDir })).model.name).toBe('generic');
    await expect(chooseModel('magic', { a: 'de', b: 'fr' })).rejects.toThrow(/unknown model "magic"/);
  });
  it('reports the choice to alignTexts callers and stores the model name', async () => {
    process.env.DICT_DIR = dictDir;
    let reason = '';
    const r = await alignTexts(DE.join('\n'), FR.join('\n'), { aLang: 'de', bLang: 'fr', presplit: true, onModel: (c) => (reason = c.reason) });
    expect(r.model).toBe('generic+freedict:deu-fra+fra-deu');
    expect(reason).toMatch(/FreeDict deu-fra\+fra-deu found/);
  });
});

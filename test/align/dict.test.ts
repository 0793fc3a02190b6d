import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeDictNumber, Dictd, encodeDictNumber, entryTranslations } from '../../server/align/dict/dictd.js';
import { DictFormatError, openDictData } from '../../server/align/dict/dictzip.js';
import { dictDir, freedictFor, freedictLexicon, listFreedict } from '../../server/align/dict/freedict.js';
import { stemmerFor } from '../../server/align/generic/stem.js';
import { dictzip, writeDeFr, writeDictd } from '../helpers/dictd.js';
import { writeFileSync } from 'node:fs';

const root = mkdtempSync(join(tmpdir(), 'dictd-test-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('dictd numbers', () => {
  it('reads and writes dictd base64 numbers', () => {
    expect(decodeDictNumber('A')).toBe(0);
    expect(decodeDictNumber('C1')).toBe(2 * 64 + 53);
    expect(decodeDictNumber('bWIQ')).toBe(((27 * 64 + 22) * 64 + 8) * 64 + 16);
    for (const n of [0, 1, 63, 64, 4095, 123456789]) expect(decodeDictNumber(encodeDictNumber(n))).toBe(n);
    expect(() => decodeDictNumber('a-b')).toThrow(DictFormatError);
  });
});

describe('dictd data files', () => {
  const text = Buffer.from(Array.from({ length: 300 }, (_, i) => `line ${i} é ü\n`).join(''), 'utf8');
  it('reads any range of a dictzip file, across chunk borders, chunk by chunk', () => {
    const path = join(root, 'x.dict.dz');
    writeFileSync(path, dictzip(text, 100));
    const d = openDictData(path);
    for (const [off, len] of [[0, 10], [95, 20], [250, 700], [text.length - 5, 5], [0, text.length]] as const) {
      expect(d.read(off, len)).toBe(text.subarray(off, off + len).toString('utf8'));
    }
    d.close();
  });
  it('reads plain and gzip data files the same way', () => {
    for (const form of ['plain', 'gzip', 'dictzip'] as const) {
      const dir = join(root, `form-${form}`);
      writeDeFr(dir, form);
      const d = new Dictd(listFreedict(dir)[0]!);
      const refs = d.find({ words: new Set(['berg']) }).words.get('berg');
      expect(refs).toHaveLength(1);
      expect(d.entry(refs![0]!)).toMatch(/^Berg \/bɛʁk\/ <n, masc>\n1\. montagne, mont/);
      d.close();
    }
  });
  it('refuses a file that is not gzip with a clear message', () => {
    const path = join(root, 'bad.dict.dz');
    writeFileSync(path, Buffer.from([0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 2, 3, 10, 0, 0x52, 0x41, 6, 0, 9, 0, 0, 1, 1, 0, 5, 0]));
    expect(() => openDictData(path)).toThrow(/dictzip version 9/);
  });
});

describe('FreeDict entries', () => {
  it('takes numbered senses (WikDict) and drops definitions, pronunciations and annotations', () => {
    const e = 'Gipfel /ˈɡɪp͡fl̩/ <n, masc>\n1. sommet 2.\nhöchste Stelle\n 3.\npolitisches Treffen\n2. sommet, comble\nHöhepunkt\n3. croissant\nGebäck\n';
    expect(entryTranslations(e)).toEqual(['sommet', 'sommet', 'comble', 'croissant']);
  });
  it('takes the first line of an unnumbered entry, without notes and cross-references', () => {
    expect(entryTranslations('Berg /bˈɛɾk/ <masc, n, sg>\nheap <n>, pile <n>, mound <n>\n         Note: of sth.\n see: {Haufen}\n')).toEqual(['heap', 'pile', 'mound']);
    expect(entryTranslations('house /haus/\nдом\n')).toEqual(['дом']);
  });
});

describe('FreeDict lookups for a pair', () => {
  const dir = join(root, 'defr');
  writeDeFr(dir);
  it('finds both directions by ISO 639-3 file names', () => {
    const { forward, backward } = freedictFor('de', 'fr', dir);
    expect(forward?.from).toBe('deu');
    expect(backward?.from).toBe('fra');
    expect(freedictFor('fr-CH', 'de-DE', dir).forward?.from).toBe('fra');
    expect(freedictFor('de', 'es', dir)).toEqual({ forward: null, backward: null });
  });
  it('looks words up by headword, by stem and (German) by their longest known tail', () => {
    const lex = freedictLexicon('de', 'fr', dir)!;
    expect(lex.name).toBe('freedict deu-fra+fra-deu');
    const fr = stemmerFor('fr');
    const m = lex.translateA(['berge', 'nordwand', 'gipfel', 'hütten', 'xyzzy']);
    expect([...(m.get('berge') ?? [])]).toEqual([fr('montagne'), fr('mont'), fr('mine')]);
    expect(m.get('nordwand')).toEqual(new Set([fr('paroi'), fr('mur')]));
    expect(m.get('gipfel')).toEqual(new Set([fr('sommet'), fr('cime')]));
    expect(m.get('hütten')).toEqual(new Set([fr('cabane'), fr('refuge')]));
    expect(m.has('xyzzy')).toBe(false);
    const de = stemmerFor('de');
    expect(lex.translateB(['montagnes', 'cordées']).get('cordées')).toEqual(new Set([de('seilschaft')]));
  });
  it('finds the same in an index that is not sorted (read line by line instead of bisected)', () => {
    const unsorted = join(root, 'unsorted');
    writeDeFr(unsorted, 'dictzip', false);
    const words = ['berge', 'nordwand', 'gipfel', 'hütten', 'xyzzy', 'steigen'];
    const a = freedictLexicon('de', 'fr', dir)!.translateA(words);
    const b = freedictLexicon('de', 'fr', unsorted)!.translateA(words);
    expect(b).toEqual(a);
    expect(b.size).toBe(5);
  });
  it('bisects a sorted index to the first of several entries of a headword and to the ends of the file', () => {
    const many = join(root, 'many');
    const entries = ['aa', 'ab', 'berg', 'berg', 'berg', 'bergab', 'zz'].map((h, i) => ({ headword: h, text: `${h}\nt${i}` }));
    writeDictd(many, 'freedict-deu-fra', entries, 'plain');
    const d = new Dictd(listFreedict(many)[0]!);
    const f = d.find({ words: new Set(['berg', 'aa', 'zz', 'zzz', '0']) });
    expect(f.words.get('berg')?.map((r) => d.entry(r).trim().split('\n')[1]).sort()).toEqual(['t2', 't3', 't4']);
    expect(f.words.has('aa') && f.words.has('zz')).toBe(true);
    expect(f.words.has('zzz') || f.words.has('0')).toBe(false);
  });
  it('has no lexicon when no dictionary for the pair is installed', () => {
    expect(freedictLexicon('de', 'fr', join(root, 'empty'))).toBeNull();
    expect(listFreedict(join(root, 'does-not-exist'))).toEqual([]);
  });
  it('reads DICT_DIR, else Debian\'s folder', () => {
    expect(dictDir({ DICT_DIR: dir })).toBe(dir);
    expect(dictDir({})).toBe('/usr/share/dictd');
  });
  it('skips an index whose data file is missing', () => {
    const d2 = join(root, 'half');
    writeDictd(d2, 'freedict-eng-fra', [{ headword: 'rope', text: 'rope\ncorde' }], 'plain');
    rmSync(join(d2, 'freedict-eng-fra.dict'));
    expect(listFreedict(d2)).toEqual([]);
  });
});

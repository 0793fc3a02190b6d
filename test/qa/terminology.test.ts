import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { termFindings, terminologyCheck } from '../../server/qa/checks/terminology.js';
import {
  entryFromFields,
  GlossaryError,
  loadGlossary,
  parseGlossary,
  saveGlossary,
  serializeGlossary,
} from '../../server/qa/glossary.js';
import { DEFAULT_GLOSSARY_PATH } from '../../server/qa/config.js';
import { ctx, pair } from './helpers.js';

const TSV = [
  '# comment',
  'english\taccepted\tforbidden\tnote\tunless',
  'States Parties|State Party\t缔约国\t国家党\tparties to a treaty',
  'BRICS\t金砖国家\t金砖四国',
  'human rights\t人权\t权力',
  'WHO\t世卫组织|世界卫生组织',
  '\t\t双方\tonly for two sides\tboth sides|two sides',
].join('\n');

const g = parseGlossary(TSV);
const opts = terminologyCheck.defaults;
const run = (en: string, zh: string) => termFindings(pair(en, zh), g.entries, opts);

describe('glossary file', () => {
  it('parses entries, variants, notes and the unless column; skips comments and the header', () => {
    expect(g.entries).toHaveLength(5);
    expect(g.entries[0]).toEqual({ english: ['States Parties', 'State Party'], accepted: ['缔约国'], forbidden: ['国家党'], note: 'parties to a treaty', unless: [] });
    expect(g.entries[4]?.english).toEqual([]);
    expect(g.entries[4]?.unless).toEqual(['both sides', 'two sides']);
  });

  it('round-trips through serialize', () => {
    expect(parseGlossary(serializeGlossary(g)).entries).toEqual(g.entries);
  });

  it('rejects malformed lines with the line number', () => {
    expect(() => parseGlossary('one column only')).toThrow(/:1: expected 2 to 5/);
    expect(() => parseGlossary('a\t\t\t')).toThrow(GlossaryError);
    expect(() => parseGlossary('a\tx\tx')).toThrow(/both accepted and forbidden/);
  });

  it('validates form fields', () => {
    expect(entryFromFields({ english: 'UN', accepted: '联合国' }).accepted).toEqual(['联合国']);
    expect(() => entryFromFields({ english: '', accepted: '', forbidden: '' })).toThrow(GlossaryError);
    expect(() => entryFromFields({ english: 'x'.repeat(501), accepted: 'y' })).toThrow(/longer/);
    expect(() => entryFromFields({ english: 'a', accepted: 'b', note: 'two\nlines' })).toThrow(/line breaks/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'qa-glossary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('saves atomically (no temporary file left) and loads back', () => {
    const p = join(dir, 'sub', 'g.tsv');
    saveGlossary(g, p);
    expect(readdirSync(join(dir, 'sub'))).toEqual(['g.tsv']);
    expect(loadGlossary(p).entries).toEqual(g.entries);
    expect(readFileSync(p, 'utf8')).toContain('缔约国');
    expect(() => loadGlossary(join(dir, 'missing.tsv'))).toThrow(/cannot read glossary/);
  });

  it('ships a starter glossary of 30–60 valid entries with the demo corpus rules', () => {
    const starter = loadGlossary(DEFAULT_GLOSSARY_PATH);
    expect(starter.entries.length).toBeGreaterThanOrEqual(30);
    expect(starter.entries.length).toBeLessThanOrEqual(60);
    const byEn = (t: string) => starter.entries.find((e) => e.english.includes(t));
    expect(byEn('States Parties')?.forbidden).toContain('国家党');
    expect(byEn('BRICS')?.forbidden).toContain('金砖四国');
    expect(byEn('human rights')?.forbidden).toContain('权力');
    expect(byEn('politics and security')?.forbidden).toContain('政策安全');
    expect(byEn('OPCW')?.accepted).toContain('禁化武组织');
    expect(starter.entries.some((e) => e.english.length === 0 && e.forbidden.includes('双方'))).toBe(true);
  });

  it('starter glossary: 权力 is wrong for human rights, right where the English also speaks of powers', () => {
    const starter = loadGlossary(DEFAULT_GLOSSARY_PATH).entries;
    const check = (en: string, zh: string) => termFindings(pair(en, zh), starter, opts).filter((f) => f.targetSpan && zh.slice(f.targetSpan.start, f.targetSpan.end) === '权力');
    expect(check('the promotion of human rights', '促进权力')).toHaveLength(1);
    expect(check('the Human Rights Council and the powers of the General Assembly', '人权理事会和大会的权力')).toEqual([]);
  });
});

describe('terminology check', () => {
  it('flags a forbidden rendering where the English has the term, with both spans', () => {
    const en = 'called upon the States Parties to the Chemical Weapons Convention';
    const zh = '呼吁国家党《禁止化学武器公约》';
    const f = run(en, zh);
    expect(f).toHaveLength(1);
    expect(zh.slice(f[0]!.targetSpan!.start, f[0]!.targetSpan!.end)).toBe('国家党');
    expect(en.slice(f[0]!.sourceSpan!.start, f[0]!.sourceSpan!.end)).toBe('States Parties');
    expect(f[0]?.severity).toBe('major');
  });

  it('accepts the accepted rendering and ignores beads without the term', () => {
    expect(run('the States Parties', '缔约国')).toEqual([]);
    expect(run('the Ministers', '国家党')).toEqual([]);
  });

  it('flags 权力 only where the English says human rights', () => {
    expect(run('protection of human rights', '保护所有人的权力')).toHaveLength(1);
    expect(run('the power of the State', '国家的权力')).toEqual([]);
  });

  it('flags a missing accepted term (minor) but not twice when a forbidden one is found', () => {
    const f = run('BRICS cooperation', '合作');
    expect(f).toHaveLength(1);
    expect(f[0]?.severity).toBe('minor');
    expect(run('a BRICS agreement', '金砖四国协议').map((x) => x.severity)).toEqual(['major']);
  });

  it('matches a plain plural of the term', () => {
    expect(run('all the BRICS', '金砖四国')).toHaveLength(1);
    expect(termFindings(pair('the use of ICTs', '使用信通技术'), parseGlossary('ICT\t信息通信技术|信通技术').entries, opts)).toEqual([]);
    expect(termFindings(pair('the use of ICTs', '使用技术'), parseGlossary('ICT\t信息通信技术|信通技术').entries, opts)).toHaveLength(1);
  });

  it('does not read an acronym inside a hyphenated name as the acronym (UN-Habitat is not UN)', () => {
    const un = parseGlossary('UN\t联合国').entries;
    expect(termFindings(pair('UN-Habitat and UN-Women', '人居署和妇女署'), un, opts)).toEqual([]);
    expect(termFindings(pair('the UN-led process', '进程'), un, opts)).toHaveLength(1);
  });

  it('matches acronyms case-sensitively and Chinese across spaces', () => {
    expect(run('who met', '会见')).toEqual([]);
    expect(run('the WHO', '世卫组织')).toEqual([]);
    expect(run('the WHO', '世 卫组织')).toEqual([]);
  });

  it('forbids 双方 everywhere unless the English says both sides', () => {
    const f = run('They reaffirmed their commitment.', '双方重申承诺。');
    expect(f).toHaveLength(1);
    expect(f[0]?.sourceSpan).toBeNull();
    expect(run('Both sides reaffirmed their commitment.', '双方重申承诺。')).toEqual([]);
    expect(run('They supported bilateral negotiations.', '他们支持双边谈判。')).toEqual([]);
  });

  it('accepts 双方 for "they" in a document whose English opens a sentence with "The two sides" (a bilateral statement)', () => {
    const bilateral = [
      pair('1. The two sides held consultations in Geneva.', '1. 双方在日内瓦举行磋商。'),
      pair('2. They reaffirmed their commitment.', '2. 双方重申承诺。'),
    ];
    expect(terminologyCheck.run(bilateral, ctx(g), opts)).toEqual([]);
    // A document that only mentions both sides of something still gets every 双方 reported.
    const five = [
      pair('The Ministers called on parties on both sides of the conflict to show restraint.', '部长们呼吁冲突双方保持克制。'),
      pair('They reaffirmed their commitment.', '双方重申承诺。'),
    ];
    expect(terminologyCheck.run(five, ctx(g), opts).map((f) => f.beadId)).toEqual([five[1]!.id]);
  });
});

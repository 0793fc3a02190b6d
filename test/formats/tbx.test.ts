/**
 * Glossaries as TBX-Basic. No TBX-Basic schema is available here as a package, so the structure is
 * checked element by element against the TBX-Basic core structure (ISO 30042:2019, DCA style, and
 * the v2 <martif> form): element order, required attributes, ids, data-category values, dates. The
 * files are well formed (xmllint), and reading them back gives the same entries; files written by
 * other tools (v2 tig/ntig, a namespace prefix, other languages) are read too.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GlossaryEntry } from '../../server/domain.js';
import { readTbx, TBX_NAMESPACE, UNLESS_PREFIX, writeTbx } from '../../server/formats/tbx.js';
import { childElements, parseXml, textContent, type XmlElement } from '../../server/formats/xml.js';
import { loadGlossary } from '../../server/qa/glossary.js';
import { repoRoot } from './fixtures.js';

const ENTRIES: GlossaryEntry[] = [
  { english: ['States Parties', 'State Party'], accepted: ['缔约国'], forbidden: ['国家党'], note: 'treaty term; not a party <political> & co', unless: [] },
  { english: [], accepted: [], forbidden: ['双方'], note: '', unless: ['both sides', 'two sides'] },
  { english: ['R&D'], accepted: ['研发', '研究与开发'], forbidden: [], note: '"quoted" \'apostrophe\'', unless: [] },
  { english: ['human rights'], accepted: ['人权'], forbidden: ['权力'], note: '', unless: ['power', 'authority'] },
];
const STATUSES = new Set(['preferredTerm-admn-sts', 'admittedTerm-admn-sts', 'deprecatedTerm-admn-sts', 'supersededTerm-admn-sts']);
const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]*$/;

const names = (el: XmlElement): string[] => childElements(el).map((c) => c.name);

/** The element order rule of a section: auxiliary elements (transacGrp, note …) first, then `then`+. */
function expectAuxThen(el: XmlElement, then: string): void {
  const ns = names(el);
  const first = ns.indexOf(then);
  expect(first, `${el.name} has a ${then}`).toBeGreaterThanOrEqual(0);
  for (const n of ns.slice(0, first)) expect(['transacGrp', 'note', 'descrip', 'descripGrp', 'admin', 'adminGrp', 'ref', 'xref']).toContain(n);
  for (const n of ns.slice(first)) expect(n).toBe(then);
}

function checkV3(xml: string): void {
  const root = parseXml(xml, 'TBX');
  expect(root.name).toBe('tbx');
  expect(root.attrs).toMatchObject({ type: 'TBX-Basic', style: 'dca', xmlns: TBX_NAMESPACE, 'xml:lang': 'en' });
  expect(names(root)).toEqual(['tbxHeader', 'text']);
  const header = childElements(root, 'tbxHeader')[0]!;
  expect(names(header)).toEqual(['fileDesc']);
  const fileDesc = childElements(header, 'fileDesc')[0]!;
  expect(names(fileDesc)).toEqual(['titleStmt', 'sourceDesc']);
  expect(names(childElements(fileDesc, 'titleStmt')[0]!)).toEqual(['title']);
  expect(names(childElements(fileDesc, 'sourceDesc')[0]!)).toEqual(['p']);
  const text = childElements(root, 'text')[0]!;
  expect(names(text)).toEqual(['body']);
  const body = childElements(text, 'body')[0]!;
  const entries = childElements(body);
  expect(entries.length).toBeGreaterThan(0);
  const ids = new Set<string>();
  for (const entry of entries) {
    expect(entry.name).toBe('conceptEntry');
    expect(entry.attrs.id).toMatch(NCNAME);
    expect(ids.has(entry.attrs.id!)).toBe(false);
    ids.add(entry.attrs.id!);
    expectAuxThen(entry, 'langSec');
    for (const tg of childElements(entry, 'transacGrp')) {
      expect(names(tg)[0]).toBe('transac');
      expect(childElements(tg, 'transac')[0]!.attrs.type).toBe('transactionType');
      expect(['origination', 'modification']).toContain(textContent(childElements(tg, 'transac')[0]!));
      for (const d of childElements(tg, 'date')) expect(textContent(d)).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      for (const n of childElements(tg, 'transacNote')) expect(n.attrs.type).toBe('responsibility');
    }
    for (const sec of childElements(entry, 'langSec')) {
      expect(sec.attrs['xml:lang']).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
      expectAuxThen(sec, 'termSec');
      for (const ts of childElements(sec, 'termSec')) {
        const ns = names(ts);
        expect(ns[0]).toBe('term');
        expect(textContent(childElements(ts, 'term')[0]!).trim()).not.toBe('');
        // term, then termNotes, then auxiliary elements.
        const lastNote = ns.lastIndexOf('termNote');
        expect(ns.slice(1, lastNote + 1).every((n) => n === 'termNote')).toBe(true);
        for (const tn of childElements(ts, 'termNote')) {
          expect(tn.attrs.type).toBe('administrativeStatus'); // a TBX-Basic data category
          expect(STATUSES.has(textContent(tn))).toBe(true);
        }
      }
    }
  }
}

describe('TBX-Basic export', () => {
  it('writes v3 (ISO 30042:2019, DCA) with the core structure, well formed for xmllint', () => {
    const xml = writeTbx(
      ENTRIES.map((e, i) => ({ ...e, updatedAt: `2026-0${i + 1}-02T10:00:00.000Z`, updatedBy: i ? 'Ann' : '' })),
      { title: 'UN <terms> & more', now: new Date('2026-05-01T00:00:00Z') },
    );
    checkV3(xml);
    const dir = mkdtempSync(join(tmpdir(), 'tbx-'));
    try {
      writeFileSync(join(dir, 'g.tbx'), xml);
      execFileSync('xmllint', ['--noout', join(dir, 'g.tbx')]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // The entry without English has only a Chinese section; deprecated and preferred terms as written.
    expect(xml).toContain('<termSec><term>国家党</term><termNote type="administrativeStatus">deprecatedTerm-admn-sts</termNote></termSec>');
    expect(xml).toContain('<termSec><term>缔约国</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec>');
    expect(xml).toContain('<termSec><term>研究与开发</term><termNote type="administrativeStatus">admittedTerm-admn-sts</termNote></termSec>');
    expect(xml).toContain(`<note>${UNLESS_PREFIX}both sides | two sides</note>`);
    expect(xml).toContain('<term>R&amp;D</term>');
  });

  it('writes v2 (<martif>) with the same entries, well formed', () => {
    const xml = writeTbx(ENTRIES, { title: 'v2', version: 2 });
    const root = parseXml(xml, 'TBX');
    expect(root.name).toBe('martif');
    expect(root.attrs).toMatchObject({ type: 'TBX-Basic', 'xml:lang': 'en' });
    expect(names(root)).toEqual(['martifHeader', 'text']);
    const entries = childElements(childElements(childElements(root, 'text')[0]!, 'body')[0]!);
    expect(entries.map((e) => e.name).every((n) => n === 'termEntry')).toBe(true);
    for (const e of entries) {
      expectAuxThen(e, 'langSet');
      for (const ls of childElements(e, 'langSet')) for (const t of childElements(ls)) expect(t.name).toBe('tig');
    }
    expect(readTbx(xml).entries).toEqual(ENTRIES);
  });

  it('round-trips the starter glossary and tricky entries exactly (v3 and v2)', () => {
    const starter = loadGlossary(join(repoRoot, 'glossary/un-diplomatic.tsv')).entries;
    for (const version of [3, 2] as const) {
      expect(readTbx(writeTbx(starter, { title: 's', version })).entries).toEqual(starter);
      const back = readTbx(writeTbx(ENTRIES, { title: 't', version }));
      expect(back.entries).toEqual(ENTRIES);
      expect(back.title).toBe('t');
    }
  });

  it('refuses an empty glossary (a TBX body needs an entry)', () => {
    expect(() => writeTbx([], { title: 'x' })).toThrow(/needs at least one entry/);
  });
});

describe('TBX import from other tools', () => {
  it('reads v2 tig and ntig/termGrp, a namespace prefix, regional language tags; leaves other languages out', () => {
    const v2 = `<?xml version="1.0" encoding="UTF-8"?>
<martif type="TBX-Basic" xml:lang="en-US"><martifHeader><fileDesc><sourceDesc><p>memoQ</p></sourceDesc></fileDesc></martifHeader>
<text><body>
  <termEntry id="e1"><descrip type="subjectField">law</descrip>
    <langSet xml:lang="en-US"><tig><term>Member States</term><termNote type="partOfSpeech">noun</termNote></tig></langSet>
    <langSet xml:lang="zh-CN"><ntig><termGrp><term>会员国</term><termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termGrp></ntig>
      <tig><term>成员国</term><termNote type="administrativeStatus">supersededTerm-admn-sts</termNote></tig></langSet>
    <langSet xml:lang="fr"><tig><term>États membres</term></tig></langSet>
  </termEntry>
  <termEntry id="e2"><langSet xml:lang="de"><tig><term>nur Deutsch</term></tig></langSet></termEntry>
</body></text></martif>`;
    const r = readTbx(v2);
    expect(r.entries).toEqual([{ english: ['Member States'], accepted: ['会员国'], forbidden: ['成员国'], note: '', unless: [] }]);
    expect(r.skipped).toBe(1);
    expect(r.otherLanguages).toEqual(['fr', 'de']);
    const prefixed = `<t:tbx xmlns:t="${TBX_NAMESPACE}" type="TBX-Basic" style="dca" xml:lang="en"><t:tbxHeader><t:fileDesc><t:sourceDesc><t:p>x</t:p></t:sourceDesc></t:fileDesc></t:tbxHeader>
<t:text><t:body><t:conceptEntry id="c1"><t:langSec xml:lang="en"><t:termSec><t:term>WHO</t:term></t:termSec></t:langSec><t:langSec xml:lang="zh"><t:termSec><t:term>世卫组织</t:term></t:termSec></t:langSec></t:conceptEntry></t:body></t:text></t:tbx>`;
    expect(readTbx(prefixed).entries).toEqual([{ english: ['WHO'], accepted: ['世卫组织'], forbidden: [], note: '', unless: [] }]);
  });

  it('refuses what is not TBX, and DTDs (as every XML import)', () => {
    expect(() => readTbx('<tmx version="1.4"/>')).toThrow(/not a TBX file/);
    expect(() => readTbx('<?xml version="1.0"?><!DOCTYPE martif SYSTEM "x.dtd"><martif/>')).toThrow(/DOCTYPE/);
    expect(() => readTbx('<tbx><text></text></tbx>')).toThrow(/lacks its <text><body>/);
  });
});

import { describe, expect, it } from 'vitest';
import { childElements, parseXml, textContent, type XmlElement } from '../../server/formats/xml.js';
import { adversarialDoc, exportManyToString, exportToString, makeDoc, xmllint } from './fixtures.js';

function units(xml: string): XmlElement[] {
  const root = parseXml(xml);
  return childElements(root, 'file').flatMap((f) => childElements(f, 'unit'));
}
function segment(u: XmlElement): XmlElement {
  return childElements(u, 'segment')[0]!;
}

describe('XLIFF 2.0 export', () => {
  it('validates against the XLIFF 2.0 core schema, adversarial content included', async () => {
    const { doc, history } = adversarialDoc();
    const xml = await exportToString(doc, 'xliff', { history });
    expect(xmllint(xml, 'xliff')).toBe('');
    const root = parseXml(xml);
    expect(root.attrs).toMatchObject({ version: '2.0', srcLang: 'en', trgLang: 'zh-CN' });
    const us = units(xml);
    expect(us).toHaveLength(doc.beads.length);
    expect(textContent(childElements(segment(us[0]!), 'source')[0]!)).toBe('Plain <b>&amp;</b> text with ]]> inside.');
    expect(textContent(childElements(segment(us[2]!), 'target')[0]!)).toBe('表情 😀 和 𠀀𠀁𪚥 扩展B。');
    // whitespace-significant text is marked
    expect(childElements(segment(us[5]!), 'source')[0]!.attrs['xml:space']).toBe('preserve');
    expect(childElements(segment(us[0]!), 'source')[0]!.attrs['xml:space']).toBeUndefined();
  });

  it('maps review status to segment state as documented', async () => {
    const doc = makeDoc([
      { src: ['A.'], tgt: ['甲。'], status: 'automatic' },
      { src: ['B.'], tgt: [], status: 'automatic' },
      { src: ['C.'], tgt: ['丙。'], status: 'flagged' },
      { src: ['D.'], tgt: ['丁。'], status: 'confirmed' },
      { src: ['E.'], tgt: ['戊。'], status: 'confirmed' },
    ]);
    doc.issues = [
      { id: 'i1', beadId: 'b5', category: 'Style', severity: 'minor', comment: 'x', targetSpan: null, origin: 'human', check: null, status: 'open', author: 'a', createdAt: '2026-01-01T00:00:00Z' },
      { id: 'i2', beadId: 'b4', category: 'Style', severity: 'critical', comment: 'y', targetSpan: null, origin: 'human', check: null, status: 'resolved', author: 'a', createdAt: '2026-01-01T00:00:00Z' },
    ];
    const xml = await exportToString(doc, 'xliff');
    expect(xmllint(xml, 'xliff')).toBe('');
    const states = units(xml).map((u) => [segment(u).attrs.state, segment(u).attrs.subState ?? null]);
    expect(states).toEqual([
      ['translated', null],
      ['initial', null],
      ['translated', 'bitext-review:flagged'],
      ['final', null],
      ['reviewed', null],
    ]);
    const notes = childElements(childElements(units(xml)[4]!, 'notes')[0]!, 'note');
    expect(notes[0]!.attrs).toMatchObject({ category: 'issue', priority: '5', appliesTo: 'target' });
  });

  it('writes one <file> per document for several documents, and stays valid when the selection is empty', async () => {
    const a = makeDoc([{ src: ['A.'], tgt: ['甲。'], status: 'confirmed' }], { id: 'd1', name: 'one' });
    const b = makeDoc([{ src: ['B.'], tgt: ['乙。'] }], { id: 'd 2', name: 'two' });
    const xml = await exportManyToString([{ doc: a }, { doc: b }], 'xliff');
    expect(xmllint(xml, 'xliff')).toBe('');
    expect(childElements(parseXml(xml), 'file').map((f) => f.attrs.id)).toEqual(['f-d1', 'f-d_2']);
    const confirmed = await exportManyToString([{ doc: a }, { doc: b }], 'xliff', { confirmedOnly: true });
    expect(xmllint(confirmed, 'xliff')).toBe('');
    expect(units(confirmed).map((u) => u.attrs.name)).toEqual(['d1/b1', undefined]);
  });

  it('refuses a collection that mixes language pairs (XLIFF 2.0 holds one), unless the codes are set', async () => {
    const a = makeDoc([{ src: ['A.'], tgt: ['甲。'] }], { id: 'd1', name: 'one' });
    const b = makeDoc([{ src: ['B.'], tgt: ['乙。'] }], { id: 'd2', name: 'two' });
    const ja = { ...b, target: { ...b.target, lang: 'ja' } };
    await expect(exportManyToString([{ doc: a }, { doc: ja }], 'xliff')).rejects.toThrow(/document "two" is en→ja, not en→zh-CN: XLIFF 2\.0 holds one language pair/);
    const forced = await exportManyToString([{ doc: a }, { doc: ja }], 'xliff', { targetLang: 'zh-CN' });
    expect(xmllint(forced, 'xliff')).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { importTmx, ImportError } from '../../server/formats/index.js';
import { stripInvalidXmlChars, parseXml, childElements, textContent, type XmlElement } from '../../server/formats/xml.js';
import { adversarialDoc, exportManyToString, exportToString, issue, makeDoc, maskTimestamps, xmllint } from './fixtures.js';

function tus(xml: string): XmlElement[] {
  const root = parseXml(xml);
  return childElements(childElements(root, 'body')[0]!, 'tu');
}
function props(tu: XmlElement): Record<string, string> {
  return Object.fromEntries(childElements(tu, 'prop').map((p) => [p.attrs.type!, textContent(p)]));
}
function seg(tu: XmlElement, lang: string): string | undefined {
  const tuv = childElements(tu, 'tuv').find((t) => t.attrs['xml:lang'] === lang);
  return tuv ? textContent(childElements(tuv, 'seg')[0]!) : undefined;
}

/** What the DTD cannot check: header fields, srclang in every tu, tuid unique, TMX dates. */
function checkTmxInCode(xml: string): void {
  const root = parseXml(xml);
  expect(root.attrs.version).toBe('1.4');
  const header = childElements(root, 'header')[0]!;
  expect(header.attrs).toMatchObject({ segtype: 'sentence', datatype: 'plaintext', adminlang: 'en', creationtool: 'bitext-review' });
  const srclang = header.attrs.srclang!;
  expect(srclang).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/);
  const ids = new Set<string>();
  for (const tu of tus(xml)) {
    const langs = childElements(tu, 'tuv').map((t) => t.attrs['xml:lang']);
    expect(langs, `tu ${tu.attrs.tuid} lacks srclang ${srclang}`).toContain(srclang);
    expect(ids.has(tu.attrs.tuid!)).toBe(false);
    ids.add(tu.attrs.tuid!);
    expect(tu.attrs.creationdate).toMatch(/^\d{8}T\d{6}Z$/);
    expect(tu.attrs.changedate).toMatch(/^\d{8}T\d{6}Z$/);
  }
}

describe('TMX export', () => {
  it('writes a valid TMX 1.4 file for a plain document', async () => {
    const doc = makeDoc([
      { src: ['Hello world.'], tgt: ['你好，世界。'], status: 'confirmed' },
      { src: ['Second one.', 'Third.'], tgt: ['第二句。第三句。'] },
    ]);
    const xml = await exportToString(doc, 'tmx', { now: new Date('2026-02-03T04:05:06Z') });
    expect(xmllint(xml, 'tmx')).toBe('');
    checkTmxInCode(xml);
    expect(xml).toContain('<header creationtool="bitext-review" creationtoolversion="0.1.0" segtype="sentence" o-tmf="bitext-review" adminlang="en" srclang="en" datatype="plaintext" creationdate="20260203T040506Z"/>');
    const [t1, t2] = tus(xml);
    expect(seg(t1!, 'en')).toBe('Hello world.');
    expect(seg(t1!, 'zh-CN')).toBe('你好，世界。');
    expect(seg(t2!, 'en')).toBe('Second one. Third.');
    expect(props(t1!)).toMatchObject({ 'x-status': 'confirmed', 'x-confidence': '0.8000', 'x-paragraph': '1' });
    expect(props(t2!)['x-paragraph']).toBe('2');
    expect(props(t1!)['x-original-target']).toBeUndefined();
  });

  it('escapes, keeps astral characters and whitespace, strips XML-invalid characters, validates', async () => {
    const { doc, history } = adversarialDoc();
    const xml = await exportToString(doc, 'tmx', { history });
    expect(xmllint(xml, 'tmx')).toBe('');
    checkTmxInCode(xml);
    expect(xml).toContain('Plain &lt;b&gt;&amp;amp;&lt;/b&gt; text with ]]&gt; inside.');
    expect(xml).toContain('&quot;double&quot; and &apos;single&apos;');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    const rows = tus(xml);
    expect(rows).toHaveLength(7);
    for (const [i, tu] of rows.entries()) {
      const bead = doc.beads[i]!;
      const src = bead.source.map((s) => doc.source.sentences[s]!.text).join(' ');
      const tgt = bead.target.map((s) => doc.target.sentences[s]!.text).join('');
      expect(seg(tu, 'en')).toBe(stripInvalidXmlChars(src));
      expect(seg(tu, 'zh-CN')).toBe(stripInvalidXmlChars(tgt));
    }
    expect(seg(rows[2]!, 'zh-CN')).toContain('𠀀𠀁𪚥');
    expect(seg(rows[2]!, 'en')).toContain('👨‍👩‍👧');
    expect(seg(rows[5]!, 'en')).toBe('Controlchars and tab\tinside   two  spaces  ');
    // empty sides: an empty <seg/> so srclang is still present
    expect(seg(rows[3]!, 'zh-CN')).toBe('');
    expect(seg(rows[4]!, 'en')).toBe('');
  });

  it('writes per-bead dates and reviewers from the history, original output, notes', async () => {
    const { doc, history } = adversarialDoc();
    const xml = await exportToString(doc, 'tmx', {
      history,
      findings: [{ check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'critical', message: 'number 3 missing', beadId: 'b3', sourceSpan: null, targetSpan: null }],
    });
    const rows = tus(xml);
    expect(rows[0]!.attrs).toMatchObject({ tuid: 'b1', creationdate: '20260102T030405Z', changedate: '20260102T100000Z', changeid: 'alice', creationid: 'importer' });
    expect(rows[1]!.attrs).toMatchObject({ changedate: '20260102T113000Z', changeid: 'bob "the <reviewer>"' });
    expect(rows[3]!.attrs).toMatchObject({ changedate: '20260102T030405Z', changeid: 'importer' });
    expect(props(rows[1]!)['x-original-target']).toBe('机器 & 译文。');
    expect(props(rows[0]!)['x-original-target']).toBeUndefined();
    const notes0 = childElements(rows[0]!, 'note').map((n) => textContent(n));
    expect(notes0).toHaveLength(1);
    expect(notes0[0]).toContain('Accuracy/Mistranslation (major) by alice');
    expect(notes0[0]).toContain('<b>&amp;</b> "quotes"\nand a second line');
    const notes2 = childElements(rows[2]!, 'note').map((n) => textContent(n));
    expect(notes2).toEqual(['[qa numbers] Accuracy/Mistranslation (critical): number 3 missing']);
    expect(xmllint(xml, 'tmx')).toBe('');
  });

  it('honours confirmed-only, no-empty and language codes', async () => {
    const { doc } = adversarialDoc();
    const confirmed = tus(await exportToString(doc, 'tmx', { confirmedOnly: true }));
    expect(confirmed.map((t) => t.attrs.tuid)).toEqual(['b1', 'b7']);
    const noEmpty = tus(await exportToString(doc, 'tmx', { includeEmpty: false }));
    expect(noEmpty.map((t) => t.attrs.tuid)).toEqual(['b1', 'b2', 'b3', 'b6', 'b7']);
    const xml = await exportToString(doc, 'tmx', { sourceLang: 'en-GB', targetLang: 'zh-Hans' });
    expect(xml).toContain('srclang="en-GB"');
    expect(seg(tus(xml)[0]!, 'zh-Hans')).toContain('带有');
    expect(xmllint(xml, 'tmx')).toBe('');
  });

  it('an empty selection is still a valid TMX', async () => {
    const doc = makeDoc([{ src: ['A.'], tgt: ['甲。'] }]);
    const xml = await exportToString(doc, 'tmx', { confirmedOnly: true });
    expect(tus(xml)).toHaveLength(0);
    expect(xmllint(xml, 'tmx')).toBe('');
  });
});

describe('TMX import and round trip', () => {
  it('export → import → export gives the same file (timestamps aside)', async () => {
    const { doc, history } = adversarialDoc();
    doc.issues.push(issue('b6', 3, { author: 'dave at home', comment: 'tricky: at 2026 ]]> & <x>' }));
    const first = await exportToString(doc, 'tmx', { history });
    const imported = importTmx(first);
    expect(imported.document.beads).toHaveLength(7);
    expect(imported.document.beads.map((b) => b.status)).toEqual(doc.beads.map((b) => b.status));
    expect(imported.document.issues).toHaveLength(3);
    expect(imported.document.issues[2]).toMatchObject({ author: 'dave at home', comment: 'tricky: at 2026 ]]> & <x>' });
    expect(imported.document.source.lang).toBe('en');
    expect(imported.document.target.lang).toBe('zh-CN');
    const second = await exportToString(imported.document, 'tmx', { history: imported.history, extras: imported.extras });
    expect(maskTimestamps(second)).toBe(maskTimestamps(first));
    // and it is stable from then on
    const again = importTmx(second);
    const third = await exportToString(again.document, 'tmx', { history: again.history, extras: again.extras });
    expect(maskTimestamps(third)).toBe(maskTimestamps(second));
  });

  it('imports a TMX from another tool: languages chosen, props and notes kept, inline codes skipped', async () => {
    const foreign = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
<body>
<tu tuid="7" changeid="kim" changedate="20250101T120000Z"><prop type="x-project">Acme</prop><note>checked by Kim</note>
  <tuv xml:lang="EN-US"><seg>Press <bpt i="1">&lt;b&gt;</bpt>OK<ept i="1">&lt;/b&gt;</ept> now.</seg></tuv>
  <tuv xml:lang="DE-DE"><seg>Drücken Sie OK.</seg></tuv>
  <tuv xml:lang="ZH-CN"><prop type="x-context">ui</prop><seg>现在按 <ph x="1">{0}</ph>确定。</seg></tuv>
</tu>
<tu><tuv lang="EN-US"><seg>Second.</seg></tuv><tuv xml:lang="ZH-CN"><seg>第二。</seg></tuv></tu>
</body></tmx>`;
    expect(() => importTmx(foreign)).toThrow(/several target languages \(DE-DE, ZH-CN\): choose one/);
    const r = importTmx(foreign, { targetLang: 'zh' });
    const d = r.document;
    expect(d.source.lang).toBe('EN-US');
    expect(d.target.lang).toBe('ZH-CN');
    expect(d.beads.map((b) => b.id)).toEqual(['7', 'tu2']);
    expect(d.source.sentences.map((s) => s.text)).toEqual(['Press OK now.', 'Second.']);
    expect(d.target.sentences.map((s) => s.text)).toEqual(['现在按 确定。', '第二。']);
    for (const s of d.source.sentences) expect(d.source.text.slice(s.start, s.end)).toBe(s.text);
    expect(r.extras.get('7')).toEqual({ props: [{ type: 'x-project', value: 'Acme' }, { type: 'x-context', value: 'ui' }], notes: ['checked by Kim'] });
    const out = await exportToString(d, 'tmx', { history: r.history, extras: r.extras });
    expect(xmllint(out, 'tmx')).toBe('');
    expect(out).toContain('<prop type="x-project">Acme</prop>');
    expect(out).toContain('<note>checked by Kim</note>');
    expect(out).toContain('changeid="kim"');
    const swapped = importTmx(foreign, { sourceLang: 'zh-CN', targetLang: 'de' });
    expect(swapped.document.source.sentences[0]!.text).toBe('现在按 确定。');
    expect(swapped.document.target.sentences.map((s) => s.text)).toEqual(['Drücken Sie OK.']);
  });

  it('writes each document of a collection with its own languages', async () => {
    const a = makeDoc([{ src: ['A.'], tgt: ['甲。'] }], { id: 'd1', name: 'one' });
    const b = makeDoc([{ src: ['B.'], tgt: ['乙。'] }], { id: 'd2', name: 'two' });
    const ja = { ...b, target: { ...b.target, lang: 'ja' } };
    const xml = await exportManyToString([{ doc: a }, { doc: ja }], 'tmx');
    expect(xmllint(xml, 'tmx')).toBe('');
    const langs = tus(xml).map((tu) => childElements(tu, 'tuv').map((v) => v.attrs['xml:lang']));
    expect(langs).toEqual([['en', 'zh-CN'], ['en', 'ja']]);
  });

  it('gives rows a usable id when a tuid is not one (spaces, other scripts, too long, repeated), keeping the tuid as a prop', async () => {
    const unit = (tuid: string, n: number) =>
      `<tu tuid="${tuid}"><tuv xml:lang="en"><seg>S${n}.</seg></tuv><tuv xml:lang="zh-CN"><seg>句${n}。</seg></tuv></tu>`;
    const long = 'x'.repeat(80);
    const xml = `<?xml version="1.0"?><tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence" o-tmf="t" adminlang="en" srclang="en" datatype="plaintext"/><body>${[
      unit('ok-1', 1), unit('has space', 2), unit('编号3', 3), unit(long, 4), unit('ok-1', 5),
    ].join('')}</body></tmx>`;
    const r = importTmx(xml);
    const ids = r.document.beads.map((b) => b.id);
    expect(ids).toEqual(['ok-1', 'tu2', 'tu3', 'tu4', 'tu5']);
    expect(r.extras.get('tu2')?.props).toEqual([{ type: 'x-tuid', value: 'has space' }]);
    expect(r.extras.get('tu3')?.props).toEqual([{ type: 'x-tuid', value: '编号3' }]);
    expect(r.extras.get('tu4')?.props).toEqual([{ type: 'x-tuid', value: long }]);
    expect(r.extras.get('tu5')?.props).toEqual([{ type: 'x-tuid', value: 'ok-1' }]);
    const out = await exportToString(r.document, 'tmx', { history: r.history, extras: r.extras });
    expect(xmllint(out, 'tmx')).toBe('');
    expect(out).toContain('<prop type="x-tuid">has space</prop>');
  });
});

describe('TMX import refuses bad input with a clear ImportError', () => {
  const ok = (body: string, version = '1.4', header = 'srclang="en"') =>
    `<?xml version="1.0"?><tmx version="${version}"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" ${header} datatype="plaintext"/><body>${body}</body></tmx>`;
  const tu = '<tu><tuv xml:lang="en"><seg>A</seg></tuv><tuv xml:lang="zh"><seg>甲</seg></tuv></tu>';

  function refuse(input: string | Uint8Array, re: RegExp, opts: Parameters<typeof importTmx>[1] = {}): ImportError {
    let err: unknown;
    try {
      importTmx(input, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ImportError);
    expect((err as Error).message).toMatch(re);
    return err as ImportError;
  }

  it('accepts the minimal valid file these cases start from', () => {
    expect(importTmx(ok(tu)).document.beads).toHaveLength(1);
  });
  it('malformed XML', () => {
    refuse(ok(tu).replace('</seg></tuv></tu>', '</tuv></tu>'), /not well-formed at line 1: closing tag <\/tuv> does not match <seg>/);
    refuse(ok(tu).slice(0, -6), /never closed/);
    refuse(ok(tu.replace('A', 'A & B')), /"&"/);
    refuse(ok(tu.replace('A', '&nbsp;')), /undeclared entity &nbsp;/);
  });
  it('another TMX version', () => {
    expect(refuse(ok(tu, '1.1'), /unsupported TMX version "1.1": only TMX 1.4/).reason).toBe('version');
    refuse('<?xml version="1.0"?><xliff version="2.0"/>', /root element is <xliff>/);
  });
  it('missing languages', () => {
    refuse(ok(tu, '1.4', 'srclang="*all*"'), /no source language/);
    refuse(ok(tu, '1.4', 'srclang="fr"'), /source language "fr" not found; languages in the file: en, zh/);
    refuse(ok(tu), /target language "de" not found/, { targetLang: 'de' });
    refuse(ok('<tu><tuv><seg>A</seg></tuv></tu>'), /<tuv> without xml:lang/);
    refuse(ok('<tu><tuv xml:lang="en"><seg>A</seg></tuv></tu>'), /only one language/);
    refuse(ok(''), /no translation units/);
  });
  it('entity expansion ("billion laughs") and any DTD', () => {
    const lol = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><tmx version="1.4">&lol2;</tmx>`;
    expect(refuse(lol, /<!DOCTYPE> .*refused \(no DTD or entity processing\)/).reason).toBe('dtd');
    refuse(`<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "tmx14.dtd">${ok(tu).replace('<?xml version="1.0"?>', '')}`, /<!DOCTYPE>/);
    refuse(`<!ENTITY x SYSTEM "file:///etc/passwd">${ok(tu)}`, /<!ENTITY>/);
  });
  it('too large (checked before parsing)', () => {
    const big = Buffer.alloc(100 * 1024 * 1024 + 1, 0x20);
    expect(refuse(big, /too large \(100\.0 MB; the limit is 50\.0 MB\)/).reason).toBe('too-large');
    refuse(ok(tu), /too large/, { maxBytes: 100 });
  });
  it('wrong encoding', () => {
    const latin1 = Buffer.from(ok(tu.replace('A', 'Caf\u00e9')), 'latin1');
    expect(refuse(latin1, /not valid UTF-8 text \(wrong encoding\?\)/).reason).toBe('encoding');
    refuse(ok(tu).replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>'), /declares encoding "ISO-8859-1"/);
  });
  it('UTF-16 with a BOM is read', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ok(tu).replace('?>', ' encoding="UTF-16"?>'), 'utf16le')]);
    expect(importTmx(bytes).document.target.sentences[0]!.text).toBe('甲');
  });
});

describe('TMX import edge cases', () => {
  it('skips units empty in both chosen languages, keeps filtered exports importable', async () => {
    const { doc, history } = adversarialDoc();
    const confirmed = await exportToString(doc, 'tmx', { confirmedOnly: true, history });
    const r = importTmx(confirmed);
    expect(r.document.beads.map((b) => b.id)).toEqual(['b1', 'b7']);
    const xml = `<tmx version="1.4"><header creationtool="x" creationtoolversion="1" segtype="sentence" o-tmf="x" adminlang="en" srclang="en" datatype="plaintext"/><body>
      <tu><tuv xml:lang="en"><seg></seg></tuv><tuv xml:lang="zh"><seg/></tuv></tu>
      <tu><tuv xml:lang="en"><seg>A</seg></tuv><tuv xml:lang="zh"><seg>甲</seg></tuv></tu></body></tmx>`;
    expect(importTmx(xml).document.beads).toHaveLength(1);
  });
});

describe('TMX language tags', () => {
  it('refuses an xml:lang that is not a BCP 47 tag, naming the line', () => {
    const tmx = (lang: string) =>
      `<tmx version="1.4"><header srclang="en" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" creationtool="t" creationtoolversion="1"/><body>\n<tu><tuv xml:lang="en"><seg>A</seg></tuv><tuv xml:lang="${lang}"><seg>B</seg></tuv></tu></body></tmx>`;
    expect(importTmx(tmx('zh-CN')).document.target.lang).toBe('zh-CN');
    for (const bad of ['zh_CN', '../x', 'chinese language', 'x', 'zh-']) {
      expect(() => importTmx(tmx(bad))).toThrow(/is not a language tag \(BCP 47/);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { escapeAttr, escapeText, needsPreserve, parseXml, stripInvalidXmlChars, textContent, childElements } from '../../server/formats/xml.js';
import { ImportError, importTmx } from '../../server/formats/index.js';

describe('XML escaping', () => {
  it('escapes the five specials and CR; attributes also keep tabs and newlines', () => {
    expect(escapeText(`<a href="x">&'</a>\r`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;&#13;');
    expect(escapeAttr('a\tb\nc')).toBe('a&#9;b&#10;c');
  });
  it('strips characters XML 1.0 forbids, keeps astral characters', () => {
    expect(stripInvalidXmlChars('a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uD800g\uDC00h')).toBe('abcdefgh');
    expect(stripInvalidXmlChars('𠀀😀\t\n')).toBe('𠀀😀\t\n');
  });
  it('knows when whitespace must be preserved', () => {
    expect(needsPreserve('a b')).toBe(false);
    expect(needsPreserve(' a')).toBe(true);
    expect(needsPreserve('a  b')).toBe(true);
    expect(needsPreserve('a\tb')).toBe(true);
  });
});

describe('the strict XML reader', () => {
  it('reads comments, PIs, CDATA and character references; round-trips escaped text', () => {
    const root = parseXml(`<?xml version="1.0"?><!-- c --><r a='1 &amp; 2'><x><![CDATA[<b>&amp;</b>]]></x><y>&#x20000;&#65;&lt;</y><?pi x?></r>`);
    expect(root.attrs.a).toBe('1 & 2');
    expect(textContent(childElements(root, 'x')[0]!)).toBe('<b>&amp;</b>');
    expect(textContent(childElements(root, 'y')[0]!)).toBe('𠀀A<');
    const s = 'tricky ]]> & <x> "q" \'a\' 😀\r\n';
    expect(textContent(parseXml(`<t>${escapeText(s)}</t>`))).toBe(s);
  });
  it('reads CRLF and lone CR line ends as LF (XML 1.0 §2.11), but keeps &#13;', () => {
    expect(textContent(parseXml('<t>one\r\ntwo\rthree&#13;\r\n</t>'))).toBe('one\ntwo\nthree\r\n');
    expect(parseXml('<t a="x\r\ny"/>').attrs.a).toBe('x y');
  });
  it('refuses absurdly deep nesting with an ImportError (not a stack overflow in the TMX reader)', () => {
    const deep = (n: number) => `<tmx version="1.4"><header srclang="en"/><body><tu><tuv xml:lang="en"><seg>${'<hi>'.repeat(n)}x${'</hi>'.repeat(n)}</seg></tuv><tuv xml:lang="zh"><seg>y</seg></tuv></tu></body></tmx>`;
    expect(() => importTmx(deep(200_000))).toThrow(ImportError);
    expect(() => importTmx(deep(200_000))).toThrow(/nested deeper than/);
    expect(importTmx(deep(100)).document.source.text).toBe('x');
  });
  it.each([
    ['<a><b></a>', /does not match <b>/],
    ['<a x="1" x="2"/>', /duplicate attribute x/],
    ['<a x=1/>', /not quoted/],
    ['<a/><b/>', /more than one root/],
    ['text', /no root element|outside the root/],
    ['<a>&#0;</a>', /not an allowed XML character/],
    ['<a>\u0001</a>', /control character/],
    ['<a>]]></a>', /"\]\]>" in text/],
    ['<!DOCTYPE a><a/>', /<!DOCTYPE>/],
  ])('refuses %j', (xml, re) => {
    expect(() => parseXml(xml)).toThrow(ImportError);
    expect(() => parseXml(xml)).toThrow(re);
  });
});

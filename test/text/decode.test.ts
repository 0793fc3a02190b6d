import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  decodeBytes,
  detectLang,
  firstInvalidUtf8,
  isBlankText,
  normalizeText,
  readTextFile,
  readTextFiles,
  TextInputError,
} from '../../server/text/index.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
/** "中文测试。" in GB18030 (GBK range). */
const GB18030_BYTES = new Uint8Array([0xd6, 0xd0, 0xce, 0xc4, 0xb2, 0xe2, 0xca, 0xd4, 0xa1, 0xa3]);

function thrown(f: () => unknown): TextInputError {
  try {
    f();
  } catch (e) {
    if (e instanceof TextInputError) return e;
    throw e;
  }
  throw new Error('expected a TextInputError');
}

describe('decodeBytes', () => {
  it('decodes UTF-8 with and without BOM', () => {
    expect(decodeBytes(utf8('中文 text'), { name: 'a.txt' })).toBe('中文 text');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('中文')]);
    expect(normalizeText(decodeBytes(withBom, { name: 'a.txt' }))).toBe('中文');
  });

  it('rejects invalid UTF-8 naming the file and suggesting --encoding gb18030', () => {
    const e = thrown(() => decodeBytes(GB18030_BYTES, { name: 'corpus/zh.txt' }));
    expect(e.message).toContain('corpus/zh.txt');
    expect(e.message).toContain('--encoding gb18030');
    expect(e.message).toContain('offset 0');
    expect(e.message).not.toContain('\n');
    expect(e.file).toBe('corpus/zh.txt');
  });

  it('suggests a Western encoding too when the bytes do not read as Chinese', () => {
    // “Hi,” she said – café. in windows-1252
    const cp1252 = new Uint8Array([0x93, 0x48, 0x69, 0x2c, 0x94, 0x20, 0x73, 0x68, 0x65, 0x20, 0x73, 0x61, 0x69, 0x64, 0x20, 0x96, 0x20, 0x63, 0x61, 0x66, 0xe9, 0x2e]);
    const e = thrown(() => decodeBytes(cp1252, { name: 'en.txt' }));
    expect(e.message).toMatch(/^en\.txt: not valid UTF-8 .*--encoding windows-1252/);
    expect(decodeBytes(cp1252, { name: 'en.txt', encoding: 'windows-1252' })).toBe('“Hi,” she said – café.');
  });

  it('decodes GB18030 when the encoding is given', () => {
    expect(decodeBytes(GB18030_BYTES, { name: 'zh.txt', encoding: 'gb18030' })).toBe('中文测试。');
    expect(decodeBytes(GB18030_BYTES, { name: 'zh.txt', encoding: 'GB18030' })).toBe('中文测试。');
  });

  it('keeps a valid UTF-8 file as UTF-8 when a legacy encoding is given for the pair', () => {
    // One --encoding covers both files; the English side is usually UTF-8 with curly quotes and dashes.
    const en = utf8('States Parties – “CWC”');
    expect(decodeBytes(en, { name: 'en.txt', encoding: 'gb18030' })).toBe('States Parties – “CWC”');
    expect(decodeBytes(en, { name: 'en.txt', encoding: 'windows-1252' })).toBe('States Parties – “CWC”');
    expect(decodeBytes(GB18030_BYTES, { name: 'zh.txt', encoding: 'gb18030' })).toBe('中文测试。');
  });

  it('rejects an unknown encoding', () => {
    expect(thrown(() => decodeBytes(utf8('x'), { name: 'f', encoding: 'klingon' })).message).toMatch(/f: unknown encoding "klingon"/);
  });

  it('detects binary input (NUL bytes)', () => {
    const e = thrown(() => decodeBytes(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]), { name: 'img.png' }));
    expect(e.message).toMatch(/^img\.png: .*binary/);
  });

  it('decodes UTF-16 with a BOM rather than calling it binary', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x2d, 0x4e, 0x41, 0x00]); // "中A" UTF-16LE
    expect(decodeBytes(bytes, { name: 'u16.txt' })).toBe('中A');
  });

  it('locates the first invalid UTF-8 byte (overlong, surrogate, truncated)', () => {
    expect(firstInvalidUtf8(utf8('aé中😀'))).toBe(-1);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0xc0, 0x80]))).toBe(1);
    expect(firstInvalidUtf8(new Uint8Array([0x41, 0x42, 0xed, 0xa0, 0x80]))).toBe(2);
    expect(firstInvalidUtf8(new Uint8Array([0xe4, 0xb8]))).toBe(0);
  });

  it('empty input decodes to an empty string (callers decide whether that is an error)', () => {
    expect(decodeBytes(new Uint8Array(), { name: 'empty.txt' })).toBe('');
    expect(isBlankText(normalizeText(' \n\u3000\n'))).toBe(true);
    expect(isBlankText('x')).toBe(false);
  });
});

describe('normalizeText', () => {
  it('turns CRLF and CR into LF', () => {
    expect(normalizeText('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });
  it('turns NBSP and ideographic spaces into plain spaces without moving offsets', () => {
    const s = '\u3000\u3000第一段\u00a0text\u202f!';
    const n = normalizeText(s);
    expect(n).toBe('  第一段 text !');
    expect(n.length).toBe(s.length);
  });
  it('composes to NFC', () => {
    expect(normalizeText('Cafe\u0301')).toBe('Caf\u00e9');
  });
  it('drops a leading BOM and is idempotent', () => {
    const n = normalizeText('\ufeffa\r\n\u00a0b');
    expect(n).toBe('a\n b');
    expect(normalizeText(n)).toBe(n);
  });
});

describe('readTextFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'text-read-'));
  it('decodes and normalises a file', async () => {
    const p = join(dir, 'a.txt');
    writeFileSync(p, new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('一\r\n二')]));
    expect(await readTextFile(p)).toBe('一\n二');
  });
  it('reads GB18030 detected ("auto", the default) or with the encoding option; strict UTF-8 names the file', async () => {
    const p = join(dir, 'gb.txt');
    writeFileSync(p, GB18030_BYTES);
    expect(await readTextFile(p, { encoding: 'gb18030' })).toBe('中文测试。');
    expect(await readTextFile(p)).toBe('中文测试。');
    await expect(readTextFile(p, { encoding: 'utf-8' })).rejects.toThrow(/gb\.txt: not valid UTF-8.*--encoding gb18030/);
  });
  it('rejects a binary file', async () => {
    const p = join(dir, 'img.png');
    writeFileSync(p, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    await expect(readTextFile(p)).rejects.toThrow(/img\.png: contains NUL bytes.*not a text file/);
    await expect(readTextFile(p, { encoding: 'utf-8' })).rejects.toThrow(/img\.png: looks like a binary file/);
  });
  it('reads several files; when more than one fails, the first in the order given is named, whichever read ends first', async () => {
    const ok = join(dir, 'ok.txt');
    writeFileSync(ok, utf8('一'));
    const big = join(dir, 'big.bin');
    writeFileSync(big, new Uint8Array(4_000_000)); // read last: NUL bytes
    expect(await readTextFiles([ok, ok])).toEqual(['一', '一']);
    for (let i = 0; i < 5; i++) {
      await expect(readTextFiles([big, join(dir, 'missing.txt')])).rejects.toThrow(/big\.bin: contains NUL bytes/);
      await expect(readTextFiles([join(dir, 'missing.txt'), big])).rejects.toThrow(/missing\.txt: no such file/);
    }
  });
  it('reports a missing file or a directory as TextInputError', async () => {
    await expect(readTextFile(join(dir, 'nope.txt'))).rejects.toThrow(TextInputError);
    await expect(readTextFile(join(dir, 'nope.txt'))).rejects.toThrow(/nope\.txt: no such file/);
    await expect(readTextFile(dir)).rejects.toThrow(/is a directory/);
  });
});

describe('detectLang', () => {
  it('tells Chinese from English by script share', () => {
    expect(detectLang('外长们重申致力于推动国际反腐败合作。')).toBe('zh');
    expect(detectLang('The Ministers reaffirmed their commitment.')).toBe('en');
    // Chinese with embedded Latin acronyms is still Chinese (CJK weighted ×3).
    expect(detectLang('保护 CWC 的完整性和 COVID-19 大流行')).toBe('zh');
    expect(detectLang('The word 中国 means China in this English sentence about names.')).toBe('en');
    expect(detectLang('12345 !!!')).toBe('und');
    expect(detectLang('東京は日本の首都です。')).toBe('ja');
  });
});

describe('decodeBytes with encoding "auto"', () => {
  const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!.map((b) => Number.parseInt(b, 16)));
  const auto = (bytes: Uint8Array): string => decodeBytes(bytes, { name: 'f.txt', encoding: 'auto' });
  const refusal = /^f\.txt: .*choose the encoding: utf-8, gb18030, big5, shift_jis, euc-kr, windows-1252, utf-16le, utf-16be/;

  it('reads UTF-8 with and without a BOM, and UTF-16 with a BOM', () => {
    expect(auto(utf8('Señor 中文'))).toBe('Señor 中文');
    expect(auto(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('中文')]))).toBe('中文');
    expect(auto(new Uint8Array([0xff, 0xfe, ...hex('2d4e876520007400650078007400')]))).toBe('中文 text');
    expect(auto(new Uint8Array([0xfe, 0xff, 0x4e, 0x2d, 0x65, 0x87]))).toBe('中文');
  });

  it('reads Chinese GB18030', () => {
    expect(auto(hex('d6d0cec4b2e2cad4a1a3d5e2cac7d2bbb8f6bee4d7d3a3acb0fcbaacb1eab5e3b7fbbac5a1a3'))).toBe('中文测试。这是一个句子，包含标点符号。');
    expect(auto(new Uint8Array([...utf8('BRICS '), ...GB18030_BYTES]))).toBe('BRICS 中文测试。');
  });

  it('refuses Latin-1, Windows-1252 and Shift-JIS instead of reading them as GB18030, listing the encodings', () => {
    const latin1 = hex('5365f16f722047617263ed612c20bf7175e92074616c3f'); // Señor García, ¿qué tal?
    const cp1252 = hex('9348692c94207368652073616964209620636166e92080352e'); // “Hi,” she said – café €5.
    const sjis = hex('93fa967b8cea82cc8365834c8358836782c582b78142834a835e834a836982e08142'); // 日本語のテキストです。カタカナも。
    for (const bytes of [latin1, cp1252, sjis]) expect(thrown(() => auto(bytes)).message).toMatch(refusal);
    // and each reads right once chosen
    expect(decodeBytes(latin1, { name: 'f.txt', encoding: 'windows-1252' })).toBe('Señor García, ¿qué tal?');
    expect(decodeBytes(cp1252, { name: 'f.txt', encoding: 'windows-1252' })).toBe('“Hi,” she said – café €5.');
    expect(decodeBytes(sjis, { name: 'f.txt', encoding: 'shift_jis' })).toBe('日本語のテキストです。カタカナも。');
  });

  it('refuses UTF-16 without a BOM, naming it, and reads it once chosen', () => {
    const noBom = hex('2d4e876520007400650078007400');
    expect(thrown(() => auto(noBom)).message).toMatch(/UTF-16 without a byte order mark/);
    expect(thrown(() => auto(noBom)).message).toMatch(refusal);
    expect(decodeBytes(noBom, { name: 'f.txt', encoding: 'utf-16le' })).toBe('中文 text');
  });
});

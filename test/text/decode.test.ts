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
  it('reads GB18030 with the encoding option and names the file otherwise', async () => {
    const p = join(dir, 'gb.txt');
    writeFileSync(p, GB18030_BYTES);
    expect(await readTextFile(p, { encoding: 'gb18030' })).toBe('中文测试。');
    await expect(readTextFile(p)).rejects.toThrow(/gb\.txt: not valid UTF-8.*--encoding gb18030/);
  });
  it('rejects a binary file', async () => {
    const p = join(dir, 'img.png');
    writeFileSync(p, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]));
    await expect(readTextFile(p)).rejects.toThrow(/img\.png: looks like a binary file/);
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

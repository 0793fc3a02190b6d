import { describe, expect, it } from 'vitest';
import { csvField, tsvField } from '../../server/formats/delimited.js';
import { adversarialDoc, exportManyToString, exportToString, makeDoc } from './fixtures.js';

/** A small RFC 4180 reader, to check the CSV parses back to the same cells. */
function parseCsv(s: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let q = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (q) {
      if (c === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      }
      else if (c === '"') q = false;
      else cell += c;
    } else if (c === '"') q = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    }
    else cell += c;
  }
  return rows;
}

describe('CSV and TSV', () => {
  it('quotes CSV fields per RFC 4180', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' edge')).toBe('" edge"');
  });

  it('escapes TSV tabs, newlines and backslashes', () => {
    expect(tsvField('a\tb\nc\\d\re')).toBe('a\\tb\\nc\\\\d\\re');
  });

  it('CSV export parses back to the bead texts, with CRLF rows; BOM only on request', async () => {
    const { doc } = adversarialDoc();
    const csv = await exportToString(doc, 'csv');
    expect(csv.charCodeAt(0)).not.toBe(0xfeff);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual(['id', 'document', 'paragraph', 'status', 'confidence', 'en', 'zh', 'original_target', 'notes']);
    expect(rows).toHaveLength(doc.beads.length + 1);
    expect(rows[2]![5]).toBe('Ampersand & "double" and \'single\' quotes.');
    expect(rows[2]![7]).toBe('机器 & 译文。');
    expect(rows[1]![8]).toContain('comment 1 with <b>&amp;</b> "quotes"\nand a second line');
    expect(rows[3]![6]).toBe('表情 😀 和 𠀀𠀁𪚥 扩展B。');
    const bom = await exportToString(doc, 'csv', { bom: true });
    expect(bom.charCodeAt(0)).toBe(0xfeff);
    expect(bom.slice(1)).toBe(csv);
  });

  it('TSV export has one line per bead and as many cells per line', async () => {
    const { doc } = adversarialDoc();
    const tsv = await exportToString(doc, 'tsv', { includeEmpty: false, targetLang: 'zh-CN' });
    const lines = tsv.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(6);
    expect(lines[0]!.split('\t')[6]).toBe('zh-CN');
    for (const l of lines) expect(l.split('\t')).toHaveLength(9);
    expect(lines.find((l) => l.startsWith('b6\t'))).toContain('tab\\tinside');
  });
});

describe('spreadsheet formulas (CSV injection)', () => {
  const doc = () =>
    makeDoc([
      { src: ['=HYPERLINK("http://x","click")'], tgt: ['+1 加一'] },
      { src: ['-5 per cent'], tgt: ['@SUM(A1)'] },
      { src: ['Plain = not first.'], tgt: ['普通。'] },
    ]);

  it('writes the text unchanged without Excel mode (CSV and TSV are data for other tools)', async () => {
    const rows = parseCsv(await exportToString(doc(), 'csv'));
    expect(rows[1]![5]).toBe('=HYPERLINK("http://x","click")');
    expect(rows[2]![5]).toBe('-5 per cent');
    expect((await exportToString(doc(), 'tsv')).split('\n')[2]!.split('\t')[6]).toBe('@SUM(A1)');
  });

  it('prefixes an apostrophe to formula-like cells in Excel mode (bom, or excelSafe)', async () => {
    const rows = parseCsv((await exportToString(doc(), 'csv', { bom: true })).slice(1));
    expect(rows[1]![5]).toBe('\'=HYPERLINK("http://x","click")');
    expect(rows[1]![6]).toBe("'+1 加一");
    expect(rows[2]![5]).toBe("'-5 per cent");
    expect(rows[2]![6]).toBe("'@SUM(A1)");
    expect(rows[3]![5]).toBe('Plain = not first.');
    const tsv = (await exportToString(doc(), 'tsv', { excelSafe: true })).split('\n');
    expect(tsv[2]!.split('\t')[6]).toBe("'@SUM(A1)");
    expect(parseCsv((await exportToString(doc(), 'csv', { bom: true, excelSafe: false })).slice(1))[2]![5]).toBe('-5 per cent');
  });
});

describe('JSONL and bitext', () => {
  it('JSONL follows the Hugging Face translation convention', async () => {
    const { doc } = adversarialDoc();
    const lines = (await exportToString(doc, 'jsonl')).trimEnd().split('\n').map((l) => JSON.parse(l) as { id: string; translation: Record<string, string> });
    expect(lines).toHaveLength(7);
    expect(lines[0]).toEqual({ id: 'b1', translation: { en: 'Plain <b>&amp;</b> text with ]]> inside.', zh: '带有 <b>&amp;</b> 和 ]]> 的文本。' } });
    expect(Object.keys(lines[0]!.translation)).toEqual(['en', 'zh']);
    const many = await exportManyToString([{ doc }, { doc: makeDoc([{ src: ['X.'], tgt: ['十。'] }], { id: 'd2' }) }], 'jsonl', { confirmedOnly: true });
    expect(many.trimEnd().split('\n').map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['doc1/b1', 'doc1/b7']);
  });

  it('JSONL keeps one record per line for readers that split on U+0085, U+2028, U+2029 (escaped, same strings)', async () => {
    const doc = makeDoc([{ src: ['Line\u2028separator\u0085next.'], tgt: ['段落\u2029分隔。'] }, { src: ['Two.'], tgt: ['二。'] }]);
    const out = await exportToString(doc, 'jsonl');
    const lines = out.split(/\r\n|[\n\r\v\f\u001c-\u001e\u0085\u2028\u2029]/);
    expect(lines).toHaveLength(3);
    expect((JSON.parse(lines[0]!) as { translation: Record<string, string> }).translation).toEqual({ en: 'Line\u2028separator\u0085next.', zh: '段落\u2029分隔。' });
  });

  it('bitext writes line N = bead N on both sides, newlines flattened', async () => {
    const doc = makeDoc([
      { src: ['One.'], tgt: ['一。'] },
      { src: ['Two\nlines.'], tgt: [] },
      { src: [], tgt: ['三。'] },
    ]);
    const en = await exportToString(doc, 'bitext', { side: 'source' });
    const zh = await exportToString(doc, 'bitext', { side: 'target' });
    expect(en).toBe('One.\nTwo lines.\n\n');
    expect(zh).toBe('一。\n\n三。\n');
    expect(await exportToString(doc, 'bitext', { side: 'target', includeEmpty: false })).toBe('一。\n');
  });

  it('bitext keeps line N = bead N for readers that also split on VT, FF and U+001C–U+001E (Python splitlines)', async () => {
    const doc = makeDoc([
      { src: ['Page\fbreak.', 'Tab\u000bvertical.'], tgt: ['分页\u001c符。'] },
      { src: ['Two.'], tgt: ['二\u2028。'] },
    ]);
    for (const side of ['source', 'target'] as const) {
      const text = await exportToString(doc, 'bitext', { side });
      // Python's str.splitlines() boundaries.
      expect(text.split(/\r\n|[\n\r\v\f\u001c-\u001e\u0085\u2028\u2029]/)).toHaveLength(3);
    }
  });
});

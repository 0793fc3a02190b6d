/** One ImportError for every import: the text-pair pipeline throws the class the TMX/JSON readers throw. */
import { describe, expect, it } from 'vitest';
import { ImportError as FormatsImportError, importTmx } from '../../server/formats/index.js';
import { ImportError, MAX_TEXT_CHARS, prepareImport } from '../../server/import/index.js';

async function refusal(p: Promise<unknown>): Promise<ImportError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(ImportError);
  return e as ImportError;
}

describe('ImportError', () => {
  it('is one class, exported by both layers', () => {
    expect(ImportError).toBe(FormatsImportError);
    expect(() => importTmx(new TextEncoder().encode('<tmx version="1.3"></tmx>'))).toThrow(ImportError);
  });

  it('answers 413 for input that is too large and 422 for everything else', async () => {
    const big = await refusal(prepareImport({ name: 'x', source: 'A. '.repeat(MAX_TEXT_CHARS / 3 + 1), target: '甲。', model: 'length' }));
    expect([big.reason, big.status]).toEqual(['too-large', 413]);
    const noName = await refusal(prepareImport({ name: '  ', source: 'A.', target: '甲。', model: 'length' }));
    expect([noName.reason, noName.status, noName.message]).toEqual(['content', 422, 'the document needs a name']);
    const sameLang = await refusal(prepareImport({ name: 'x', source: 'A.', target: 'B.', sourceLang: 'en', targetLang: 'EN', model: 'length' }));
    expect([sameLang.reason, sameLang.status]).toEqual(['languages', 422]);
    const badBytes = await refusal(prepareImport({ name: 'x', source: new Uint8Array([0xc3, 0x28]), target: '甲。', model: 'length' }));
    expect([badBytes.reason, badBytes.status]).toEqual(['encoding', 422]);
    const empty = await refusal(prepareImport({ name: 'x', source: '   ', target: '甲。', model: 'length' }));
    expect([empty.reason, empty.status, empty.message]).toEqual(['content', 422, 'the source text is empty: it has no sentences']);
  });
});

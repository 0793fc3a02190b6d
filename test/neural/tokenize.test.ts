import { describe, expect, it, beforeAll } from 'vitest';
import { AutoTokenizer, env } from '@xenova/transformers';
import { fixtureModel } from './helpers.js';

interface Tok {
  (texts: string[], o: { padding: boolean; truncation: boolean }): { input_ids: { dims: number[]; data: BigInt64Array }; attention_mask: { data: BigInt64Array } };
  encode(text: string): number[];
  model: { convert_ids_to_tokens(ids: number[]): string[] };
}

let tok: Tok;
const tokens = (text: string): string[] => tok.model.convert_ids_to_tokens(tok.encode(text));

beforeAll(async () => {
  const { modelDir, modelId } = fixtureModel();
  env.localModelPath = `${modelDir}/`;
  env.allowRemoteModels = false;
  tok = (await AutoTokenizer.from_pretrained(modelId)) as unknown as Tok;
});

describe('fixture tokenizer through transformers.js', () => {
  it('splits English into lower-cased words and WordPiece continuations', () => {
    expect(tokens('The cat sat on the mat.')).toEqual(['[CLS]', 'the', 'cat', 'sat', 'on', 'the', 'mat', '.', '[SEP]']);
    // "meetings" is not in the vocab as a word: meeting + ##s.
    expect(tokens('Meetings')).toEqual(['[CLS]', 'meeting', '##s', '[SEP]']);
    // Digits: first piece, then continuations.
    expect(tokens('2020')).toEqual(['[CLS]', '2', '##0', '##2', '##0', '[SEP]']);
  });

  it('splits Chinese into single characters, punctuation apart, unknown characters to [UNK]', () => {
    expect(tokens('金砖国家外长会晤。')).toEqual(['[CLS]', '金', '砖', '国', '家', '外', '长', '会', '晤', '。', '[SEP]']);
    expect(tokens('你好，世界')).toEqual(['[CLS]', '你', '好', '，', '世', '界', '[SEP]']);
    expect(tokens('龘')).toEqual(['[CLS]', '[UNK]', '[SEP]']);
  });

  it('handles mixed Chinese and English text', () => {
    expect(tokens('BRICS国家2020年')).toEqual(['[CLS]', 'brics', '国', '家', '2', '##0', '##2', '##0', '年', '[SEP]']);
  });

  it('pads a batch on the right with [PAD] and masks the padding', () => {
    const enc = tok(['hello', '金砖国家外长会晤'], { padding: true, truncation: true });
    const [batch, seq] = enc.input_ids.dims;
    expect(batch).toBe(2);
    expect(seq).toBe(10);
    const ids = Array.from(enc.input_ids.data, Number);
    const mask = Array.from(enc.attention_mask.data, Number);
    expect(ids.slice(0, 10)).toEqual([...tok.encode('hello'), 0, 0, 0, 0, 0, 0, 0]);
    expect(mask.slice(0, 10)).toEqual([1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(mask.slice(10)).toEqual(new Array(10).fill(1));
  });

  it('truncates to model_max_length', () => {
    const enc = tok(['word '.repeat(500)], { padding: true, truncation: true });
    expect(enc.input_ids.dims[1]).toBe(128);
  });
});

/** The learnt table as the lexical model sees it: one more source of candidates beside CC-CEDICT. */
import { describe, expect, it } from 'vitest';
import { createLexicalModel } from '../../server/align/lexical/model.js';
import { Counts } from '../../server/learn/counts.js';
import { beadEvidence } from '../../server/learn/evidence.js';
import { CountsLexicon } from '../../server/learn/lexicon.js';

/** A table taught `rows` (zh, en). */
function table(rows: ReadonlyArray<readonly [string, string]>): CountsLexicon {
  const c = new Counts();
  for (const [zh, en] of rows) c.add(beadEvidence(zh, en));
  return new CountsLexicon(c.reader());
}

const langs = { a: 'zh', b: 'en' };
const score = async (lex: CountsLexicon | null, zh: string, en: string): Promise<number> =>
  (await createLexicalModel(lex ? { learned: lex } : {}).prepare([zh], [en], langs)).score(0, 1, 0, 1);

describe('the lexical model with a learnt table', () => {
  it('a rendering the dictionary lacks, confirmed in a few rows, adds to a bead’s score', async () => {
    // CC-CEDICT has no "dawn" among 天一亮's senses ("as soon as day breaks").
    const lex = table([
      ['天一亮，我们就出发。', 'At dawn we set out.'],
      ['天一亮他就醒了。', 'He woke at dawn.'],
      ['天一亮，鸟就开始叫。', 'The birds begin to sing at dawn.'],
    ]);
    const zh = '天一亮，船就离开了港口。';
    const en = 'At dawn the boat left the harbour.';
    const without = await score(null, zh, en);
    const withTable = await score(lex, zh, en);
    expect(withTable).toBeGreaterThan(without);
    expect(lex.last).toEqual({ rows: 3, words: expect.any(Number), pairs: expect.any(Number) });
    expect(lex.last!.pairs).toBeGreaterThan(0);
    // The same table, the same text: the same score.
    expect(await score(lex, zh, en)).toBe(withTable);
  });

  it('an empty table changes nothing', async () => {
    const zh = '天一亮，船就离开了港口。';
    const en = 'At dawn the boat left the harbour.';
    expect(await score(table([]), zh, en)).toBe(await score(null, zh, en));
  });

  it('a sense the translators never used fades once the rows outnumber the prior', async () => {
    // 看 is "see, look, read, watch, visit …"; these rows render it "look" only.
    const rows: Array<[string, string]> = [];
    for (let i = 0; i < 60; i++) rows.push([`他看了看第${i}号船。`, `He looked at boat ${i}.`]);
    const lex = table(rows);
    const few = table(rows.slice(0, 2));
    const zh = '他看大海。';
    const en = 'He watches the sea.';
    const none = await score(null, zh, en);
    // 看–watch and 海–sea: two matches of equal IDF.
    expect(none).toBeCloseTo(2 * Math.log(2), 10);
    expect(await score(few, zh, en)).toBeGreaterThan(0.9 * none);
    expect(await score(lex, zh, en)).toBeLessThan(0.7 * none);
  });
});

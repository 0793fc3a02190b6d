import { describe, expect, it } from 'vitest';
import { zhWordToken } from '../../server/align/lexical/dictionary.js';
import { Counts, CountsBuilder } from '../../server/learn/counts.js';
import { beadEvidence, decodeEvidence, encodeEvidence, RESIDUE, type BeadEvidence } from '../../server/learn/evidence.js';
import { PAIRS } from './fixtures.js';

/** The pairs by name. */
const named = (ev: BeadEvidence): string[][] => ev.pairs.map(([i, j]) => [ev.words[i]!, ev.terms[j]!]);

describe('what a confirmed row teaches', () => {
  it('counts each word and term once, links dictionary senses, and pairs the small residue', () => {
    const ev = beadEvidence('老渔夫天一亮就走到了港口。', 'The old fisherman walked to the harbour at dawn.');
    expect(ev.words).toEqual(['到', '天一亮', '渔夫', '港口', '老', '走']);
    expect(ev.terms).toEqual(['dawn', 'fisherman', 'harbour', 'old', 'walk']);
    // Dictionary links …
    for (const p of [['渔夫', 'fisherman'], ['港口', 'harbour'], ['老', 'old'], ['走', 'walk']]) expect(named(ev)).toContainEqual(p);
    // … and the residue: 天一亮 ("at daybreak") meets "dawn", which no dictionary sense explains.
    expect(named(ev)).toContainEqual(['天一亮', 'dawn']);
    // A word the dictionary explains is not paired with what is left over.
    expect(named(ev)).not.toContainEqual(['渔夫', 'dawn']);
    // Pairs are sorted and distinct.
    expect(ev.pairs).toEqual([...new Map(ev.pairs.map((p) => [p.join(), p])).values()].sort((x, y) => x[0] - y[0] || x[1] - y[1]));
  });

  it('learns nothing from numbers and dates (they match literally) and keeps sorted, distinct lists', () => {
    const ev = beadEvidence('2020年9月4日，三个人，三个人。', 'On 4 September 2020, three people, three people.');
    expect(ev.terms).toEqual(['person']);
    expect(ev.words).toEqual([...new Set(ev.words)].sort());
    expect(named(ev)).toContainEqual(['人', 'person']);
  });

  it('a long residue (free translation) teaches no pairs beyond the dictionary links', () => {
    const zh = '她一边叹气一边收拾那些旧得发黄的信纸，心里却翻来覆去地想着从前那些说不清道不明的事情和早已模糊的面孔。';
    const en = 'Sighing, she tidied the yellowed letters, though her thoughts kept circling back to murky episodes and half-forgotten faces from long ago.';
    const ev = beadEvidence(zh, en);
    expect(ev.words.length).toBeGreaterThan(2 * RESIDUE);
    for (const [w, e] of named(ev)) expect(zhWordToken(w!).terms).toContain(e);
    // With no limit the same row would pair every leftover word with every leftover term.
    expect(beadEvidence(zh, en, 100).pairs.length).toBeGreaterThan(ev.pairs.length + 20);
  });

  it('is the same every time (a pure function of the two texts), and its stored record reads back as it was', () => {
    for (const [en, zh] of PAIRS) {
      const ev = beadEvidence(zh, en);
      expect(ev).toEqual(beadEvidence(zh, en));
      expect(decodeEvidence(encodeEvidence(ev))).toEqual(ev);
    }
    const empty = { words: [], terms: [], pairs: [] };
    expect(decodeEvidence(encodeEvidence(empty))).toEqual(empty);
  });
});

describe('counts', () => {
  it('adding rows and taking them back, in any order, leaves the counts as they were', () => {
    const evs = PAIRS.map(([en, zh]) => beadEvidence(zh, en));
    const c = new Counts();
    c.add(evs[0]!);
    const before = JSON.stringify([c.beads, [...c.words], [...c.terms], [...c.pairs].map(([w, r]) => [w, [...r]])]);
    for (const ev of evs.slice(1)) c.add(ev);
    for (const ev of evs.slice(1).reverse()) c.add(ev, -1);
    expect(JSON.stringify([c.beads, [...c.words], [...c.terms], [...c.pairs].map(([w, r]) => [w, [...r]])])).toBe(before);
  });

  it('a rebuild’s builder sums the same counts, sorted by text', () => {
    const c = new Counts();
    const b = new CountsBuilder();
    for (const [en, zh] of PAIRS) {
      const ev = beadEvidence(zh, en);
      c.add(ev);
      b.add(ev);
    }
    const byText = <T>(xs: Array<[string, T]>): Array<[string, T]> => [...xs].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    const sorted = b.sorted();
    expect(b.beads).toBe(c.beads);
    expect(sorted.words).toEqual(byText([...c.words]));
    expect(sorted.terms).toEqual(byText([...c.terms]));
    expect(sorted.pairs).toEqual(byText([...c.pairs]).flatMap(([w, row]) => byText([...row]).map(([e, n]) => [w, e, n])));
  });

  it('a reader gives the asked words and terms, and the pairs a query asks for', async () => {
    const c = new Counts();
    for (const [en, zh] of PAIRS) c.add(beadEvidence(zh, en));
    const r = c.reader();
    const m = await r.marginals(['渔夫', '港口', '不在'], ['fisherman', 'harbour']);
    expect(m.beads).toBe(PAIRS.length);
    expect([...m.words.keys()].sort()).toEqual(['渔夫', '港口']);
    expect(m.words.get('渔夫')).toBe(3);
    expect(m.terms.get('fisherman')).toBe(3);
    const p = await r.pairs({ minCount: new Map([['渔夫', 2], ['港口', 2]]), terms: ['fisherman', 'harbour', 'dawn'], pairs: [] });
    expect(p.get('渔夫')).toEqual(new Map([['fisherman', 3]]));
    // 港口–dawn was counted once: not read by a minimum, read when asked for by name.
    expect(c.pairs.get('港口')?.get('dawn')).toBe(1);
    expect(p.get('港口')).toEqual(new Map([['harbour', 2]]));
    expect((await r.pairs({ minCount: new Map([['港口', 3]]), terms: ['harbour'], pairs: [['港口', 'dawn']] })).get('港口')).toEqual(new Map([['dawn', 1]]));
  });
});

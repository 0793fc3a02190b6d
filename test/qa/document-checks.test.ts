import { describe, expect, it } from 'vitest';
import { alignmentCheck, alignmentFindings } from '../../server/qa/checks/alignment.js';
import { consistencyCheck, sentenceConsistency, termConsistency } from '../../server/qa/checks/consistency.js';
import { lengthRatioCheck, lengthRatioFindings, median } from '../../server/qa/checks/length-ratio.js';
import { parseGlossary } from '../../server/qa/glossary.js';
import { pair } from './helpers.js';

describe('consistency', () => {
  const opts = consistencyCheck.defaults;
  it('reports the minority translation of a repeated English sentence', () => {
    const en = 'The Ministers reaffirmed their commitment to multilateralism.';
    const pairs = [pair(en, '部长们重申致力于多边主义。'), pair(en, '部长们重申致力于多边主义。'), pair(en, '外长们重申支持多边主义。')];
    const f = sentenceConsistency(pairs, opts);
    expect(f).toHaveLength(1);
    expect(f[0]?.beadId).toBe(pairs[2]!.id);
  });

  it('reports one Chinese text used for different English', () => {
    const pairs = [pair('They welcomed the report.', '他们欢迎该报告的发布。'), pair('They noted the report.', '他们欢迎该报告的发布。')];
    expect(sentenceConsistency(pairs, opts)).toHaveLength(1);
  });

  it('ignores identical translations, short sentences and label differences', () => {
    const pairs = [pair('1. The Ministers met in Moscow today.', '1. 部长们今天在莫斯科会晤。'), pair('2. The Ministers met in Moscow today.', '2. 部长们今天在莫斯科会晤。'), pair('Yes.', '是。'), pair('Yes.', '对。')];
    expect(sentenceConsistency(pairs, opts)).toEqual([]);
  });

  it('reports a name rendered with different accepted variants, not common nouns or shared renderings', () => {
    const g = parseGlossary(['COVID-19\t2019冠状病毒病|新冠肺炎', 'pandemic\t大流行|疫情', 'WTO\t世贸组织|世界贸易组织', 'World Trade Organization\t世界贸易组织|世贸组织'].join('\n'));
    const pairs = [
      pair('the COVID-19 pandemic', '2019冠状病毒病大流行'),
      pair('the COVID-19 pandemic', '2019冠状病毒病大流行'),
      pair('the COVID-19 pandemic', '新冠肺炎疫情'),
      pair('the WTO', '世贸组织'),
      pair('the WTO and the World Trade Organization', '世界贸易组织'),
    ];
    const f = termConsistency(pairs, g.entries, opts);
    expect(f).toHaveLength(1);
    expect(f[0]?.beadId).toBe(pairs[2]!.id);
    expect(f[0]?.message).toContain('新冠肺炎');
  });

  it('accepts the full name at the first mention and the short form after (安全理事会 … 安理会), not the reverse', () => {
    const g = parseGlossary('Security Council\t安理会|安全理事会');
    const sc = (zh: string) => pair('The Security Council met.', zh);
    expect(termConsistency([sc('安全理事会开会。'), sc('安理会开会。'), sc('安理会再次开会。')], g.entries, opts)).toEqual([]);
    const late = [sc('安理会开会。'), sc('安全理事会开会。'), sc('安理会再次开会。')];
    expect(termConsistency(late, g.entries, opts).map((f) => f.beadId)).toEqual([late[1]!.id]);
  });
});

describe('length ratio', () => {
  const opts = lengthRatioCheck.defaults;
  const normal = Array.from({ length: 12 }, (_, i) => pair('The Ministers discussed cooperation in many areas'.slice(0, 40 + (i % 3)), '部长们讨论了许多领域的合作问题'));
  it('computes a median', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('flags a bead far shorter than the document norm as a possible omission', () => {
    const short = pair('The Ministers discussed cooperation in many areas and much else besides, at length.', '部长们。');
    const f = lengthRatioFindings([...normal, short], opts);
    expect(f.map((x) => x.beadId)).toEqual([short.id]);
    expect(f[0]?.category).toBe('Accuracy/Omission');
  });

  it('flags nothing in a uniform document or one too small to judge', () => {
    expect(lengthRatioFindings(normal, opts)).toEqual([]);
    expect(lengthRatioFindings([pair('The Ministers discussed cooperation in many areas.', '部长们。')], opts)).toEqual([]);
  });
});

describe('alignment', () => {
  const opts = alignmentCheck.defaults;
  it('flags 1-0 and 0-1 beads and low confidence', () => {
    const f = alignmentFindings([pair('They met.', ''), pair('', '他们会晤。'), pair('They met.', '他们会晤。', { confidence: 0.05 })], opts);
    expect(f.map((x) => x.category)).toEqual(['Accuracy/Omission', 'Accuracy/Addition', 'Accuracy/Omission']);
    expect(f[2]?.severity).toBe('minor');
  });
  it('reports an empty-counterpart row as a whole sentence omitted or added, the span covering it', () => {
    const [omitted, added] = alignmentFindings([pair('They met in Moscow.', ''), pair('', '他们会晤。')], opts);
    expect(omitted?.message).toBe('Omitted sentence: "They met in Moscow." has no translation');
    expect(omitted?.sourceSpan).toEqual({ start: 0, end: 'They met in Moscow.'.length });
    expect(omitted?.severity).toBe('major');
    expect(added?.message).toBe('Added sentence: "他们会晤。" has no counterpart in the source');
    expect(added?.targetSpan).toEqual({ start: 0, end: 5 });
  });
  it('is quiet on confident 1-1 beads', () => {
    expect(alignmentFindings([pair('They met.', '他们会晤。', { confidence: 0.9 }), pair('They met.', '他们会晤。')], opts)).toEqual([]);
  });
});

/**
 * The omission and addition check (server/qa/checks/omission.ts) on single beads: what a translation
 * leaves out is named as a contiguous phrase of the English, weighed by how much it says; a faithful
 * or paraphrased translation raises nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/domain.js';
import { loadQaConfig, runChecksOnPairs } from '../../server/qa/index.js';
import { pair } from './helpers.js';

const config = loadQaConfig();
const omissions = (en: string, zh: string): Finding[] => runChecksOnPairs([pair(en, zh)], config, { only: ['omission'] });
const spanned = (en: string, f: Finding | undefined) => (f?.sourceSpan ? en.slice(f.sourceSpan.start, f.sourceSpan.end) : '');

describe('omission check', () => {
  it('names the untranslated English as one phrase, major when it says much', () => {
    const en = 'They extended their condolences for the lives lost, expressed solidarity with the affected families and paid tribute to all frontline health workers.';
    const f = omissions(en, '他们对遇难者表示哀悼。');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ check: 'omission', category: 'Accuracy/Omission', severity: 'major', targetSpan: null });
    expect(spanned(en, f[0])).toContain('frontline health workers');
    expect(f[0]?.message).toBe(`Not translated: "${spanned(en, f[0])}"`);
  });

  it('finds a clause cut out of the middle of a sentence, and only that clause', () => {
    const en = 'The Ministers expressed support for continued cooperation of BRICS countries in areas of mutual interest, including through regular exchanges amongst their Permanent Missions to the United Nations and in other international fora.';
    expect(omissions(en, '外长们表示支持金砖国家在共同关心的领域继续开展合作，包括通过常驻联合国代表团和其他国际论坛的定期交流。')).toEqual([]);
    const f = omissions(en, '外长们表示支持金砖国家在共同关心的领域继续开展合作。');
    expect(f).toHaveLength(1);
    expect(spanned(en, f[0])).toContain('regular exchanges amongst their Permanent Missions to the United Nations');
    expect(spanned(en, f[0])).not.toContain('cooperation');
  });

  it('accepts a full translation, paraphrases and acronyms kept in Latin', () => {
    const en = 'They discussed also the possibilities for mutual support of their initiatives and closer cooperation at the 75th session of the UN General Assembly.';
    expect(omissions(en, '双方还讨论了在第75届联合国大会上相互支持各自倡议和加强合作的可能性。')).toEqual([]);
    expect(omissions('They supported the OPCW and the CWC.', '他们支持 OPCW 和 CWC。')).toEqual([]);
    // A paraphrase the dictionary does not know leaves words on both sides: not an omission.
    expect(omissions('They concurred that conflicts should be resolved by peaceful means.', '双方一致认为，冲突应以和平方式解决。')).toEqual([]);
  });

  it('leaves a short omission minor and a missing name major', () => {
    const minor = omissions('The Ministers stressed the importance of timely, comprehensive, coordinated and integrated measures.', '部长们强调了措施的重要性。');
    expect(minor).toHaveLength(1);
    expect(minor[0]?.severity).toBe('minor');
    const name = omissions('The Ministers met in Lisbon with the Food and Agriculture Organization and the International Maritime Organization.', '部长们在里斯本会晤。');
    expect(name[0]?.severity).toBe('major');
  });

  it('reports Chinese with no English counterpart as an addition', () => {
    const en = 'The Ministers welcomed the decision to establish the fund.';
    expect(omissions(en, '部长们欢迎设立该基金的决定。')).toEqual([]);
    const f = omissions(en, '部长们欢迎设立该基金的决定，并决定向所有非洲国家提供粮食和药品紧急援助。');
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ category: 'Accuracy/Addition', sourceSpan: null });
    expect(f[0]?.targetSpan).not.toBeNull();
  });

  it('runs only where the source is English and the target Chinese', () => {
    const f = runChecksOnPairs([pair('They extended their condolences and paid tribute to all frontline health workers.', 'Ils ont présenté leurs condoléances.')], config, {
      only: ['omission'],
      langs: { source: 'en', target: 'fr' },
    });
    expect(f).toEqual([]);
  });
});

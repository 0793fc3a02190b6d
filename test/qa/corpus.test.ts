/**
 * Acceptance on the demo corpus, aligned by the project's aligner (lexical model, deterministic):
 * the known machine-translation artefacts are found, the corpus's numbers and dates raise nothing,
 * and the checks run in under a second.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlignmentResult, Finding } from '../../server/domain.js';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { loadQaConfig, pairsFromAlignment, runChecks, runChecksOnPairs, type QaPair } from '../../server/qa/index.js';
import { loadDictionary } from '../../server/align/lexical/dictionary.js';

const DIR = new URL('../../corpus/brics-fm-2020-09-04/', import.meta.url);
const zh = readFileSync(new URL('zh.txt', DIR), 'utf8');
const en = readFileSync(new URL('en.txt', DIR), 'utf8');

let result: AlignmentResult;
let pairs: QaPair[];
let findings: Finding[];
const byId = new Map<string, QaPair>();
const targetOf = (f: Finding) => {
  const p = byId.get(f.beadId);
  return p && f.targetSpan ? p.target.slice(f.targetSpan.start, f.targetSpan.end) : '';
};
const para = (f: Finding) => byId.get(f.beadId)?.paragraph ?? null;
const has = (check: string, paragraph: string, target: string) =>
  findings.some((f) => f.check === check && para(f) === paragraph && targetOf(f) === target);

beforeAll(async () => {
  result = await alignTexts(en, zh, { aLang: 'en', bLang: 'zh', model: 'lexical' });
  pairs = pairsFromAlignment(result, 'a');
  for (const p of pairs) byId.set(p.id, p);
  findings = runChecksOnPairs(pairs, loadQaConfig());
}, 60_000);

describe('demo corpus acceptance', () => {
  it('finds 国家党 (16), the stray "and" (23), 金砖四国 (26), 政策安全 (30), 权力 for human rights (5), the repeated 公正 (5)', () => {
    expect(has('terminology', '16', '国家党')).toBe(true);
    expect(has('untranslated', '23', 'and')).toBe(true);
    expect(has('terminology', '26', '金砖四国')).toBe(true);
    expect(has('terminology', '30', '政策安全')).toBe(true);
    expect(has('terminology', '5', '权力')).toBe(true);
    expect(has('repetition', '5', '公正')).toBe(true);
  });

  it('finds every 双方 of the Chinese text', () => {
    const inText = pairs.reduce((n, p) => n + (p.target.match(/双方/g) ?? []).length, 0);
    expect(inText).toBe(zh.match(/双方/g)?.length);
    const found = findings.filter((f) => f.check === 'terminology' && targetOf(f) === '双方');
    expect(found).toHaveLength(inText);
  });

  it('finds half-width punctuation next to Chinese in paragraphs 16–25 wherever the text has it', () => {
    for (let n = 16; n <= 25; n++) {
      const textHasIt = pairs.some((p) => p.paragraph === String(n) && /[\u4e00-\u9fff][,;:?!()]|[,;:?!()][\u4e00-\u9fff]/u.test(p.target));
      const reported = findings.some((f) => f.check === 'punctuation' && para(f) === String(n) && /^Half-width/.test(f.message));
      expect(reported, `paragraph ${n}`).toBe(textHasIt);
    }
    expect(findings.filter((f) => /^Half-width/.test(f.message) && ['16', '17', '18', '19', '20', '22', '23', '24', '25'].includes(para(f) ?? '')).length).toBeGreaterThanOrEqual(9);
  });

  it('raises no number finding at all: amounts, resolution symbol and every date of the corpus match', () => {
    expect(findings.filter((f) => f.check === 'numbers')).toEqual([]);
  });

  it('runs on a ReviewDocument built from the alignment with the same result', () => {
    const doc = reviewDocumentFromAlignment(result, { name: 'brics', sourceSide: 'a' });
    expect(runChecks(doc, loadQaConfig()).map((f) => `${f.beadId}:${f.check}:${f.message}`)).toEqual(findings.map((f) => `${f.beadId}:${f.check}:${f.message}`));
  });

  it('reports an omission cut out of a bead, and nothing on the bead before the cut', () => {
    const clause = '，包括防止外空武器的位置和威胁或使用武力反对外空物体';
    const p = pairs.find((x) => x.target.includes(clause));
    expect(p?.paragraph).toBe('13');
    const coverage = (q: QaPair) => runChecksOnPairs([q], loadQaConfig(), { only: ['omission'] });
    expect(coverage(p!)).toEqual([]);
    const cut = coverage({ ...p!, target: p!.target.replace(clause, '') });
    expect(cut).toHaveLength(1);
    expect(p!.source.slice(cut[0]!.sourceSpan!.start, cut[0]!.sourceSpan!.end)).toContain('weapons in outer space');
  });

  it('checks the whole corpus in under a second (dictionary already loaded)', () => {
    loadDictionary();
    const config = loadQaConfig();
    runChecksOnPairs(pairs, config);
    const t0 = performance.now();
    runChecksOnPairs(pairs, config);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

import { describe, expect, it } from 'vitest';
import type { Finding, ReviewDocument, ReviewIssue } from '../../server/domain.js';
import { alignTexts } from '../../server/align/index.js';
import { reviewDocumentFromAlignment } from '../../server/review/index.js';
import { buildScorecard, countWords, qaConfigFromJson, QaConfigError, scorecardCsv, DEFAULT_SCORECARD } from '../../server/qa/index.js';

async function doc(): Promise<ReviewDocument> {
  const en = '1. The Ministers met in Moscow on 4 September 2020. They discussed cooperation.\n\n2. They welcomed the report of the Secretary-General.';
  const zh = '1. 部长们于2020年9月4日在莫斯科会晤。他们讨论了合作。\n\n2. 他们欢迎秘书长的报告。';
  return reviewDocumentFromAlignment(await alignTexts(en, zh, { aLang: 'en', bLang: 'zh', model: 'length' }), { name: 't', sourceSide: 'a' });
}

const issue = (over: Partial<ReviewIssue>): ReviewIssue => ({
  id: 'i', beadId: 'b1', category: 'Terminology', severity: 'major', comment: 'c', targetSpan: null, origin: 'human', check: null, status: 'open', author: 'a', createdAt: '', ...over,
});
const finding = (over: Partial<Finding>): Finding => ({ check: 'numbers', category: 'Accuracy/Mistranslation', severity: 'major', message: 'm', beadId: 'b1', sourceSpan: null, targetSpan: null, ...over });

describe('MQM scorecard', () => {
  it('counts source words (words; characters for a source written without spaces)', () => {
    expect(countWords(['The Ministers met on 4 September 2020.', "the Secretary-General's report"], 'en')).toBe(10);
    expect(countWords(['部长们会晤。'], 'zh')).toBe(5);
  });

  it('scores accepted issues and open findings apart: points by severity, per category, per 1,000 source words, pass or fail', async () => {
    const d = await doc();
    const b = d.beads.map((x) => x.id);
    d.issues = [
      issue({ id: 'i1', beadId: b[0]!, severity: 'major', category: 'Terminology' }),
      issue({ id: 'i2', beadId: b[0]!, severity: 'minor', category: 'Fluency/Punctuation', origin: 'automatic', check: 'punctuation', status: 'resolved' }),
      issue({ id: 'i3', beadId: b.at(-1)!, severity: 'critical', category: 'Accuracy/Omission', status: 'dismissed' }),
    ];
    const half = { kind: 'punctuation/half-width', title: 'Half-width punctuation' };
    const open = [
      finding({ beadId: b.at(-1)!, severity: 'critical', category: 'Accuracy/Omission' }),
      finding({ beadId: b[0]!, severity: 'minor', category: 'Fluency/Punctuation', check: 'punctuation', group: half }),
      finding({ beadId: b.at(-1)!, severity: 'minor', category: 'Fluency/Punctuation', check: 'punctuation', group: half }),
    ];
    const card = buildScorecard(d, open, DEFAULT_SCORECARD);
    expect(card.sourceWords).toBe(19);
    expect(card.penalties).toEqual({ minor: 1, major: 5, critical: 25 });
    // Dismissed issues do not count; resolved ones do.
    expect(card.accepted).toMatchObject({ errors: 2, points: 6, bySeverity: { minor: 1, major: 1, critical: 0 } });
    expect(card.accepted.per1000).toBeCloseTo((6 * 1000) / 19, 2);
    expect(card.accepted.score).toBeCloseTo(100 * (1 - 6 / 19), 2);
    expect(card.accepted.pass).toBe(false);
    expect(card.accepted.byCategory).toEqual([
      { category: 'Terminology', errors: 1, points: 5 },
      { category: 'Fluency/Punctuation', errors: 1, points: 1 },
    ]);
    // The two half-width places are one document-wide finding.
    expect(card.automatic).toMatchObject({ errors: 2, points: 26, bySeverity: { minor: 1, major: 0, critical: 1 } });
    expect(card.byParagraph).toEqual([
      { paragraph: '1', accepted: 2, automatic: 1 },
      { paragraph: '2', accepted: 0, automatic: 1 },
    ]);
    expect(scorecardCsv(card).split('\r\n')).toContain('accepted,total,2,1,1,0,6,315.79,68.42,fail');
  });

  it('passes a clean document, and takes penalties and threshold from qa.config.json', async () => {
    const d = await doc();
    expect(buildScorecard(d, []).accepted).toMatchObject({ errors: 0, points: 0, per1000: 0, score: 100, pass: true });
    const config = qaConfigFromJson({ glossary: null, scorecard: { penalties: { major: 10 }, threshold: 600 } }, '.');
    expect(config.scorecard).toEqual({ penalties: { minor: 1, major: 10, critical: 25 }, threshold: 600 });
    d.issues = [issue({ beadId: d.beads[0]!.id })];
    const card = buildScorecard(d, [], config.scorecard);
    expect(card.accepted.points).toBe(10);
    expect(card.accepted.pass).toBe(true);
  });

  it('refuses a scorecard config it does not understand, naming the field', () => {
    expect(() => qaConfigFromJson({ scorecard: { penalty: {} } }, '.')).toThrow(QaConfigError);
    expect(() => qaConfigFromJson({ scorecard: { penalties: { blocker: 100 } } }, '.')).toThrow(/no severity "blocker"/);
    expect(() => qaConfigFromJson({ scorecard: { threshold: -1 } }, '.')).toThrow(/scorecard.threshold must be a number ≥ 0/);
  });
});

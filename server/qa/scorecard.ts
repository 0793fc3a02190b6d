/**
 * An MQM-style scorecard of a document: penalty points by severity (minor 1, major 5, critical 25 by
 * default; qa.config.json "scorecard"), per category, normalised per 1,000 source words, with a
 * pass/fail threshold on that figure. Counted over the issues reviewers recorded or accepted (every
 * status but dismissed), and, shown apart, over the automatic findings nobody has decided on yet
 * (a document-wide kind, grouped, counts once). The raw quality score is MQM's: 100 × (1 − points ⁄
 * source words).
 */
import { MQM_CATEGORIES, SEVERITIES, type Finding, type MqmCategory, type ReviewDocument, type ReviewIssue, type Scorecard, type ScoreSet, type Severity } from '../domain.js';
import { writesWordsWithoutSpaces } from '../text/lang.js';
import { pairsFromDocument } from './pairs.js';
import { groupFindings } from './report.js';

export interface ScorecardConfig {
  penalties: Record<Severity, number>;
  /** Most penalty points per 1,000 source words that still pass. */
  threshold: number;
}

export const DEFAULT_SCORECARD: ScorecardConfig = { penalties: { minor: 1, major: 5, critical: 25 }, threshold: 10 };

/**
 * Words of the source: letters-and-digits runs; in a language written without spaces (a Chinese
 * original) every character of a word counts, as MQM tools count CJK sources.
 */
export function countWords(texts: readonly string[], lang: string): number {
  let n = 0;
  const unspaced = writesWordsWithoutSpaces(lang);
  for (const t of texts) {
    if (unspaced) n += (t.match(/[\p{L}\p{N}]/gu) ?? []).length;
    else n += (t.match(/[\p{L}\p{N}]+(?:['’.-][\p{L}\p{N}]+)*/gu) ?? []).length;
  }
  return n;
}

type Countable = { category: MqmCategory; severity: Severity };

function scoreSet(errors: readonly Countable[], words: number, config: ScorecardConfig): ScoreSet {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const cat = new Map<MqmCategory, { errors: number; points: number }>();
  let points = 0;
  for (const e of errors) {
    const p = config.penalties[e.severity] ?? 0;
    points += p;
    bySeverity[e.severity]++;
    const c = cat.get(e.category) ?? { errors: 0, points: 0 };
    c.errors++;
    c.points += p;
    cat.set(e.category, c);
  }
  const per1000 = words > 0 ? (points * 1000) / words : 0;
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    errors: errors.length,
    points,
    per1000: round(per1000),
    score: round(Math.max(0, 100 * (1 - (words > 0 ? points / words : 0)))),
    pass: per1000 <= config.threshold,
    bySeverity,
    byCategory: MQM_CATEGORIES.filter((c) => cat.has(c)).map((category) => ({ category, ...cat.get(category)! })),
  };
}

/** Issues that count: recorded or accepted by a reviewer, not dismissed. */
export function acceptedIssues(issues: readonly ReviewIssue[]): ReviewIssue[] {
  return issues.filter((i) => i.status !== 'dismissed');
}

/**
 * The scorecard of `doc`, given its open automatic findings (runChecks without the decided ones; they
 * are grouped here) and the scoring config.
 */
export function buildScorecard(doc: ReviewDocument, openFindings: readonly Finding[], config: ScorecardConfig = DEFAULT_SCORECARD): Scorecard {
  const words = countWords(doc.source.sentences.map((s) => s.text), doc.source.lang);
  const accepted = acceptedIssues(doc.issues);
  const automatic = groupFindings(openFindings);
  const pairs = pairsFromDocument(doc);
  const paragraphOf = new Map(pairs.map((p) => [p.id, p.paragraph ?? '–']));
  const paragraphs = new Map<string, { accepted: number; automatic: number }>();
  // Document order first, so the chart reads top to bottom.
  for (const p of pairs) if (!paragraphs.has(p.paragraph ?? '–')) paragraphs.set(p.paragraph ?? '–', { accepted: 0, automatic: 0 });
  for (const i of accepted) {
    const row = paragraphs.get(paragraphOf.get(i.beadId) ?? '–');
    if (row) row.accepted++;
  }
  for (const f of automatic) {
    // A grouped kind counts once, in the paragraph of its first place.
    const row = paragraphs.get(paragraphOf.get(f.beadId) ?? '–');
    if (row) row.automatic++;
  }
  return {
    sourceWords: words,
    penalties: { ...config.penalties },
    threshold: config.threshold,
    accepted: scoreSet(accepted, words, config),
    automatic: scoreSet(automatic, words, config),
    byParagraph: [...paragraphs].map(([paragraph, v]) => ({ paragraph, ...v })),
  };
}

/** The scorecard as CSV rows: one per set and category, then the totals (UTF-8; spreadsheets: add a BOM). */
export function scorecardCsv(card: Scorecard): string {
  const lines = ['set,category,errors,minor,major,critical,points,points_per_1000_words,score,pass'];
  for (const [name, set] of [['accepted', card.accepted], ['automatic', card.automatic]] as const) {
    for (const c of set.byCategory) lines.push([name, c.category, c.errors, '', '', '', c.points, '', '', ''].join(','));
    lines.push([name, 'total', set.errors, set.bySeverity.minor, set.bySeverity.major, set.bySeverity.critical, set.points, set.per1000, set.score, set.pass ? 'pass' : 'fail'].join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}

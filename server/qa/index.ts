/**
 * Translation QA: automatic checks of a Chinese translation against its English original.
 *
 *   runChecks(doc, config?)              → Finding[] for a ReviewDocument (source en, target zh),
 *                                          without those already dismissed or made issues
 *   runChecksOnPairs(pairs, config?)     → the same on plain {id, paragraph, source, target} pairs
 *   checkDocument(doc, config?)          → {pairs, findings}: every finding, decided ones too (QA report, scorecard, QA job)
 *   loadQaConfig(path?)                  → options per check + glossary (qa.config.json)
 *
 * The checks are pure functions (server/qa/checks/*), registered in registry.ts.
 */
import type { Finding, Lang, ReviewDocument } from '../domain.js';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { primaryLanguage } from '../text/lang.js';
import { alignWords, type WordAlignment } from '../words/index.js';
import { defaultConfigPath, loadQaConfig, type QaConfig } from './config.js';
import { findingStatus } from './finding-state.js';
import { pairsFromDocument } from './pairs.js';
import { CHECKS } from './registry.js';
import type { Check, CheckContext, QaPair } from './types.js';

export { loadQaConfig, qaConfigFromJson, withGlossary, QaConfigError, DEFAULT_CONFIG_PATH, DEFAULT_GLOSSARY_PATH, type QaConfig } from './config.js';
export { pairsFromAlignment, pairsFromDocument } from './pairs.js';
export { findingStatus, issueForFinding, addIssueOp, type FindingStatus } from './finding-state.js';
export { groupFindings, reportFindings, compareFindings, severityRank, SEVERITY_ORDER } from './report.js';
export { buildScorecard, scorecardCsv, countWords, acceptedIssues, DEFAULT_SCORECARD, type ScorecardConfig } from './scorecard.js';
export { CHECKS, getCheck } from './registry.js';
export * from './glossary.js';
export type { QaPair, Check, CheckContext, BaseOptions } from './types.js';

let defaultConfig: { config: QaConfig; stamp: string } | null = null;

/** Modification stamps of the config and glossary files: a change (web editor, hand edit) reloads. */
function fileStamp(config: QaConfig | null): string {
  const stamp = (p: string | null | undefined) => {
    if (!p) return '-';
    try {
      const st = statSync(p);
      return `${st.mtimeMs}:${st.size}`;
    } catch {
      return 'missing';
    }
  };
  return `${stamp(config?.path ?? defaultConfigPath())}|${stamp(config?.glossaryPath)}`;
}

/**
 * The default config (QA_CONFIG, else qa.config.json at the repository root, else built-in
 * defaults), reloaded when its file or its glossary changes on disk.
 */
export function defaultQaConfig(): QaConfig {
  if (defaultConfig && fileStamp(defaultConfig.config) === defaultConfig.stamp) return defaultConfig.config;
  const config = loadQaConfig();
  defaultConfig = { config, stamp: fileStamp(config) };
  return config;
}

export interface RunOptions {
  /** Only these check ids (after the config's enabled flags). */
  only?: readonly string[];
  /** Languages of the source and target (default en → zh): checks written for other languages are skipped. */
  langs?: { source: Lang; target: Lang };
  /** The document's word alignment when the caller has it already (else computed when a check asks). */
  words?: WordAlignment;
}

/** Whether a check is written for this language pair (Check.languages). */
export function checkApplies(check: Check, langs: { source: Lang; target: Lang }): boolean {
  const fits = (list: readonly string[] | undefined, lang: Lang) => !list || list.includes(primaryLanguage(lang));
  return fits(check.languages?.source, langs.source) && fits(check.languages?.target, langs.target);
}

export function runChecksOnPairs(pairs: readonly QaPair[], config: QaConfig = defaultQaConfig(), opts: RunOptions = {}): Finding[] {
  const langs = opts.langs ?? { source: 'en', target: 'zh' };
  let words = opts.words ?? null;
  const ctx: CheckContext = {
    glossary: config.glossary,
    langs,
    words: () => {
      words ??= alignWords(pairs, langs);
      return words;
    },
  };
  const order = new Map(pairs.map((p, i) => [p.id, i]));
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const o = config.checks[check.id] ?? check.defaults;
    if (!o.enabled) continue;
    if (opts.only && !opts.only.includes(check.id)) continue;
    if (!checkApplies(check, langs)) continue;
    findings.push(...check.run(pairs, ctx, o));
  }
  // Document order, then by position in the target, so a report reads top to bottom.
  return findings
    .map((f, i) => ({ f, i }))
    .sort((x, y) => (order.get(x.f.beadId) ?? 0) - (order.get(y.f.beadId) ?? 0) || x.i - y.i)
    .map((x) => x.f);
}

/**
 * The findings of a review document (source en, target zh; the corrected target text is checked).
 * Findings a reviewer already decided on (dismissed, or turned into an issue: see finding-state.ts)
 * are left out unless `includeDecided`, so review markers and exports do not repeat them.
 */
export function runChecks(doc: ReviewDocument, config?: QaConfig, opts: RunOptions & { includeDecided?: boolean } = {}): Finding[] {
  const all = runChecksOnPairs(pairsFromDocument(doc), config, { langs: langsOf(doc), ...opts });
  if (opts.includeDecided || doc.issues.length === 0) return all;
  return all.filter((f) => findingStatus(f, doc.issues) === 'open');
}

/**
 * What the QA report and the scorecard are made from, on the web thread or in a job alike: the
 * document's rows and every finding (decided ones too), checked in the document's languages.
 */
export function checkDocument(doc: ReviewDocument, config: QaConfig = defaultQaConfig()): { pairs: QaPair[]; findings: Finding[] } {
  const pairs = pairsFromDocument(doc);
  return { pairs, findings: runChecksOnPairs(pairs, config, { langs: langsOf(doc) }) };
}

function langsOf(doc: ReviewDocument): { source: Lang; target: Lang } {
  return { source: doc.source.lang, target: doc.target.lang };
}

/**
 * What a document's findings depend on besides the glossary: its rows (which sentences) and the
 * target texts as reviewed (not its issues or statuses), as a short hash.
 */
export function qaContentKey(doc: ReviewDocument): string {
  const h = createHash('sha1');
  for (const b of doc.beads) h.update(`${b.id}:${b.source.join(',')}:${b.target.join(',')};`);
  for (const s of doc.target.sentences) if (s.text !== s.original) h.update(`${s.index}=${s.text}\u0001`);
  return h.digest('base64url');
}

/** A stable id for a finding (for dismiss/issue actions): check, bead and spans. */
export function findingKey(f: Finding): string {
  const span = (s: Finding['sourceSpan']) => (s ? `${s.start}-${s.end}` : '');
  // A grouped finding is the document's, wherever its first place is.
  if (f.group && f.occurrences) return [f.check, 'group', f.group.kind, hash(f.message)].join(':');
  return [f.check, f.beadId, span(f.sourceSpan), span(f.targetSpan), hash(f.message)].join(':');
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

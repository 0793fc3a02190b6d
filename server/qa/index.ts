/**
 * Translation QA: automatic checks of a Chinese translation against its English original.
 *
 *   runChecks(doc, config?)              → Finding[] for a ReviewDocument (source en, target zh),
 *                                          without those already dismissed or made issues
 *   runChecksOnPairs(pairs, config?)     → the same on plain {id, paragraph, source, target} pairs
 *   loadQaConfig(path?)                  → options per check + glossary (qa.config.json)
 *
 * The checks are pure functions (server/qa/checks/*), registered in registry.ts.
 */
import type { Finding, ReviewDocument } from '../domain.js';
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { defaultConfigPath, loadQaConfig, type QaConfig } from './config.js';
import { loadLexicon } from './lexicon.js';
import { findingStatus } from './finding-state.js';
import { pairsFromDocument } from './pairs.js';
import { CHECKS } from './registry.js';
import type { CheckContext, Lexicon, QaPair } from './types.js';

export { loadQaConfig, qaConfigFromJson, withGlossary, QaConfigError, DEFAULT_CONFIG_PATH, DEFAULT_GLOSSARY_PATH, type QaConfig } from './config.js';
export { pairsFromAlignment, pairsFromDocument } from './pairs.js';
export { findingStatus, issueForFinding, addIssueOp, type FindingStatus } from './finding-state.js';
export { CHECKS, getCheck } from './registry.js';
export * from './glossary.js';
export type { QaPair, Check, CheckContext, BaseOptions, Lexicon } from './types.js';

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
  /** Replaces the CC-CEDICT lexicon (tests, or a caller that has one loaded). */
  lexicon?: Lexicon;
  /** Only these check ids (after the config's enabled flags). */
  only?: readonly string[];
}

export function runChecksOnPairs(pairs: readonly QaPair[], config: QaConfig = defaultQaConfig(), opts: RunOptions = {}): Finding[] {
  const ctx: CheckContext = { glossary: config.glossary, lexicon: () => opts.lexicon ?? loadLexicon() };
  const order = new Map(pairs.map((p, i) => [p.id, i]));
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    const o = config.checks[check.id] ?? check.defaults;
    if (!o.enabled) continue;
    if (opts.only && !opts.only.includes(check.id)) continue;
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
  const all = runChecksOnPairs(pairsFromDocument(doc), config, opts);
  if (opts.includeDecided || doc.issues.length === 0) return all;
  return all.filter((f) => findingStatus(f, doc.issues) === 'open');
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
  return [f.check, f.beadId, span(f.sourceSpan), span(f.targetSpan), hash(f.message)].join(':');
}

function hash(s: string): string {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0).toString(36);
}

/**
 * Types shared by the QA checks. A check sees aligned pairs (source = the original, target = the
 * translation; the checks are written for an English source and a Chinese target), never a
 * ReviewDocument, so it can run from the CLI, the web app or a test without the store.
 */
import type { Finding, Lang, MqmCategory, Severity } from '../domain.js';
import type { WordAlignment } from '../words/index.js';
import type { Glossary } from './glossary.js';

/** One aligned bead as the checks see it: its joined source and joined target sentences. */
export interface QaPair {
  /** The bead id the findings refer to. */
  id: string;
  /** Paragraph label of the source (or target) paragraph, e.g. '16'; null when unnumbered. */
  paragraph: string | null;
  /** Source sentences joined as their language joins them (text/lang.ts `joinSentences`). */
  source: string;
  /** Target sentences, joined the same way. */
  target: string;
  /** Alignment confidence in [0, 1]; undefined when the pairing was not scored. */
  confidence?: number;
  /** How many sentences each side joins (absent: not known, e.g. a pair built by hand). */
  sourceSentences?: number;
  targetSentences?: number;
}

export type OptionValue = boolean | number | string | string[];

/** Options every check has; a check adds its own thresholds (numbers, strings, string lists). */
export interface BaseOptions {
  enabled: boolean;
  severity: Severity;
  [key: string]: OptionValue;
}

export interface CheckContext {
  glossary: Glossary;
  /** The languages of the document's source and target. */
  langs: { source: Lang; target: Lang };
  /** The word alignment of the document's beads (computed on first use, once per run). */
  words: () => WordAlignment;
}

export interface Check<O extends BaseOptions = BaseOptions> {
  id: string;
  category: MqmCategory;
  description: string;
  defaults: O;
  /**
   * The languages the check is written for (primary subtags); a document in others skips it. Absent:
   * any language. Checks that read Chinese typography or CC-CEDICT say so here.
   */
  languages?: { source?: readonly string[]; target?: readonly string[] };
  /** Runs over the whole document (document-level checks need every pair; bead-level ones loop). */
  run(pairs: readonly QaPair[], ctx: CheckContext, opts: O): Finding[];
}

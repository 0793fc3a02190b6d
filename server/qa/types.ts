/**
 * Types shared by the QA checks. A check sees aligned pairs (source = the original, target = the
 * translation; the checks are written for an English source and a Chinese target), never a
 * ReviewDocument, so it can run from the CLI, the web app or a test without the store.
 */
import type { Finding, MqmCategory, Severity } from '../domain.js';
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
}

export type OptionValue = boolean | number | string | string[];

/** Options every check has; a check adds its own thresholds (numbers, strings, string lists). */
export interface BaseOptions {
  enabled: boolean;
  severity: Severity;
  [key: string]: OptionValue;
}

/** English content words → Chinese counterparts, for the coverage check (loaded lazily, it is big). */
export interface Lexicon {
  /** Normalised content terms of an English text (stemmed, stop words out). */
  englishTerms(en: string): string[];
  /**
   * English terms the words of a Chinese text can translate to: jieba's words; with `deep`, also
   * every dictionary word inside the text, all senses (slower: used to confirm a suspected omission).
   */
  chineseTermSet(zh: string, deep?: boolean): Set<string>;
  /** How many words of the Chinese (jieba's segmentation) translate to each English term. */
  chineseTermCounts(zh: string): Map<string, number>;
}

export interface CheckContext {
  glossary: Glossary;
  /** Returns the lexicon, loading it on first use. */
  lexicon: () => Lexicon;
}

export interface Check<O extends BaseOptions = BaseOptions> {
  id: string;
  category: MqmCategory;
  description: string;
  defaults: O;
  /** Runs over the whole document (document-level checks need every pair; bead-level ones loop). */
  run(pairs: readonly QaPair[], ctx: CheckContext, opts: O): Finding[];
}

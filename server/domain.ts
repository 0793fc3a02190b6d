/**
 * The domain's data, shared by every module (text, align, qa, formats, review, store, web).
 * Plain data only: no behaviour, no Express, no database. Everything here is JSON-serialisable.
 *
 * Conventions
 * - Offsets are UTF-16 code-unit offsets (JavaScript string indices) into the *normalised* text of
 *   one side (after BOM removal, CRLF/CR → LF, NFC). `text.slice(start, end)` gives the original span.
 * - Sentence and paragraph indices are 0-based and global within one side of a document.
 *
 * The two sides, one vocabulary per layer
 * - Text pipeline and aligner (server/text, server/align; Bead, ParagraphPair, AlignmentResult,
 *   BeadScorer): `a` and `b`. The aligner is symmetric: neither side is the original.
 * - Everything from the document under review on (ReviewBead, ReviewDocument, QaPair, Finding,
 *   exports, store, web, CLI output of a review document): `source` (the original; English by default)
 *   and `target` (the translation; Chinese by default). reviewDocumentFromAlignment is where a/b turn
 *   into source/target. One exception: ReviewDocument.paragraphPairs keeps the aligner's ParagraphPair
 *   shape, stored with a = source and b = target.
 * - `en` / `zh` name a language, never a side (a side's language is its `lang`); code written for one
 *   language (the QA checks read English and Chinese) says so where it does.
 * - How a language joins its sentences into one text (QA spans, exports, the page) is answered in one
 *   place: server/text/lang.ts.
 */

/** A language code as written in files and exports: 'en', 'zh', 'zh-CN' … */
export type Lang = string;

/** Half-open span [start, end) of UTF-16 offsets into a normalised text. */
export interface Span {
  start: number;
  end: number;
}

export type ParagraphKind = 'title' | 'date' | 'numbered' | 'plain';

/** A paragraph of one text; may be the join of page-break fragments (then `spans` has several parts). */
export interface Paragraph {
  index: number;
  kind: ParagraphKind;
  /** The number label as written ('12', '（一）', '一'), normalised to its value where it is a numeral. */
  number: string | null;
  /** The paragraph's text with fragments joined (no space between CJK characters across a break). */
  text: string;
  /** Where the paragraph comes from: one span, or one per fragment joined across a page break. */
  spans: Span[];
}

/** A sentence of one side, with its place in the normalised text. */
export interface Sentence {
  index: number;
  paragraph: number;
  /** The sentence as shown (fragments joined, whitespace collapsed). */
  text: string;
  start: number;
  end: number;
}

/** One side of a document after the text pipeline. */
export interface TextSide {
  lang: Lang;
  /** The normalised text: the reference for every offset. */
  text: string;
  paragraphs: Paragraph[];
  sentences: Sentence[];
}

/** Paragraph indices of one side paired with paragraph indices of the other (1-1, 1-0, 0-1, 1-2, 2-1). */
export interface ParagraphPair {
  a: number[];
  b: number[];
  /** How the pair was found. */
  method: 'number' | 'dp' | 'whole';
}

/** Consecutive sentences of side a ↔ consecutive sentences of side b; either may be empty. */
export interface Bead {
  a: number[];
  b: number[];
  /** Confidence in [0, 1] that this bead is right. */
  confidence: number;
}

/** The output of the aligner for one document. */
export interface AlignmentResult {
  /** The similarity model that was used ('lexical', 'length', 'neural:Xenova/LaBSE' …). */
  model: string;
  a: TextSide;
  b: TextSide;
  paragraphPairs: ParagraphPair[];
  /** Paragraph indices that no counterpart was found for (kept, reported). */
  unpaired: { a: number[]; b: number[] };
  beads: Bead[];
}

// ───────────────────────────── similarity models ─────────────────────────────

/**
 * Scores candidate beads. The DP only ever sees this: not embeddings, not dictionaries.
 * `score(a0, a1, b0, b1)` rates sentences [a0, a1) of side a against [b0, b1) of side b
 * (indices into the arrays given to `prepare`), both ranges non-empty. Higher is better; 0 means
 * "no evidence". Each model documents its scale; the aligner calibrates weights per model name.
 */
export interface BeadScorer {
  score(a0: number, a1: number, b0: number, b1: number): number;
}

export interface SimilarityModel {
  /** Printed and stored with every alignment: 'lexical', 'length', 'neural:Xenova/LaBSE'. */
  readonly name: string;
  /** Precompute whatever is needed for these two sentence lists (embeddings, token sets …). */
  prepare(a: readonly string[], b: readonly string[], langs: { a: Lang; b: Lang }): Promise<BeadScorer>;
}

// ───────────────────────────── review ─────────────────────────────

export type BeadStatus = 'automatic' | 'confirmed' | 'flagged';

/** A bead of a document under review. Source = original (en), target = translation (zh). */
export interface ReviewBead {
  /** Stable id, kept across edits that do not dissolve the bead (merge keeps the first bead's id). */
  id: string;
  source: number[];
  target: number[];
  confidence: number;
  status: BeadStatus;
  /** Model that proposed it, or 'manual' when a reviewer made it. */
  origin: string;
  /** Props and notes of a foreign TMX unit (absent when there are none), kept so exports write them back. */
  meta?: BeadMeta;
}

/**
 * What another tool's TMX said about a unit that this domain has no field for: `<prop>`s (type, value)
 * and `<note>`s, in file order. Stored with the bead and written back by the TMX and JSON exports.
 */
export interface BeadMeta {
  props: { type: string; value: string }[];
  notes: string[];
}

/** A target sentence as corrected by a reviewer; `original` is the machine output, never changed. */
export interface TargetSentence extends Sentence {
  original: string;
}

export type MqmCategory =
  | 'Accuracy/Mistranslation'
  | 'Accuracy/Omission'
  | 'Accuracy/Addition'
  | 'Accuracy/Untranslated'
  | 'Terminology'
  | 'Fluency/Punctuation'
  | 'Fluency/Grammar'
  | 'Fluency/Spelling'
  | 'Style';

export type Severity = 'minor' | 'major' | 'critical';

/** The categories reviewers and checks may use, in the order forms list them. */
export const MQM_CATEGORIES: readonly MqmCategory[] = [
  'Accuracy/Mistranslation',
  'Accuracy/Omission',
  'Accuracy/Addition',
  'Accuracy/Untranslated',
  'Terminology',
  'Fluency/Punctuation',
  'Fluency/Grammar',
  'Fluency/Spelling',
  'Style',
];

export const SEVERITIES: readonly Severity[] = ['minor', 'major', 'critical'];

/** What a QA check reports on a bead. */
export interface Finding {
  /** Check id: 'numbers', 'untranslated', 'punctuation', 'repetition', 'terminology', … */
  check: string;
  category: MqmCategory;
  severity: Severity;
  message: string;
  beadId: string;
  /** Spans into the bead's joined source text / joined target text (sentences joined as text/lang.ts `joinSentences` says: '' for zh and ja, ' ' otherwise). */
  sourceSpan: Span | null;
  targetSpan: Span | null;
  /**
   * A document-wide kind of finding (half-width punctuation, CJK–Latin spacing): the findings of one
   * kind are one finding of the report (server/qa/report.ts groupFindings), as Xbench groups them.
   */
  group?: FindingGroup;
  /** On a grouped finding: every place its kind was found, in document order. */
  occurrences?: FindingOccurrence[];
}

export interface FindingGroup {
  /** Stable id of the kind: 'punctuation/half-width'. */
  kind: string;
  /** The grouped finding's message: 'Half-width punctuation next to Chinese text'. */
  title: string;
}

export interface FindingOccurrence {
  beadId: string;
  sourceSpan: Span | null;
  targetSpan: Span | null;
  message: string;
}

/** Errors and penalty points of one set (accepted issues, or open automatic findings): an MQM scorecard's columns. */
export interface ScoreSet {
  /** Errors counted (a document-wide kind of finding counts once). */
  errors: number;
  /** Penalty points: each error weighs its severity's penalty. */
  points: number;
  /** Penalty points per 1,000 source words. */
  per1000: number;
  /** MQM raw quality score, 100 × (1 − points ⁄ source words), not below 0. */
  score: number;
  /** per1000 is at most the threshold. */
  pass: boolean;
  bySeverity: Record<Severity, number>;
  byCategory: { category: MqmCategory; errors: number; points: number }[];
}

/** An MQM-style quality scorecard of one document (server/qa/scorecard.ts). */
export interface Scorecard {
  sourceWords: number;
  /** Penalty points per error of each severity (qa.config.json "scorecard"). */
  penalties: Record<Severity, number>;
  /** A set passes when its penalty points per 1,000 source words are at most this. */
  threshold: number;
  /** Issues recorded or accepted by reviewers (every status but dismissed). */
  accepted: ScoreSet;
  /** Automatic findings nobody has decided on yet, shown apart. */
  automatic: ScoreSet;
  /** Errors per paragraph of the source, every paragraph in document order (for the chart). */
  byParagraph: { paragraph: string; accepted: number; automatic: number }[];
}

/** What a reviewer records on a bead (or a finding they accepted). */
export interface ReviewIssue {
  id: string;
  beadId: string;
  category: MqmCategory;
  severity: Severity;
  comment: string;
  targetSpan: Span | null;
  origin: 'human' | 'automatic';
  /** For origin 'automatic': the check that found it. */
  check: string | null;
  status: 'open' | 'resolved' | 'dismissed';
  author: string;
  createdAt: string;
}

/** A further target version (e.g. an official translation) aligned to the same source sentences. */
export interface TargetVersion {
  id: string;
  name: string;
  lang: Lang;
  /** Per source-bead id: the version's text for that bead ('' where it has none). */
  textByBead: Record<string, string>;
}

/** Everything the review works on: the unit stored, reviewed and exported. */
export interface ReviewDocument {
  id: string;
  name: string;
  source: TextSide;
  /** Target side; its sentences carry the machine original beside the corrected text. */
  target: Omit<TextSide, 'sentences'> & { sentences: TargetSentence[] };
  paragraphPairs: ParagraphPair[];
  beads: ReviewBead[];
  issues: ReviewIssue[];
  versions: TargetVersion[];
  model: string;
  /** Incremented by every accepted operation; a change posted against an older revision may conflict. */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

/** One side of a document under review. */
export type Side = 'source' | 'target';

/**
 * The confidence the document's model gives a row a reviewer aligned by hand, keyed by the row's
 * sentences (so it only applies to the row it was computed for). Carried by the ops that shape rows
 * and recorded with them, so replaying the history gives the same confidences.
 */
export interface RowScore {
  source: number[];
  target: number[];
  confidence: number;
}

/** One reviewer operation. Pure functions apply it: (document, op) → document. */
export type ReviewOp =
  | { kind: 'confirm'; beadId: string }
  | { kind: 'unconfirm'; beadId: string }
  | { kind: 'confirmAbove'; beadId: string }
  | { kind: 'merge'; beadId: string; scores?: RowScore[] }
  | { kind: 'split'; beadId: string; sourceAt: number; targetAt: number; scores?: RowScore[] }
  | { kind: 'shiftUp'; beadId: string; side: Side; scores?: RowScore[] }
  | { kind: 'shiftDown'; beadId: string; side: Side; scores?: RowScore[] }
  | { kind: 'detach'; beadId: string; side: Side; scores?: RowScore[] }
  | { kind: 'editTarget'; sentence: number; text: string }
  /** Splits sentence `sentence` of a side at character `at` of its text (a segmentation fix). */
  | { kind: 'splitSentence'; side: Side; sentence: number; at: number }
  /** Joins sentence `sentence` of a side with the next one; both must be in the same row. */
  | { kind: 'joinSentence'; side: Side; sentence: number }
  | { kind: 'flag'; beadId: string }
  | {
      kind: 'addIssue';
      beadId: string;
      category: MqmCategory;
      severity: Severity;
      comment: string;
      targetSpan?: Span | null;
      check?: string | null;
      /** Default 'open'; 'dismissed' records a QA finding judged harmless, in one step. */
      status?: ReviewIssue['status'];
    }
  | { kind: 'setIssueStatus'; issueId: string; status: ReviewIssue['status'] }
  /**
   * Replaces the rows holding these beads' sentences (whole rows, never a confirmed one) by these
   * beads: a re-alignment of one or more stretches of rows.
   */
  | { kind: 'realign'; beads: ReviewBead[] };

/** One recorded operation: the history that undo, audit and export dates come from. */
export interface HistoryEntry {
  seq: number;
  documentId: string;
  /** Document revision after this entry. */
  revision: number;
  author: string;
  at: string;
  op:
    | ReviewOp
    | { kind: 'undo'; of: number }
    | { kind: 'redo'; of: number }
    | { kind: 'import' }
    /** A further target version was imported (its text is in the document's versions, not here). */
    | { kind: 'addVersion'; versionId: string; name: string }
    /** The glossary the QA terminology check uses for this document was chosen (null: the default one). */
    | { kind: 'setGlossary'; glossaryId: number | null; name: string };
  /** Bead ids touched, for per-bead change dates in exports. */
  beadIds: string[];
  /** Where the change was, in row positions at the time (absent on entries that touched no row). */
  rows?: RowSpan;
  /** The touched part of the document before this entry (absent on 'import'); undo restores it. */
  before?: HistoryChangeSide;
  /** The touched part after this entry; redo restores it. */
  after?: HistoryChangeSide;
  /** For operations: true while undone (redo may bring it back). */
  undone?: boolean;
}

/** One side of a recorded change: the rows [at, at + items.length), issues likewise, edited target sentences. */
export interface HistoryChangeSide {
  beads: { at: number; items: ReviewBead[] } | null;
  issues: { at: number; items: ReviewIssue[] } | null;
  target: TargetSentence[];
  /**
   * A segmentation change: sentences [at, at + items.length) of one side (the sentences after them
   * keep their text and take new indices). Absent on every other change.
   */
  sentences?: { side: Side; at: number; items: (Sentence | TargetSentence)[] } | null;
}

/**
 * Where a change happened, in row positions at the time: rows [at, at + before) became rows
 * [at, at + after) (0-based). What people read as "rows 12–13" when the history speaks.
 */
export interface RowSpan {
  at: number;
  before: number;
  after: number;
}

/**
 * One glossary entry (the QA terminology check's unit; server/qa/glossary.ts reads and writes them as
 * TSV, server/qa/tbx.ts as TBX): English term variants, the accepted and forbidden Chinese renderings,
 * a note, and English phrases that license the forbidden ones.
 */
export interface GlossaryEntry {
  english: string[];
  accepted: string[];
  forbidden: string[];
  note: string;
  unless: string[];
}

/** A glossary entry as stored: with its id and the revision an edit must name (an older one is a conflict). */
export interface StoredGlossaryEntry extends GlossaryEntry {
  id: number;
  revision: number;
  updatedAt: string;
  updatedBy: string;
}

export interface GlossarySummary {
  id: number;
  name: string;
  /** The glossary of every document that has not chosen one. */
  isDefault: boolean;
  /** The language pair its terms are for (source terms, accepted and forbidden target terms); QA uses it only on documents of that pair. */
  sourceLang: string;
  targetLang: string;
  entries: number;
  /** Bumped by every change of its entries (QA findings are cached per glossary revision). */
  revision: number;
  createdAt: string;
  updatedAt: string;
}

export interface StoredGlossary extends GlossarySummary {
  entryList: StoredGlossaryEntry[];
}

/** One recorded change of a glossary: who, when, what before and after. */
export interface GlossaryChange {
  seq: number;
  glossaryId: number;
  entryId: number | null;
  action: 'create' | 'import' | 'add' | 'update' | 'delete' | 'rename' | 'default';
  author: string;
  at: string;
  before: GlossaryEntry | null;
  after: GlossaryEntry | null;
}

/** A job's life: queued → running → done | failed | cancelled (the last three are final). */
export type JobState = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** What a finished job made (plain JSON, so a job can finish on another process or machine). */
export interface JobResult {
  /** Documents it stored (imports) or changed (re-align, version import). */
  documents?: { id: string; name: string; beads: number; revision: number }[];
  /** A file to download (exports, QA report data), stored with the job in chunks. */
  file?: { name: string; contentType: string; bytes: number };
  /** A further target version it added. */
  versionId?: string;
  /** The translation set it stored (several translations of one original). */
  translationSet?: string;
  /** One line for people: "1,234 rows aligned", "412 findings". */
  summary?: string;
  /**
   * A re-alignment: the model it used, how many rows it wrote (0: every row stayed as it was) and the
   * row the page goes back to (the first row written, or the row it started from; null: none).
   */
  realigned?: { model: string; rows: number; at: string | null };
}

/** A job as the store keeps it (server/jobs runs them). */
export interface JobRecord {
  id: string;
  kind: string;
  /** What it does, for people: Import of “BRICS”. */
  label: string;
  owner: string;
  state: JobState;
  /** 0..1. */
  progress: number;
  /** What it is doing, or why it failed. */
  message: string;
  result: JobResult | null;
  /** Who runs it: one runner per process (host and pid tell a dead one on this machine). */
  runner: { id: string; host: string; pid: number };
  dedupeKey: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string;
}

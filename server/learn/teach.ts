/**
 * Which rows teach the table, and how a change to a document changes the counts: a row teaches when
 * it is confirmed and has text on both sides; it teaches the evidence of its two texts (evidence.ts).
 * Every store backend calls these in the transaction that changes the document, so the counts always
 * equal those of a rebuild from the confirmed rows.
 */
import type { ReviewBead, ReviewDocument } from '../domain.js';
import type { DocumentChange } from '../review/change.js';
import { joinSentences, primaryLanguage } from '../text/lang.js';
import { CountsDelta } from './counts.js';
import { beadEvidence, type BeadEvidence } from './evidence.js';

/** The language pairs a table is learnt for (the words' language first); only zh–en has a learner. */
export type LearntLangs = 'zh-en';

/** The table a document of these languages teaches, or null when none is learnt for the pair. */
export function learntLangs(sourceLang: string, targetLang: string): LearntLangs | null {
  const pair = new Set([primaryLanguage(sourceLang), primaryLanguage(targetLang)]);
  return pair.has('zh') && pair.has('en') ? 'zh-en' : null;
}

/** Characters in a project (client) name, the scope a document's rows teach ('' = none). */
export const MAX_PROJECT_CHARS = 100;

/** Which table: a language pair, and one project ('' = documents without one) or all of them (undefined). */
export interface LearntScope {
  langs: LearntLangs;
  project?: string;
}

export interface LearntSummary {
  /** Confirmed rows learnt from. */
  beads: number;
  /** Distinct Chinese words, English terms and word–term pairs counted. */
  words: number;
  terms: number;
  pairs: number;
}

/** Whether a row teaches: confirmed, with sentences on both sides. */
export function teaches(bead: ReviewBead): boolean {
  return bead.status === 'confirmed' && bead.source.length > 0 && bead.target.length > 0;
}

/** The parts of a document the learner reads. */
export type TeachingDocument = Pick<ReviewDocument, 'source' | 'target' | 'beads'>;

/** The texts of a row, Chinese and English. */
export function rowTexts(doc: TeachingDocument, bead: ReviewBead): { zh: string; en: string } {
  const source = joinSentences(bead.source.map((i) => doc.source.sentences[i]?.text ?? ''), doc.source.lang);
  const target = joinSentences(bead.target.map((i) => doc.target.sentences[i]?.text ?? ''), doc.target.lang);
  return primaryLanguage(doc.source.lang) === 'zh' ? { zh: source, en: target } : { zh: target, en: source };
}

/** What a teaching row of a zh–en document teaches. */
export function rowEvidence(doc: TeachingDocument, bead: ReviewBead): BeadEvidence {
  const t = rowTexts(doc, bead);
  return beadEvidence(t.zh, t.en);
}

/**
 * The rows a change touched: those of its window before and after, every row holding a target
 * sentence it edited, and every row holding a sentence of a segmentation change's window (a split or
 * joined sentence), in either document.
 */
export function touchedRows(before: ReviewDocument, after: ReviewDocument, change: DocumentChange): string[] {
  const ids = new Set<string>();
  for (const b of change.before.beads?.items ?? []) ids.add(b.id);
  for (const b of change.after.beads?.items ?? []) ids.add(b.id);
  const edited = new Set([...change.before.target, ...change.after.target].map((s) => s.index));
  if (edited.size) {
    for (const doc of [before, after]) for (const b of doc.beads) if (b.target.some((t) => edited.has(t))) ids.add(b.id);
  }
  for (const [doc, seg] of [
    [before, change.before.sentences],
    [after, change.after.sentences],
  ] as const) {
    if (!seg) continue;
    const end = seg.at + seg.items.length;
    for (const b of doc.beads) if (b[seg.side].some((i) => i >= seg.at && i < end)) ids.add(b.id);
  }
  return [...ids];
}

/** What to do to the counts and to the taught rows' records. */
export interface Relearning {
  delta: CountsDelta;
  /** Rows that now teach, with what they teach (recorded, replacing any earlier record). */
  put: Array<[string, BeadEvidence]>;
  /** Rows that no longer teach (records removed). */
  drop: string[];
}

const sameEvidence = (x: BeadEvidence, y: BeadEvidence): boolean => JSON.stringify(x) === JSON.stringify(y);

/**
 * Brings the rows `ids` of a document up to date: `taught` holds what each of them taught until now
 * (as recorded when it was taught); `doc` is the document now (null when it is deleted). A row taken
 * back subtracts exactly its record, so a retraction is exact even if the learner changed since.
 */
export function relearn(
  doc: TeachingDocument | null,
  ids: Iterable<string>,
  taught: ReadonlyMap<string, BeadEvidence>,
  onRow?: () => void,
): Relearning {
  const out: Relearning = { delta: new CountsDelta(), put: [], drop: [] };
  const wanted = new Set(ids);
  const rows = new Map<string, ReviewBead>();
  if (doc && learntLangs(doc.source.lang, doc.target.lang)) for (const b of doc.beads) if (wanted.has(b.id) && teaches(b)) rows.set(b.id, b);
  for (const id of wanted) {
    const old = taught.get(id);
    const bead = rows.get(id);
    const now = doc && bead ? rowEvidence(doc, bead) : undefined;
    if (now) onRow?.();
    if (old && now && sameEvidence(old, now)) continue;
    if (old) {
      out.delta.add(old, -1);
      out.drop.push(id);
    }
    if (now) {
      out.delta.add(now, 1);
      out.put.push([id, now]);
    }
  }
  return out;
}

/**
 * Builds a ReviewDocument from imported translation units (one bead per unit, one sentence per
 * non-empty side), so an imported TMX can be reviewed and exported like an aligned document.
 */
import type { Finding, HistoryEntry, Paragraph, ReviewBead, ReviewDocument, ReviewIssue, Sentence, TargetSentence } from '../domain.js';
import { sentenceSeparator } from '../text/lang.js';
import type { BeadExtras } from './export-rows.js';

export interface ImportedUnit {
  id: string;
  source: string;
  target: string;
  /** Machine output before correction; defaults to `target`. */
  original: string | null;
  status: ReviewBead['status'];
  confidence: number;
  /** 1-based paragraph of the original text. */
  paragraph: number;
  issues: ReviewIssue[];
  extras: BeadExtras;
  createdAt: string | null;
  creator: string | null;
  changedAt: string | null;
  changer: string | null;
}

export interface ImportedDocument {
  document: ReviewDocument;
  /** History reconstructed from the file (dates and reviewers), in store order. */
  history: HistoryEntry[];
  /** Foreign props and notes per bead id (the same objects as the beads' `meta`). */
  extras: Map<string, BeadExtras>;
  /** QA findings stored in the file (JSON only). */
  findings?: Finding[];
}

interface SideBuild<S extends Sentence> {
  text: string;
  paragraphs: Paragraph[];
  sentences: S[];
}

/**
 * Lays one side out: paragraphs 1..max (gaps become empty paragraphs, so paragraph numbers survive
 * a round trip), sentences joined per the language, offsets into the built text.
 */
function buildSide<S extends Sentence>(
  units: readonly ImportedUnit[],
  lang: string,
  pick: (u: ImportedUnit) => string,
  make: (s: Sentence, u: ImportedUnit) => S,
): { side: SideBuild<S>; indexOf: Map<ImportedUnit, number> } {
  const joiner = sentenceSeparator(lang);
  const maxPara = units.reduce((m, u) => Math.max(m, u.paragraph), 1);
  const byPara: ImportedUnit[][] = Array.from({ length: maxPara }, () => []);
  for (const u of units) byPara[u.paragraph - 1]!.push(u);
  const parts: string[] = [];
  let pos = 0;
  const paragraphs: Paragraph[] = [];
  const sentences: S[] = [];
  const indexOf = new Map<ImportedUnit, number>();
  for (let p = 0; p < maxPara; p++) {
    if (p > 0) {
      parts.push('\n\n');
      pos += 2;
    }
    const start = pos;
    let first = true;
    for (const u of byPara[p]!) {
      const text = pick(u);
      if (text === '') continue;
      if (!first) {
        parts.push(joiner);
        pos += joiner.length;
      }
      first = false;
      indexOf.set(u, sentences.length);
      sentences.push(make({ index: sentences.length, paragraph: p, text, start: pos, end: pos + text.length }, u));
      parts.push(text);
      pos += text.length;
    }
    paragraphs.push({ index: p, kind: 'plain', number: null, text: '', spans: [{ start, end: pos }] });
  }
  const text = parts.join('');
  for (const para of paragraphs) {
    const span = para.spans[0]!;
    para.text = text.slice(span.start, span.end);
  }
  return { side: { text, paragraphs, sentences }, indexOf };
}

export function documentFromUnits(
  units: ImportedUnit[],
  opts: { id: string; name: string; sourceLang: string; targetLang: string; model: string; now: string; creator: string | null },
): ImportedDocument {
  // Units are laid out in file order; paragraph numbers must not go backwards for the layout.
  let last = 1;
  for (const u of units) {
    if (u.paragraph < last) u.paragraph = last;
    last = u.paragraph;
  }
  const src = buildSide(units, opts.sourceLang, (u) => u.source, (s) => s);
  const tgt = buildSide<TargetSentence>(units, opts.targetLang, (u) => u.target, (s, u) => ({ ...s, original: u.original ?? u.target }));
  const beads: ReviewBead[] = [];
  const issues: ReviewIssue[] = [];
  const extras = new Map<string, BeadExtras>();
  const created = units.reduce<string | null>((m, u) => (u.createdAt && (!m || u.createdAt < m) ? u.createdAt : m), null) ?? opts.now;
  const updated = units.reduce<string>((m, u) => (u.changedAt && u.changedAt > m ? u.changedAt : m), created);
  // Only what the file says: no creator invented when the file names none (round trips stay exact).
  const history: HistoryEntry[] = opts.creator === null ? [] : [
    { seq: 1, documentId: opts.id, revision: 0, author: opts.creator, at: created, op: { kind: 'import' }, beadIds: [] },
  ];
  for (const u of units) {
    const s = src.indexOf.get(u);
    const t = tgt.indexOf.get(u);
    beads.push({
      id: u.id,
      source: s === undefined ? [] : [s],
      target: t === undefined ? [] : [t],
      confidence: u.confidence,
      status: u.status,
      origin: opts.model,
      // Stored with the bead, so a stored import still writes the foreign props and notes back.
      ...(u.extras.props.length || u.extras.notes.length ? { meta: u.extras } : {}),
    });
    issues.push(...u.issues);
    if (u.extras.props.length || u.extras.notes.length) extras.set(u.id, u.extras);
    if (u.changedAt && u.changedAt !== created) {
      history.push({
        seq: history.length + 1,
        documentId: opts.id,
        revision: 0,
        author: u.changer ?? '',
        at: u.changedAt,
        op: { kind: 'import' },
        beadIds: [u.id],
      });
    }
  }
  const document: ReviewDocument = {
    id: opts.id,
    name: opts.name,
    source: { lang: opts.sourceLang, ...src.side },
    target: { lang: opts.targetLang, ...tgt.side },
    paragraphPairs: src.side.paragraphs.map((p) => ({ a: [p.index], b: [p.index], method: 'number' as const })),
    beads,
    issues,
    versions: [],
    model: opts.model,
    revision: 0,
    createdAt: created,
    updatedAt: updated,
  };
  return { document, history, extras };
}

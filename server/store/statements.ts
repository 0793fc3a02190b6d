/**
 * The documents' SQL statements, written once for both databases (`?` placeholders; the PostgreSQL
 * driver numbers them). Each driver prepares a statement once per connection, on first use.
 */

/** History columns without the before/after snapshots (which can be hundreds of kB per entry). */
const BRIEF_HISTORY = 'seq, doc_id, revision, author, at, op, NULL AS before, NULL AS after, bead_ids, undo_state, undone_by, undone_seq, row_span';

export const SQL = {
  docById: 'SELECT * FROM documents WHERE id = ?',
  docExists: 'SELECT revision FROM documents WHERE id = ?',
  docGlossary: 'SELECT d.id, g.glossary_id FROM documents d LEFT JOIN document_glossaries g ON g.doc_id = d.id WHERE d.id = ?',
  setDocGlossary: 'INSERT INTO document_glossaries (doc_id, glossary_id) VALUES (?, ?) ON CONFLICT (doc_id) DO UPDATE SET glossary_id = excluded.glossary_id',
  clearDocGlossary: 'DELETE FROM document_glossaries WHERE doc_id = ?',
  deleteDoc: 'DELETE FROM documents WHERE id = ?',
  insertParagraph: 'INSERT INTO paragraphs (doc_id, side, idx, kind, number, text, spans) VALUES (?, ?, ?, ?, ?, ?, ?)',
  paragraphs: 'SELECT * FROM paragraphs WHERE doc_id = ? AND side = ? ORDER BY idx',
  insertSentence: 'INSERT INTO sentences (doc_id, side, idx, paragraph, text, original, start_offset, end_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  sentences: 'SELECT * FROM sentences WHERE doc_id = ? AND side = ? ORDER BY idx',
  setSentenceText: "UPDATE sentences SET text = ? WHERE doc_id = ? AND side = 'target' AND idx = ?",
  deleteSentencesFrom: 'DELETE FROM sentences WHERE doc_id = ? AND side = ? AND idx >= ?',
  upsertBead: `INSERT INTO beads (doc_id, id, ord, source, target, confidence, status, origin, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (doc_id, id) DO UPDATE SET ord = excluded.ord, source = excluded.source, target = excluded.target,
               confidence = excluded.confidence, status = excluded.status, origin = excluded.origin, meta = excluded.meta`,
  deleteBead: 'DELETE FROM beads WHERE doc_id = ? AND id = ?',
  setBeadOrd: 'UPDATE beads SET ord = ? WHERE doc_id = ? AND id = ?',
  beads: 'SELECT * FROM beads WHERE doc_id = ? ORDER BY ord',
  insertIssue: `INSERT INTO issues (doc_id, id, ord, bead_id, category, severity, comment, span_start, span_end, origin, check_id, status, author, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  deleteIssuesFrom: 'DELETE FROM issues WHERE doc_id = ? AND ord >= ? AND ord < ?',
  deleteIssuesAfter: 'DELETE FROM issues WHERE doc_id = ? AND ord >= ?',
  issues: 'SELECT * FROM issues WHERE doc_id = ? ORDER BY ord',
  insertVersion: 'INSERT INTO versions (doc_id, id, name, lang, text_by_bead, created_at, author, anchors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  versionsWithoutAnchors: 'SELECT doc_id, id, text_by_bead FROM versions WHERE anchors IS NULL',
  setVersionAnchors: 'UPDATE versions SET anchors = ? WHERE doc_id = ? AND id = ? AND anchors IS NULL',
  replaceVersionAnchors: 'UPDATE versions SET anchors = ? WHERE doc_id = ? AND id = ?',
  versions: 'SELECT * FROM versions WHERE doc_id = ? ORDER BY created_at, id',
  countVersions: 'SELECT COUNT(*) AS n FROM versions WHERE doc_id = ?',
  /** The seq of the newest entry of the document's current revision. */
  lastSeq: 'SELECT seq FROM history WHERE doc_id = ? ORDER BY revision DESC, seq DESC LIMIT 1',
  // Conflict checks need who/what/which rows, not the (large) recorded changes.
  historySince: `SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision`,
  // Revisions grow with seq within a document, so ordering by revision walks the index.
  historyAsc: 'SELECT * FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision ASC LIMIT ? OFFSET ?',
  /** The document's revision and its entries after a revision, oldest first, in one statement (one row with null entry columns when there are none). */
  changesSince: `SELECT d.revision AS d_revision, h.seq, h.doc_id, h.revision, h.author, h.at, h.op, h.before, h.after, h.bead_ids, h.undo_state, h.undone_by, h.undone_seq, h.row_span
    FROM documents d LEFT JOIN history h ON h.doc_id = d.id AND h.revision > ? WHERE d.id = ? ORDER BY h.revision, h.seq LIMIT ?`,
  historyDesc: 'SELECT * FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision DESC LIMIT ? OFFSET ?',
  historyAscBrief: `SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision ASC LIMIT ? OFFSET ?`,
  historyDescBrief: `SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision DESC LIMIT ? OFFSET ?`,
  /** A new operation clears its author's redo list (entries they undid). */
  killRedo: "UPDATE history SET undo_state = 'dead', undone_by = NULL, undone_seq = NULL WHERE doc_id = ? AND undo_state = 'undone' AND (undone_by = ? OR undone_by IS NULL)",
  setUndoState: 'UPDATE history SET undo_state = ?, undone_by = ?, undone_seq = ? WHERE seq = ?',
  /** The entry undo takes: the newest still applied (of one author). */
  undoTop: "SELECT * FROM history WHERE doc_id = ? AND undo_state = 'applied' ORDER BY seq DESC LIMIT 1",
  undoTopBy: "SELECT * FROM history WHERE doc_id = ? AND author = ? AND undo_state = 'applied' ORDER BY seq DESC LIMIT 1",
  /** The entry redo takes: the most recently undone, when no operation came after that undo. */
  redoTop: `SELECT * FROM history WHERE doc_id = ? AND undo_state = 'undone'
              AND undone_seq > (SELECT COALESCE(MAX(seq), 0) FROM history WHERE doc_id = ? AND undo_state IS NOT NULL)
            ORDER BY undone_seq DESC LIMIT 1`,
  /** … undone by one author, when no operation of theirs came after that undo. */
  redoTopBy: `SELECT * FROM history WHERE doc_id = ? AND undo_state = 'undone' AND undone_by = ?
                AND undone_seq > (SELECT COALESCE(MAX(seq), 0) FROM history WHERE doc_id = ? AND author = ? AND undo_state IS NOT NULL)
              ORDER BY undone_seq DESC LIMIT 1`,
  byCorpusKey: 'SELECT id FROM documents WHERE corpus_key = ?',
  docLearning: 'SELECT source_lang, target_lang, project FROM documents WHERE id = ?',
  docsForLearning: 'SELECT id, source_lang, target_lang, project FROM documents ORDER BY created_at, id',
  confirmedCount: "SELECT COUNT(*) AS n FROM beads WHERE doc_id = ? AND status = 'confirmed'",
  list: `SELECT d.id, d.name, d.source_lang, d.target_lang, d.model, d.revision, d.created_at, d.updated_at, d.corpus_key, d.project,
           (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id AND s.side = 'source') AS source_sentences,
           (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id AND s.side = 'target') AS target_sentences,
           (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id) AS beads,
           (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id AND b.status = 'confirmed') AS confirmed,
           (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id AND b.status = 'flagged') AS flagged,
           (SELECT COUNT(*) FROM issues i WHERE i.doc_id = d.id AND i.status = 'open') AS open_issues
         FROM documents d ORDER BY d.created_at, d.name`,
} as const;

/**
 * The document row and what happened to it since the cache's copy, in one statement (one snapshot,
 * one round trip): revision, update time and row version (`stamp`, the dialect's); when the cached
 * revision (params 1, 2; null: nothing cached) is not the current one, the rows' order keys as JSON
 * (`ords`, the dialect's aggregate of `d.id`'s beads, computed once: the document row is
 * materialized before the join); and the history entries after revision param 6 (one row each; none:
 * one row with null entry columns), with their recorded change only after the cached revision
 * (params 4, 5). Param 3: the document's id. See catch-up.ts.
 */
export function freshSql(stamp: string, ords: string): string {
  return `WITH doc AS MATERIALIZED (
            SELECT d.id, d.revision, d.updated_at, ${stamp} AS stamp,
                   CASE WHEN CAST(? AS INTEGER) IS NOT NULL AND d.revision <> CAST(? AS INTEGER) THEN (${ords}) END AS ords
            FROM documents d WHERE d.id = ?)
          SELECT doc.revision AS d_revision, doc.updated_at AS d_updated_at, doc.stamp AS d_stamp, doc.ords AS d_ords,
            h.seq, h.doc_id, h.revision, h.author, h.at, h.op, h.bead_ids, h.undo_state, h.undone_by, h.undone_seq, h.row_span,
            CASE WHEN h.revision > CAST(? AS INTEGER) THEN h.before END AS before,
            CASE WHEN h.revision > CAST(? AS INTEGER) THEN h.after END AS after
          FROM doc LEFT JOIN history h ON h.doc_id = doc.id AND h.revision > CAST(? AS INTEGER)
          ORDER BY h.revision, h.seq`;
}

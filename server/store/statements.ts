/** Every SQL statement of the SQLite store, prepared once per connection. */
import type Database from 'better-sqlite3';

/** History columns without the before/after snapshots (which can be hundreds of kB per entry). */
const BRIEF_HISTORY = 'seq, doc_id, revision, author, at, op, NULL AS before, NULL AS after, bead_ids, undo_state, undone_by, undone_seq, row_span';

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  return {
    docById: p('SELECT * FROM documents WHERE id = ?'),
    docExists: p('SELECT revision, updated_at FROM documents WHERE id = ?'),
    dataVersion: p('PRAGMA data_version').pluck(),
    insertDoc: p(`INSERT INTO documents (id, name, source_lang, target_lang, source_text, target_text, paragraph_pairs, model, revision, created_at, updated_at, corpus_key, project)
                  VALUES (@id, @name, @source_lang, @target_lang, @source_text, @target_text, @paragraph_pairs, @model, @revision, @created_at, @updated_at, @corpus_key, @project)`),
    docLearning: p('SELECT source_lang, target_lang, project FROM documents WHERE id = ?'),
    docsForLearning: p('SELECT id, source_lang, target_lang, project FROM documents ORDER BY created_at, id'),
    confirmedCount: p("SELECT COUNT(*) FROM beads WHERE doc_id = ? AND status = 'confirmed'").pluck(),
    touchDoc: p('UPDATE documents SET revision = ?, updated_at = ? WHERE id = ?'),
    docGlossary: p('SELECT d.id, g.glossary_id FROM documents d LEFT JOIN document_glossaries g ON g.doc_id = d.id WHERE d.id = ?'),
    setDocGlossary: p('INSERT INTO document_glossaries (doc_id, glossary_id) VALUES (?, ?) ON CONFLICT (doc_id) DO UPDATE SET glossary_id = excluded.glossary_id'),
    clearDocGlossary: p('DELETE FROM document_glossaries WHERE doc_id = ?'),
    deleteDoc: p('DELETE FROM documents WHERE id = ?'),
    insertParagraph: p('INSERT INTO paragraphs (doc_id, side, idx, kind, number, text, spans) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    paragraphs: p('SELECT * FROM paragraphs WHERE doc_id = ? AND side = ? ORDER BY idx'),
    insertSentence: p('INSERT INTO sentences (doc_id, side, idx, paragraph, text, original, start_offset, end_offset) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    sentences: p('SELECT * FROM sentences WHERE doc_id = ? AND side = ? ORDER BY idx'),
    setSentenceText: p("UPDATE sentences SET text = ? WHERE doc_id = ? AND side = 'target' AND idx = ?"),
    deleteSentencesFrom: p('DELETE FROM sentences WHERE doc_id = ? AND side = ? AND idx >= ?'),
    upsertBead: p(`INSERT INTO beads (doc_id, id, ord, source, target, confidence, status, origin, meta) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (doc_id, id) DO UPDATE SET ord = excluded.ord, source = excluded.source, target = excluded.target,
                   confidence = excluded.confidence, status = excluded.status, origin = excluded.origin, meta = excluded.meta`),
    deleteBead: p('DELETE FROM beads WHERE doc_id = ? AND id = ?'),
    setBeadOrd: p('UPDATE beads SET ord = ? WHERE doc_id = ? AND id = ?'),
    beads: p('SELECT * FROM beads WHERE doc_id = ? ORDER BY ord'),
    insertIssue: p(`INSERT INTO issues (doc_id, id, ord, bead_id, category, severity, comment, span_start, span_end, origin, check_id, status, author, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    deleteIssuesFrom: p('DELETE FROM issues WHERE doc_id = ? AND ord >= ? AND ord < ?'),
    issues: p('SELECT * FROM issues WHERE doc_id = ? ORDER BY ord'),
    insertVersion: p('INSERT INTO versions (doc_id, id, name, lang, text_by_bead, created_at, author, anchors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
    versionsWithoutAnchors: p('SELECT doc_id, id, text_by_bead FROM versions WHERE anchors IS NULL'),
    setVersionAnchors: p('UPDATE versions SET anchors = ? WHERE doc_id = ? AND id = ? AND anchors IS NULL'),
    replaceVersionAnchors: p('UPDATE versions SET anchors = ? WHERE doc_id = ? AND id = ?'),
    versions: p('SELECT * FROM versions WHERE doc_id = ? ORDER BY created_at, id'),
    countVersions: p('SELECT COUNT(*) AS n FROM versions WHERE doc_id = ?'),
    insertHistory: p(`INSERT INTO history (doc_id, revision, author, at, op, before, after, bead_ids, undo_state, undone_by, undone_seq, row_span)
                      VALUES (@doc_id, @revision, @author, @at, @op, @before, @after, @bead_ids, @undo_state, @undone_by, @undone_seq, @row_span)`),
    insertHistoryAt: p(`INSERT INTO history (seq, doc_id, revision, author, at, op, before, after, bead_ids, undo_state, undone_by, undone_seq, row_span)
                        VALUES (@seq, @doc_id, @revision, @author, @at, @op, @before, @after, @bead_ids, @undo_state, @undone_by, @undone_seq, @row_span)`),
    // Highest seq ever given (AUTOINCREMENT never reuses one, even after a delete).
    maxSeq: p("SELECT MAX(n) AS n FROM (SELECT COALESCE(MAX(seq), 0) AS n FROM history UNION ALL SELECT seq FROM sqlite_sequence WHERE name = 'history')"),
    // Conflict checks need who/what/which rows, not the (large) recorded changes.
    historySince: p(`SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision`),
    // Revisions grow with seq within a document, so ordering by revision walks the index.
    historyAsc: p('SELECT * FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision ASC LIMIT ? OFFSET ?'),
    historyDesc: p('SELECT * FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision DESC LIMIT ? OFFSET ?'),
    historyAscBrief: p(`SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision ASC LIMIT ? OFFSET ?`),
    historyDescBrief: p(`SELECT ${BRIEF_HISTORY} FROM history WHERE doc_id = ? AND revision > ? ORDER BY revision DESC LIMIT ? OFFSET ?`),
    /** A new operation clears its author's redo list (entries they undid). */
    killRedo: p("UPDATE history SET undo_state = 'dead', undone_by = NULL, undone_seq = NULL WHERE doc_id = ? AND undo_state = 'undone' AND (undone_by = ? OR undone_by IS NULL)"),
    setUndoState: p('UPDATE history SET undo_state = ?, undone_by = ?, undone_seq = ? WHERE seq = ?'),
    /** The entry undo takes: the newest still applied (of one author). */
    undoTop: p("SELECT * FROM history WHERE doc_id = ? AND undo_state = 'applied' ORDER BY seq DESC LIMIT 1"),
    undoTopBy: p("SELECT * FROM history WHERE doc_id = ? AND author = ? AND undo_state = 'applied' ORDER BY seq DESC LIMIT 1"),
    /** The entry redo takes: the most recently undone, when no operation came after that undo. */
    redoTop: p(`SELECT * FROM history WHERE doc_id = ? AND undo_state = 'undone'
                  AND undone_seq > (SELECT COALESCE(MAX(seq), 0) FROM history WHERE doc_id = ? AND undo_state IS NOT NULL)
                ORDER BY undone_seq DESC LIMIT 1`),
    /** … undone by one author, when no operation of theirs came after that undo. */
    redoTopBy: p(`SELECT * FROM history WHERE doc_id = ? AND undo_state = 'undone' AND undone_by = ?
                    AND undone_seq > (SELECT COALESCE(MAX(seq), 0) FROM history WHERE doc_id = ? AND author = ? AND undo_state IS NOT NULL)
                  ORDER BY undone_seq DESC LIMIT 1`),
    byCorpusKey: p('SELECT id FROM documents WHERE corpus_key = ?'),
    list: p(`SELECT d.id, d.name, d.source_lang, d.target_lang, d.model, d.revision, d.created_at, d.updated_at, d.corpus_key, d.project,
               (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id AND s.side = 'source') AS source_sentences,
               (SELECT COUNT(*) FROM sentences s WHERE s.doc_id = d.id AND s.side = 'target') AS target_sentences,
               (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id) AS beads,
               (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id AND b.status = 'confirmed') AS confirmed,
               (SELECT COUNT(*) FROM beads b WHERE b.doc_id = d.id AND b.status = 'flagged') AS flagged,
               (SELECT COUNT(*) FROM issues i WHERE i.doc_id = d.id AND i.status = 'open') AS open_issues
             FROM documents d ORDER BY d.created_at, d.name`),
  };
}

/**
 * Versioned schema migrations. Each runs once, in order, inside a transaction; `schema_version`
 * records the last applied one. Never edit a released migration: append a new one.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'documents, paragraphs, sentences, beads, versions, issues, history',
    sql: `
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        source_lang TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        source_text TEXT NOT NULL,
        target_text TEXT NOT NULL,
        paragraph_pairs TEXT NOT NULL,          -- JSON ParagraphPair[] (a = source, b = target)
        model TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        corpus_key TEXT UNIQUE
      );
      CREATE TABLE paragraphs (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('source', 'target')),
        idx INTEGER NOT NULL,
        kind TEXT NOT NULL,
        number TEXT,
        text TEXT NOT NULL,
        spans TEXT NOT NULL,                    -- JSON Span[]
        PRIMARY KEY (doc_id, side, idx)
      ) WITHOUT ROWID;
      CREATE TABLE sentences (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('source', 'target')),
        idx INTEGER NOT NULL,
        paragraph INTEGER NOT NULL,
        text TEXT NOT NULL,                     -- as reviewed (target) or as split (source)
        original TEXT,                          -- machine output of a target sentence, never changed
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        PRIMARY KEY (doc_id, side, idx)
      ) WITHOUT ROWID;
      CREATE TABLE beads (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        ord REAL NOT NULL,                      -- sparse order key: inserting a row rewrites no other row
        source TEXT NOT NULL,                   -- JSON number[]
        target TEXT NOT NULL,                   -- JSON number[]
        confidence REAL NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('automatic', 'confirmed', 'flagged')),
        origin TEXT NOT NULL,
        PRIMARY KEY (doc_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX beads_order ON beads (doc_id, ord);
      CREATE TABLE versions (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        lang TEXT NOT NULL,
        text_by_bead TEXT NOT NULL,             -- JSON Record<beadId, string>
        created_at TEXT NOT NULL,
        author TEXT NOT NULL,
        PRIMARY KEY (doc_id, id)
      ) WITHOUT ROWID;
      CREATE TABLE issues (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        ord INTEGER NOT NULL,
        bead_id TEXT NOT NULL,
        category TEXT NOT NULL,                 -- MQM category
        severity TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
        comment TEXT NOT NULL,
        span_start INTEGER,
        span_end INTEGER,
        origin TEXT NOT NULL CHECK (origin IN ('human', 'automatic')),
        check_id TEXT,
        status TEXT NOT NULL CHECK (status IN ('open', 'resolved', 'dismissed')),
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (doc_id, id)
      ) WITHOUT ROWID;
      CREATE INDEX issues_order ON issues (doc_id, ord);
      CREATE TABLE history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL,
        author TEXT NOT NULL,
        at TEXT NOT NULL,
        op TEXT NOT NULL,                       -- JSON ReviewOp | undo | redo | import
        before TEXT,                            -- JSON HistoryChangeSide
        after TEXT,                             -- JSON HistoryChangeSide
        bead_ids TEXT NOT NULL,                 -- JSON string[]
        undo_state TEXT CHECK (undo_state IN ('applied', 'undone', 'dead'))  -- operations only
      );
      CREATE INDEX history_doc_revision ON history (doc_id, revision);
      CREATE INDEX history_doc_undo ON history (doc_id, undo_state, seq);
    `,
  },
  {
    version: 2,
    description: 'beads.meta: props and notes of a foreign TMX unit',
    sql: `
      ALTER TABLE beads ADD COLUMN meta TEXT;  -- JSON BeadMeta; NULL when the bead has none
    `,
  },
  {
    version: 3,
    description: 'versions.anchors: where each row of a version began, so its text follows merges, splits and re-aligns',
    sql: `
      ALTER TABLE versions ADD COLUMN anchors TEXT;  -- JSON VersionAnchor[]; NULL until filled in on open
    `,
  },
  {
    version: 4,
    description: 'history: who undid an entry and when (each reviewer undoes their own changes), and the rows each change touched',
    sql: `
      ALTER TABLE history ADD COLUMN undone_by TEXT;       -- while undone: who undid it
      ALTER TABLE history ADD COLUMN undone_seq INTEGER;   -- while undone: the seq of the undo entry
      ALTER TABLE history ADD COLUMN row_span TEXT;        -- JSON RowSpan: rows [at, at + before) became [at, at + after)
      UPDATE history SET undone_seq = (
        SELECT MAX(u.seq) FROM history u
        WHERE u.doc_id = history.doc_id AND json_extract(u.op, '$.kind') = 'undo' AND json_extract(u.op, '$.of') = history.seq
      ) WHERE undo_state = 'undone';
      UPDATE history SET undone_by = (SELECT u.author FROM history u WHERE u.seq = history.undone_seq) WHERE undone_seq IS NOT NULL;
      UPDATE history SET row_span = json_object(
        'at', json_extract(before, '$.beads.at'),
        'before', json_array_length(before, '$.beads.items'),
        'after', json_array_length(after, '$.beads.items')
      ) WHERE before IS NOT NULL AND after IS NOT NULL AND json_type(before, '$.beads') = 'object';
      CREATE INDEX history_doc_author ON history (doc_id, author, undo_state, seq);
    `,
  },
];

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
    description: 'documents.project; the translation table learnt from confirmed rows (counts per language pair and project)',
    sql: `
      ALTER TABLE documents ADD COLUMN project TEXT NOT NULL DEFAULT '';  -- project or client; '' = none
      CREATE TABLE learnt_tables (
        id INTEGER PRIMARY KEY,
        langs TEXT NOT NULL,                    -- 'zh-en': Chinese words → English terms
        project TEXT NOT NULL,                  -- the documents' project ('' = none)
        beads INTEGER NOT NULL CHECK (beads >= 0),  -- confirmed rows it learnt from
        UNIQUE (langs, project)
      );
      CREATE TABLE learnt_words (
        tbl INTEGER NOT NULL REFERENCES learnt_tables(id) ON DELETE CASCADE,
        side TEXT NOT NULL CHECK (side IN ('zh', 'en')),
        word TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n > 0),       -- rows holding the word (zh) or term (en)
        PRIMARY KEY (tbl, side, word)
      ) WITHOUT ROWID;
      CREATE TABLE learnt_pairs (
        tbl INTEGER NOT NULL REFERENCES learnt_tables(id) ON DELETE CASCADE,
        word TEXT NOT NULL,
        term TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n > 0),       -- rows that counted the pair
        PRIMARY KEY (tbl, word, term)
      ) WITHOUT ROWID;
      -- What the aligner reads of a word: its pairs counted at least twice (MIN_PAIR_COUNT,
      -- server/learn/counts.ts), most counted last, so a lower bound on the count is a range.
      CREATE INDEX learnt_pairs_read ON learnt_pairs (tbl, word, n, term) WHERE n >= 2;
      -- What each teaching row added (JSON BeadEvidence): taking the row back subtracts exactly this.
      CREATE TABLE learnt_rows (
        doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        bead_id TEXT NOT NULL,
        tbl INTEGER NOT NULL REFERENCES learnt_tables(id) ON DELETE CASCADE,
        evidence TEXT NOT NULL,                 -- encodeEvidence (server/learn/evidence.ts)
        PRIMARY KEY (doc_id, bead_id)
      ) WITHOUT ROWID;
      CREATE INDEX learnt_rows_tbl ON learnt_rows (tbl);
      -- The version of the learner the counts were made by: another one rebuilds them from the rows.
      CREATE TABLE learnt_version (version INTEGER NOT NULL);
    `,
  },
];

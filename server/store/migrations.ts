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
    description: 'jobs (long work off the web thread) with their result files; glossaries in the store, chosen per document',
    sql: `
      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        label TEXT NOT NULL,                    -- what it does, for people: Import of “BRICS”
        owner TEXT NOT NULL,                    -- the reviewer who submitted it (limits per reviewer)
        state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        progress REAL NOT NULL DEFAULT 0,       -- 0..1
        message TEXT NOT NULL DEFAULT '',
        result TEXT,                            -- JSON JobResult once done
        runner_id TEXT NOT NULL,                -- the job runner (one per process) that holds it
        runner_host TEXT NOT NULL,
        runner_pid INTEGER NOT NULL,
        dedupe_key TEXT,                        -- the same work asked again reuses the job (exports, QA reports)
        created_at TEXT NOT NULL,
        started_at TEXT,
        finished_at TEXT,
        heartbeat_at TEXT NOT NULL
      );
      CREATE INDEX jobs_active ON jobs (state, owner);
      CREATE INDEX jobs_finished ON jobs (finished_at);
      CREATE INDEX jobs_dedupe ON jobs (dedupe_key, state);
      CREATE TABLE job_files (
        job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,                   -- chunks of at most 1 MiB, read back in order
        data BLOB NOT NULL,
        PRIMARY KEY (job_id, seq)
      ) WITHOUT ROWID;
      CREATE TABLE glossaries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL UNIQUE,
        is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
        revision INTEGER NOT NULL DEFAULT 0,    -- bumped by every change of its entries
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE UNIQUE INDEX glossaries_one_default ON glossaries (is_default) WHERE is_default = 1;
      CREATE TABLE glossary_entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        glossary_id INTEGER NOT NULL REFERENCES glossaries(id) ON DELETE CASCADE,
        english TEXT NOT NULL,                  -- JSON string[]
        accepted TEXT NOT NULL,                 -- JSON string[]
        forbidden TEXT NOT NULL,                -- JSON string[]
        note TEXT NOT NULL,
        unless_en TEXT NOT NULL,                -- JSON string[]
        revision INTEGER NOT NULL DEFAULT 1,    -- bumped by every change: an edit of an older one is a conflict
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL
      );
      CREATE INDEX glossary_entries_of ON glossary_entries (glossary_id, id);
      CREATE TABLE glossary_history (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        glossary_id INTEGER NOT NULL REFERENCES glossaries(id) ON DELETE CASCADE,
        entry_id INTEGER,                       -- NULL for changes of the glossary itself (import, rename)
        action TEXT NOT NULL CHECK (action IN ('create', 'import', 'add', 'update', 'delete', 'rename', 'default')),
        author TEXT NOT NULL,
        at TEXT NOT NULL,
        before TEXT,                            -- JSON GlossaryEntry (update, delete)
        after TEXT                              -- JSON GlossaryEntry (add, update) or a note
      );
      CREATE INDEX glossary_history_of ON glossary_history (glossary_id, seq);
      CREATE TABLE store_once (
        key TEXT PRIMARY KEY,                   -- work done once per store, ever (the starter glossary import)
        at TEXT NOT NULL
      );
      CREATE TABLE document_glossaries (        -- a document's chosen glossary; none: the default glossary
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        glossary_id INTEGER NOT NULL REFERENCES glossaries(id) ON DELETE CASCADE
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 5,
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
  {
    version: 6,
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
  {
    version: 7,
    description: 'translation sets: documents that translate one original, each aligned to it on its own; a glossary per language pair',
    sql: `
      ALTER TABLE glossaries ADD COLUMN source_lang TEXT NOT NULL DEFAULT 'en';   -- the pair its terms are for
      ALTER TABLE glossaries ADD COLUMN target_lang TEXT NOT NULL DEFAULT 'zh';
      CREATE TABLE translation_sets (
        doc_id TEXT PRIMARY KEY REFERENCES documents(id) ON DELETE CASCADE,
        set_id TEXT NOT NULL,
        position INTEGER NOT NULL                -- the order the translations were given in
      ) WITHOUT ROWID;
      CREATE INDEX translation_sets_of ON translation_sets (set_id, position);
    `,
  },
];

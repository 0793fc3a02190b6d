/**
 * The learnt table's counts on SQLite (tables learnt_*, migration 6): one table per language pair and
 * project, each a number of rows taught, per-word and per-term counts and per-pair counts. Written
 * only inside the store's transactions (the one that confirms, unconfirms, undoes, redoes, imports or
 * deletes), so the counts move with the rows that taught them. What a row teaches is server/learn's.
 */
import type Database from 'better-sqlite3';
import { addPairCount, Counts, CountsBuilder, type CountedPair, type CountsDelta, type ExampleRow, type Marginals, type PairCounts, type PairsQuery, pairKey, splitPairKey } from '../learn/counts.js';
import { joinSentences } from '../text/lang.js';
import { decodeEvidence, encodeEvidence, type BeadEvidence } from '../learn/evidence.js';
import type { LearntLangs, LearntScope, LearntSummary, Relearning } from '../learn/teach.js';

export type { LearntScope, LearntSummary };

/** A count went below zero: the counts and the rows disagree (a bug); the transaction rolls back. */
export class LearntCountsError extends Error {
  override readonly name = 'LearntCountsError';
}

export function prepareLearntStatements(db: Database.Database) {
  const p = (sql: string) => db.prepare(sql);
  // Tables of a scope: one project's, or every project's (`@project IS NULL`).
  const inScope = 'tbl IN (SELECT id FROM learnt_tables WHERE langs = @langs AND (@project IS NULL OR project = @project))';
  return {
    // Pairs counted at least @min times, with the counts of their two sides (glossary suggestions).
    counted: p(
      `SELECT p.word, p.term, p.n, w.n, t.n FROM learnt_pairs AS p INDEXED BY learnt_pairs_read
       JOIN learnt_words AS w ON w.tbl = p.tbl AND w.side = 'zh' AND w.word = p.word
       JOIN learnt_words AS t ON t.tbl = p.tbl AND t.side = 'en' AND t.word = p.term
       WHERE p.tbl = @tbl AND p.n >= @min AND p.n >= 2`,
    ).raw(),
    exampleRow: p('SELECT d.name, d.source_lang, d.target_lang, b.source, b.target FROM beads AS b JOIN documents AS d ON d.id = b.doc_id WHERE b.doc_id = ? AND b.id = ?').raw(),
    sentenceText: p('SELECT text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ?').pluck(),
    rowsOfTable: p('SELECT doc_id, bead_id, evidence FROM learnt_rows WHERE tbl = ? ORDER BY doc_id, bead_id').raw(),
    tableId: p('SELECT id FROM learnt_tables WHERE langs = ? AND project = ?').pluck(),
    insertTable: p('INSERT INTO learnt_tables (langs, project, beads) VALUES (?, ?, 0)'),
    addBeads: p('UPDATE learnt_tables SET beads = beads + ? WHERE id = ? AND beads + ? >= 0'),
    beads: p('SELECT COALESCE(SUM(beads), 0) FROM learnt_tables WHERE langs = @langs AND (@project IS NULL OR project = @project)').pluck(),
    addWord: p('INSERT INTO learnt_words (tbl, side, word, n) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, side, word) DO UPDATE SET n = n + excluded.n'),
    dropWord: p('DELETE FROM learnt_words WHERE tbl = ? AND side = ? AND word = ? AND n = ?'),
    lowerWord: p('UPDATE learnt_words SET n = n - ? WHERE tbl = ? AND side = ? AND word = ? AND n > ?'),
    insertWord: p('INSERT INTO learnt_words (tbl, side, word, n) VALUES (?, ?, ?, ?)'),
    insertPair: p('INSERT INTO learnt_pairs (tbl, word, term, n) VALUES (?, ?, ?, ?)'),
    addPair: p('INSERT INTO learnt_pairs (tbl, word, term, n) VALUES (?, ?, ?, ?) ON CONFLICT (tbl, word, term) DO UPDATE SET n = n + excluded.n'),
    dropPair: p('DELETE FROM learnt_pairs WHERE tbl = ? AND word = ? AND term = ? AND n = ?'),
    lowerPair: p('UPDATE learnt_pairs SET n = n - ? WHERE tbl = ? AND word = ? AND term = ? AND n > ?'),
    tables: p('SELECT id, beads FROM learnt_tables WHERE langs = @langs AND (@project IS NULL OR project = @project) ORDER BY id').raw(),
    // A document's words and terms arrive as one JSON array each (one parameter, any length).
    sliceWords: p('SELECT word, n FROM learnt_words WHERE tbl = @tbl AND side = @side AND word IN (SELECT value FROM json_each(@w))').raw(),
    // A word's pairs counted at least its minimum (json object word → minimum): a range of the
    // partial index learnt_pairs_read (pairs counted at least twice), its terms filtered (+term).
    slicePairs: p(
      `SELECT p.word, p.term, p.n FROM json_each(@min) AS r CROSS JOIN learnt_pairs AS p INDEXED BY learnt_pairs_read
       ON p.tbl = @tbl AND p.word = r.key AND p.n >= r.value AND p.n >= 2 WHERE +p.term IN (SELECT value FROM json_each(@t))`,
    ).raw(),
    // Given pairs (json [[word, term], …]) whatever their count.
    givenPairs: p('SELECT p.word, p.term, p.n FROM json_each(@pairs) AS d CROSS JOIN learnt_pairs AS p ON p.tbl = @tbl AND p.word = d.value ->> 0 AND p.term = d.value ->> 1').raw(),
    countWords: p(`SELECT COUNT(DISTINCT word) FROM learnt_words WHERE ${inScope} AND side = @side`).pluck(),
    countPairs: p(`SELECT COUNT(*) FROM (SELECT DISTINCT word, term FROM learnt_pairs WHERE ${inScope})`).pluck(),
    allWords: p(`SELECT side, word, SUM(n) AS n FROM learnt_words WHERE ${inScope} GROUP BY side, word`).raw(),
    allPairs: p(`SELECT word, term, SUM(n) AS n FROM learnt_pairs WHERE ${inScope} GROUP BY word, term`).raw(),
    deleteTables: p('DELETE FROM learnt_tables WHERE langs = @langs AND (@project IS NULL OR project = @project)'),
    rowsOf: p('SELECT bead_id, evidence FROM learnt_rows WHERE doc_id = @doc AND bead_id IN (SELECT value FROM json_each(@ids))').raw(),
    allRowsOf: p('SELECT bead_id, evidence FROM learnt_rows WHERE doc_id = ?').raw(),
    putRow: p('INSERT INTO learnt_rows (doc_id, bead_id, tbl, evidence) VALUES (?, ?, ?, ?) ON CONFLICT (doc_id, bead_id) DO UPDATE SET tbl = excluded.tbl, evidence = excluded.evidence'),
    dropRow: p('DELETE FROM learnt_rows WHERE doc_id = ? AND bead_id = ?'),
    version: p('SELECT MAX(version) FROM learnt_version').pluck(),
    clearVersion: p('DELETE FROM learnt_version'),
    setVersion: p('INSERT INTO learnt_version (version) VALUES (?)'),
  };
}

type LearntStatements = ReturnType<typeof prepareLearntStatements>;

/** The counts of one database, read and written through prepared statements (call inside a transaction to write). */
export class LearntTables {
  private readonly s: LearntStatements;

  constructor(db: Database.Database) {
    this.s = prepareLearntStatements(db);
  }

  private tableOf(langs: LearntLangs, project: string): number {
    const id = this.s.tableId.get(langs, project) as number | undefined;
    if (id !== undefined) return id;
    return Number(this.s.insertTable.run(langs, project).lastInsertRowid);
  }

  /** Adds a change of counts to the table of (langs, project). Throws LearntCountsError if a count would go below zero. */
  apply(langs: LearntLangs, project: string, d: CountsDelta): void {
    if (d.empty) return;
    const tbl = this.tableOf(langs, project);
    const s = this.s;
    if (d.beads !== 0 && s.addBeads.run(d.beads, tbl, d.beads).changes !== 1) throw new LearntCountsError(`learnt rows of ${langs}/${project} would go below zero`);
    const word = (side: 'zh' | 'en', w: string, n: number): void => {
      if (n > 0) s.addWord.run(tbl, side, w, n);
      else if (s.dropWord.run(tbl, side, w, -n).changes === 0 && s.lowerWord.run(-n, tbl, side, w, -n).changes === 0) {
        throw new LearntCountsError(`learnt count of "${w}" would go below zero`);
      }
    };
    for (const [w, n] of d.words) word('zh', w, n);
    for (const [e, n] of d.terms) word('en', e, n);
    for (const [k, n] of d.pairs) {
      const [w, e] = splitPairKey(k);
      if (n > 0) s.addPair.run(tbl, w, e, n);
      else if (s.dropPair.run(tbl, w, e, -n).changes === 0 && s.lowerPair.run(-n, tbl, w, e, -n).changes === 0) {
        throw new LearntCountsError(`learnt count of "${w}" – "${e}" would go below zero`);
      }
    }
  }

  /** What the rows `ids` of a document taught (all its rows when `ids` is absent), as recorded. */
  taught(docId: string, ids?: readonly string[]): Map<string, BeadEvidence> {
    const rows = (ids ? this.s.rowsOf.all({ doc: docId, ids: JSON.stringify(ids) }) : this.s.allRowsOf.all(docId)) as Array<[string, string]>;
    return new Map(rows.map(([id, ev]) => [id, decodeEvidence(ev)]));
  }

  /** Writes a relearning of a document's rows: the counts of (langs, project), then the rows' records. */
  record(docId: string, langs: LearntLangs, project: string, r: Relearning): void {
    if (r.delta.empty && r.put.length === 0 && r.drop.length === 0) return;
    this.apply(langs, project, r.delta);
    for (const id of r.drop) this.s.dropRow.run(docId, id);
    if (r.put.length === 0) return;
    const tbl = this.tableOf(langs, project);
    for (const [id, ev] of r.put) this.s.putRow.run(docId, id, tbl, encodeEvidence(ev));
  }

  /**
   * A rebuild's writer for one (langs, project) whose table was just cleared: records each row as it
   * comes, then writes the summed counts in key order (plain inserts into empty ranges).
   */
  refill(langs: LearntLangs, project: string): { row(docId: string, beadId: string, ev: BeadEvidence): void; finish(): void } {
    const tbl = this.tableOf(langs, project);
    const counts = new CountsBuilder();
    const s = this.s;
    return {
      row(docId, beadId, ev) {
        counts.add(ev);
        s.putRow.run(docId, beadId, tbl, encodeEvidence(ev));
      },
      finish() {
        if (counts.beads === 0) return;
        s.addBeads.run(counts.beads, tbl, counts.beads);
        const sorted = counts.sorted();
        for (const [w, n] of sorted.words) s.insertWord.run(tbl, 'zh', w, n);
        for (const [e, n] of sorted.terms) s.insertWord.run(tbl, 'en', e, n);
        for (const [w, e, n] of sorted.pairs) s.insertPair.run(tbl, w, e, n);
      },
    };
  }

  /** How many rows taught the scope's tables (one, usually), and hold each of some words and terms. */
  marginals(scope: LearntScope, words: readonly string[], terms: readonly string[]): Marginals {
    const tables = this.tables(scope);
    const out = { beads: 0, words: new Map<string, number>(), terms: new Map<string, number>() };
    if (tables.length === 0) return out;
    const w = JSON.stringify([...new Set(words)]);
    const t = JSON.stringify([...new Set(terms)]);
    const add = (m: Map<string, number>, k: string, n: number): void => {
      m.set(k, (m.get(k) ?? 0) + n);
    };
    for (const [tbl, beads] of tables) {
      out.beads += beads;
      for (const [f, n] of this.s.sliceWords.all({ tbl, side: 'zh', w }) as Array<[string, number]>) add(out.words, f, n);
      for (const [e, n] of this.s.sliceWords.all({ tbl, side: 'en', w: t }) as Array<[string, number]>) add(out.terms, e, n);
    }
    return out;
  }

  /** The pair counts a query asks for, summed over the scope's tables (a minimum applies in each table). */
  pairs(scope: LearntScope, q: PairsQuery): PairCounts {
    const out: PairCounts = new Map();
    const min = JSON.stringify(Object.fromEntries(q.minCount));
    const t = JSON.stringify([...new Set(q.terms)]);
    const given = JSON.stringify(q.pairs);
    for (const [tbl] of this.tables(scope)) {
      const seen = new Set<string>();
      for (const [f, e, n] of this.s.slicePairs.all({ tbl, min, t }) as Array<[string, string, number]>) {
        addPairCount(out, f, e, n);
        seen.add(`${f}\u0000${e}`);
      }
      for (const [f, e, n] of this.s.givenPairs.all({ tbl, pairs: given }) as Array<[string, string, number]>) {
        if (!seen.has(`${f}\u0000${e}`)) addPairCount(out, f, e, n);
      }
    }
    return out;
  }

  /** Pairs counted at least `min` times (in one table) with their sides' counts, summed over the scope. */
  counted(scope: LearntScope, min: number): CountedPair[] {
    const out = new Map<string, CountedPair>();
    for (const [tbl] of this.tables(scope)) {
      for (const [word, term, n, nWord, nTerm] of this.s.counted.all({ tbl, min }) as Array<[string, string, number, number, number]>) {
        const k = `${word}\u0000${term}`;
        const c = out.get(k);
        if (c) {
          c.n += n;
          c.nWord += nWord;
          c.nTerm += nTerm;
        } else out.set(k, { word, term, n, nWord, nTerm });
      }
    }
    return [...out.values()];
  }

  /** Up to `perPair` rows that taught each pair (in the order of their records), with their texts. */
  examples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number): Map<string, ExampleRow[]> {
    const found = new Map<string, Array<[string, string]>>();
    for (const [w, e] of pairs) found.set(pairKey(w, e), []);
    const words = new Set(pairs.map(([w]) => w));
    let open = found.size;
    for (const [tbl] of this.tables(scope)) {
      if (open === 0) break;
      for (const [docId, beadId, text] of this.s.rowsOfTable.iterate(tbl) as Iterable<[string, string, string]>) {
        // Most records hold none of the words: read their words first, decode only the others.
        if (!text.slice(0, text.indexOf('\t')).split(' ').some((w) => words.has(w))) continue;
        const ev = decodeEvidence(text);
        for (const [i, j] of ev.pairs) {
          const list = found.get(pairKey(ev.words[i]!, ev.terms[j]!));
          if (!list || list.length >= perPair) continue;
          list.push([docId, beadId]);
          if (list.length === perPair) open--;
        }
        if (open === 0) break;
      }
    }
    const out = new Map<string, ExampleRow[]>();
    for (const [k, rows] of found) out.set(k, rows.map(([docId, beadId]) => this.exampleRow(docId, beadId)).filter((r): r is ExampleRow => r !== null));
    return out;
  }

  private exampleRow(docId: string, beadId: string): ExampleRow | null {
    const r = this.s.exampleRow.get(docId, beadId) as [string, string, string, string, string] | undefined;
    if (!r) return null;
    const [docName, sourceLang, targetLang, source, target] = r;
    const text = (side: 'source' | 'target', ids: string, lang: string): string =>
      joinSentences((JSON.parse(ids) as number[]).map((i) => (this.s.sentenceText.get(docId, side, i) as string | undefined) ?? ''), lang);
    return { docId, docName, beadId, sourceLang, targetLang, source: text('source', source, sourceLang), target: text('target', target, targetLang) };
  }

  private tables(scope: LearntScope): Array<[number, number]> {
    return this.s.tables.all({ langs: scope.langs, project: scope.project ?? null }) as Array<[number, number]>;
  }

  rows(scope: LearntScope): number {
    return this.s.beads.get({ langs: scope.langs, project: scope.project ?? null }) as number;
  }

  summary(scope: LearntScope): LearntSummary {
    const project = scope.project ?? null;
    return {
      beads: this.s.beads.get({ langs: scope.langs, project }) as number,
      words: this.s.countWords.get({ langs: scope.langs, project, side: 'zh' }) as number,
      terms: this.s.countWords.get({ langs: scope.langs, project, side: 'en' }) as number,
      pairs: this.s.countPairs.get({ langs: scope.langs, project }) as number,
    };
  }

  /** Every count of the scope, in memory (tests compare it with a rebuild; a full load is measured by bench:learn). */
  all(scope: LearntScope): Counts {
    const project = scope.project ?? null;
    const c = new Counts();
    c.beads = this.s.beads.get({ langs: scope.langs, project }) as number;
    for (const [side, w, n] of this.s.allWords.all({ langs: scope.langs, project }) as Array<['zh' | 'en', string, number]>) (side === 'zh' ? c.words : c.terms).set(w, n);
    for (const [f, e, n] of this.s.allPairs.all({ langs: scope.langs, project }) as Array<[string, string, number]>) {
      let row = c.pairs.get(f);
      if (!row) {
        row = new Map();
        c.pairs.set(f, row);
      }
      row.set(e, n);
    }
    return c;
  }

  /** Drops the scope's tables (their counts go with them). */
  clear(scope: LearntScope): void {
    this.s.deleteTables.run({ langs: scope.langs, project: scope.project ?? null });
  }

  version(): number | null {
    return (this.s.version.get() as number | null) ?? null;
  }

  setVersion(v: number): void {
    this.s.clearVersion.run();
    this.s.setVersion.run(v);
  }
}

/**
 * The learnt table's counts on PostgreSQL (tables learnt_*, migration 6): the same tables and the same
 * rules as SQLite's (learnt.ts), over the driver port. Written only inside the store's transactions,
 * a few statements per change (arrays, not a statement per word: a write holds its document's row
 * meanwhile); the writers of one table take turns on its row, so two servers confirming rows that
 * teach the same words at once wait for each other instead of deadlocking.
 */
import { addPairCount, Counts, CountsBuilder, type CountedPair, type ExampleRow, type Marginals, type PairCounts, type PairsQuery, pairKey, splitPairKey } from '../learn/counts.js';
import { decodeEvidence, encodeEvidence, type BeadEvidence } from '../learn/evidence.js';
import type { LearntLangs, LearntScope, LearntSummary, Relearning } from '../learn/teach.js';
import { joinSentences } from '../text/lang.js';
import { LearntCountsError } from './learnt.js';
import type { LearntStore, LearntRefill, SqlTx } from './sql.js';

const IN_SCOPE = 'tbl IN (SELECT id FROM learnt_tables WHERE langs = ? AND (CAST(? AS TEXT) IS NULL OR project = ?))';
const scopeParams = (s: LearntScope): unknown[] => [s.langs, s.project ?? null, s.project ?? null];

export class PgLearnt implements LearntStore {
  /** `once`: reads outside a transaction. */
  constructor(private readonly once: SqlTx) {}

  /** The table of (langs, project), made if missing and locked until the transaction ends, with its count of rows. */
  private async tableOf(tx: SqlTx, langs: LearntLangs, project: string): Promise<{ id: number; beads: number }> {
    // Two servers making the table at once: one inserts, the other updates (and waits for the first).
    const r = await tx.get<{ id: number; beads: number }>(
      'INSERT INTO learnt_tables (langs, project, beads) VALUES (?, ?, 0) ON CONFLICT (langs, project) DO UPDATE SET beads = learnt_tables.beads RETURNING id, beads',
      [langs, project],
    );
    return { id: Number(r!.id), beads: Number(r!.beads) };
  }

  async taught(tx: SqlTx, docId: string, ids?: readonly string[]): Promise<Map<string, BeadEvidence>> {
    const rows = ids
      ? await tx.all<{ bead_id: string; evidence: string }>('SELECT bead_id, evidence FROM learnt_rows WHERE doc_id = ? AND bead_id = ANY(CAST(? AS text[]))', [docId, ids])
      : await tx.all<{ bead_id: string; evidence: string }>('SELECT bead_id, evidence FROM learnt_rows WHERE doc_id = ?', [docId]);
    return new Map(rows.map((r) => [r.bead_id, decodeEvidence(r.evidence)]));
  }

  /**
   * Writes a relearning of a document's rows in two statements whatever its size: the table's row
   * (locked first: the writers of one table take turns, so two cannot deadlock on its words), then
   * its count of rows, the words', terms' and pairs' counts and the rows' records together. A count
   * equal to what is taken back goes, a larger one is lowered (one or the other: one snapshot); any
   * other is an error, and the transaction is rolled back.
   */
  async record(tx: SqlTx, docId: string, langs: LearntLangs, project: string, r: Relearning): Promise<void> {
    const d = r.delta;
    if (d.empty && r.put.length === 0 && r.drop.length === 0) return;
    const table = await this.tableOf(tx, langs, project);
    const tbl = table.id;
    if (table.beads + d.beads < 0) throw new LearntCountsError(`learnt rows of ${langs}/${project} would go below zero`);
    const words = [...[...d.words].map(([w, n]) => ['zh', w, n] as const), ...[...d.terms].map(([e, n]) => ['en', e, n] as const)];
    const pairs = [...d.pairs].map(([k, n]) => [...splitPairKey(k), n] as const);
    const params: unknown[] = [];
    // Numbered parameters ($n), one per value: the table's id appears many times.
    const p = (v: unknown, type: string): string => `$${params.push(v)}::${type}`;
    const T = p(tbl, 'bigint');
    const sql = `WITH w AS (SELECT * FROM unnest(${p(words.map((x) => x[0]), 'text[]')}, ${p(words.map((x) => x[1]), 'text[]')}, ${p(words.map((x) => x[2]), 'int[]')}) AS w(side, word, n)),
        pr AS (SELECT * FROM unnest(${p(pairs.map((x) => x[0]), 'text[]')}, ${p(pairs.map((x) => x[1]), 'text[]')}, ${p(pairs.map((x) => x[2]), 'int[]')}) AS pr(word, term, n)),
        tb AS (UPDATE learnt_tables SET beads = beads + ${p(d.beads, 'int')} WHERE id = ${T}),
        wup AS (INSERT INTO learnt_words (tbl, side, word, n) SELECT ${T}, side, word, n FROM w WHERE n > 0
                ON CONFLICT (tbl, side, word) DO UPDATE SET n = learnt_words.n + excluded.n),
        wgone AS (DELETE FROM learnt_words x USING w WHERE w.n < 0 AND x.tbl = ${T} AND x.side = w.side AND x.word = w.word AND x.n = -w.n RETURNING 1),
        wlow AS (UPDATE learnt_words x SET n = x.n + w.n FROM w WHERE w.n < 0 AND x.tbl = ${T} AND x.side = w.side AND x.word = w.word AND x.n > -w.n RETURNING 1),
        pup AS (INSERT INTO learnt_pairs (tbl, word, term, n) SELECT ${T}, word, term, n FROM pr WHERE n > 0
                ON CONFLICT (tbl, word, term) DO UPDATE SET n = learnt_pairs.n + excluded.n),
        pgone AS (DELETE FROM learnt_pairs x USING pr WHERE pr.n < 0 AND x.tbl = ${T} AND x.word = pr.word AND x.term = pr.term AND x.n = -pr.n RETURNING 1),
        plow AS (UPDATE learnt_pairs x SET n = x.n + pr.n FROM pr WHERE pr.n < 0 AND x.tbl = ${T} AND x.word = pr.word AND x.term = pr.term AND x.n > -pr.n RETURNING 1),
        rdrop AS (DELETE FROM learnt_rows WHERE doc_id = ${p(docId, 'text')} AND bead_id = ANY(${p(r.drop, 'text[]')})),
        rput AS (INSERT INTO learnt_rows (doc_id, bead_id, tbl, evidence)
                 SELECT ${p(docId, 'text')}, u.bead_id, ${T}, u.evidence FROM unnest(${p(r.put.map(([id]) => id), 'text[]')}, ${p(r.put.map(([, ev]) => encodeEvidence(ev)), 'text[]')}) AS u(bead_id, evidence)
                 ON CONFLICT (doc_id, bead_id) DO UPDATE SET tbl = excluded.tbl, evidence = excluded.evidence)
      SELECT (SELECT COUNT(*) FROM wgone) + (SELECT COUNT(*) FROM wlow) AS words, (SELECT COUNT(*) FROM pgone) + (SELECT COUNT(*) FROM plow) AS pairs`;
    const done = (await tx.raw(sql, params)).rows[0] as { words: number; pairs: number };
    const wordsDown = words.filter((x) => x[2] < 0);
    if (Number(done.words) !== wordsDown.length) throw new LearntCountsError(`learnt count of ${await this.short(tx, tbl, wordsDown)} would go below zero`);
    if (Number(done.pairs) !== pairs.filter((x) => x[2] < 0).length) throw new LearntCountsError('a learnt pair count would go below zero');
  }

  /** The first word whose count is short of what a change takes back (for the message). */
  private async short(tx: SqlTx, tbl: number, down: ReadonlyArray<readonly [string, string, number]>): Promise<string> {
    const rows = await tx.all<{ side: string; word: string; n: number }>('SELECT side, word, n FROM learnt_words WHERE tbl = ? AND word = ANY(CAST(? AS text[]))', [tbl, down.map((x) => x[1])]);
    const have = new Map(rows.map((r) => [`${r.side}\u0000${r.word}`, r.n]));
    const found = down.find(([side, w, n]) => (have.get(`${side}\u0000${w}`) ?? 0) < -n);
    return found ? `"${found[1]}"` : 'a word';
  }

  private async putRow(tx: SqlTx, docId: string, beadId: string, tbl: number, ev: BeadEvidence): Promise<void> {
    await tx.run(
      'INSERT INTO learnt_rows (doc_id, bead_id, tbl, evidence) VALUES (?, ?, ?, ?) ON CONFLICT (doc_id, bead_id) DO UPDATE SET tbl = excluded.tbl, evidence = excluded.evidence',
      [docId, beadId, tbl, encodeEvidence(ev)],
    );
  }

  async refill(tx: SqlTx, langs: LearntLangs, project: string): Promise<LearntRefill> {
    const tbl = (await this.tableOf(tx, langs, project)).id;
    const counts = new CountsBuilder();
    return {
      row: async (docId, beadId, ev) => {
        counts.add(ev);
        await this.putRow(tx, docId, beadId, tbl, ev);
      },
      finish: async () => {
        if (counts.beads === 0) return;
        await tx.run('UPDATE learnt_tables SET beads = beads + ? WHERE id = ?', [counts.beads, tbl]);
        const sorted = counts.sorted();
        // Many rows per statement: a rebuild writes hundreds of thousands.
        const words = [...sorted.words.map(([w, n]) => ['zh', w, n] as const), ...sorted.terms.map(([e, n]) => ['en', e, n] as const)];
        for (let i = 0; i < words.length; i += 5000) {
          const part = words.slice(i, i + 5000);
          await tx.run('INSERT INTO learnt_words (tbl, side, word, n) SELECT ?, * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS int[]))', [
            tbl,
            part.map((x) => x[0]),
            part.map((x) => x[1]),
            part.map((x) => x[2]),
          ]);
        }
        for (let i = 0; i < sorted.pairs.length; i += 5000) {
          const part = sorted.pairs.slice(i, i + 5000);
          await tx.run('INSERT INTO learnt_pairs (tbl, word, term, n) SELECT ?, * FROM unnest(CAST(? AS text[]), CAST(? AS text[]), CAST(? AS int[]))', [
            tbl,
            part.map((x) => x[0]),
            part.map((x) => x[1]),
            part.map((x) => x[2]),
          ]);
        }
      },
    };
  }

  private tables(scope: LearntScope): Promise<{ id: number; beads: number }[]> {
    return this.once.all('SELECT id, beads FROM learnt_tables WHERE langs = ? AND (CAST(? AS TEXT) IS NULL OR project = ?) ORDER BY id', scopeParams(scope));
  }

  async marginals(scope: LearntScope, words: readonly string[], terms: readonly string[]): Promise<Marginals> {
    const out = { beads: 0, words: new Map<string, number>(), terms: new Map<string, number>() };
    const add = (m: Map<string, number>, k: string, n: number): void => {
      m.set(k, (m.get(k) ?? 0) + n);
    };
    const slice = 'SELECT word, n FROM learnt_words WHERE tbl = ? AND side = ? AND word = ANY(CAST(? AS text[]))';
    for (const t of await this.tables(scope)) {
      out.beads += t.beads;
      for (const r of await this.once.all<{ word: string; n: number }>(slice, [t.id, 'zh', [...new Set(words)]])) add(out.words, r.word, r.n);
      for (const r of await this.once.all<{ word: string; n: number }>(slice, [t.id, 'en', [...new Set(terms)]])) add(out.terms, r.word, r.n);
    }
    return out;
  }

  async pairs(scope: LearntScope, q: PairsQuery): Promise<PairCounts> {
    const out: PairCounts = new Map();
    const minWords = [...q.minCount.keys()];
    const minCounts = [...q.minCount.values()];
    const terms = [...new Set(q.terms)];
    for (const t of await this.tables(scope)) {
      const seen = new Set<string>();
      const sliced = await this.once.all<{ word: string; term: string; n: number }>(
        `SELECT p.word, p.term, p.n FROM unnest(CAST(? AS text[]), CAST(? AS int[])) AS r(word, min)
         JOIN learnt_pairs p ON p.tbl = ? AND p.word = r.word AND p.n >= r.min AND p.n >= 2
         WHERE p.term = ANY(CAST(? AS text[]))`,
        [minWords, minCounts, t.id, terms],
      );
      for (const r of sliced) {
        addPairCount(out, r.word, r.term, r.n);
        seen.add(pairKey(r.word, r.term));
      }
      const given = await this.once.all<{ word: string; term: string; n: number }>(
        'SELECT p.word, p.term, p.n FROM unnest(CAST(? AS text[]), CAST(? AS text[])) AS d(word, term) JOIN learnt_pairs p ON p.tbl = ? AND p.word = d.word AND p.term = d.term',
        [q.pairs.map(([w]) => w), q.pairs.map(([, e]) => e), t.id],
      );
      for (const r of given) if (!seen.has(pairKey(r.word, r.term))) addPairCount(out, r.word, r.term, r.n);
    }
    return out;
  }

  async counted(scope: LearntScope, min: number): Promise<CountedPair[]> {
    const out = new Map<string, CountedPair>();
    for (const t of await this.tables(scope)) {
      const rows = await this.once.all<{ word: string; term: string; n: number; n_word: number; n_term: number }>(
        `SELECT p.word, p.term, p.n, w.n AS n_word, e.n AS n_term FROM learnt_pairs p
         JOIN learnt_words w ON w.tbl = p.tbl AND w.side = 'zh' AND w.word = p.word
         JOIN learnt_words e ON e.tbl = p.tbl AND e.side = 'en' AND e.word = p.term
         WHERE p.tbl = ? AND p.n >= ? AND p.n >= 2`,
        [t.id, min],
      );
      for (const r of rows) {
        const k = pairKey(r.word, r.term);
        const c = out.get(k);
        if (c) {
          c.n += r.n;
          c.nWord += r.n_word;
          c.nTerm += r.n_term;
        } else out.set(k, { word: r.word, term: r.term, n: r.n, nWord: r.n_word, nTerm: r.n_term });
      }
    }
    return [...out.values()];
  }

  async examples(scope: LearntScope, pairs: ReadonlyArray<readonly [string, string]>, perPair: number): Promise<Map<string, ExampleRow[]>> {
    const found = new Map<string, Array<[string, string]>>();
    for (const [w, e] of pairs) found.set(pairKey(w, e), []);
    const words = new Set(pairs.map(([w]) => w));
    let open = found.size;
    for (const t of await this.tables(scope)) {
      if (open === 0) break;
      const rows = await this.once.all<{ doc_id: string; bead_id: string; evidence: string }>(
        'SELECT doc_id, bead_id, evidence FROM learnt_rows WHERE tbl = ? ORDER BY doc_id COLLATE "C", bead_id COLLATE "C"',
        [t.id],
      );
      for (const r of rows) {
        const text = r.evidence;
        // Most records hold none of the words: read their words first, decode only the others.
        if (!text.slice(0, text.indexOf('\t')).split(' ').some((w) => words.has(w))) continue;
        const ev = decodeEvidence(text);
        for (const [i, j] of ev.pairs) {
          const list = found.get(pairKey(ev.words[i]!, ev.terms[j]!));
          if (!list || list.length >= perPair) continue;
          list.push([r.doc_id, r.bead_id]);
          if (list.length === perPair) open--;
        }
        if (open === 0) break;
      }
    }
    const out = new Map<string, ExampleRow[]>();
    for (const [k, rows] of found) {
      const examples: ExampleRow[] = [];
      for (const [docId, beadId] of rows) {
        const x = await this.exampleRow(docId, beadId);
        if (x) examples.push(x);
      }
      out.set(k, examples);
    }
    return out;
  }

  private async exampleRow(docId: string, beadId: string): Promise<ExampleRow | null> {
    const r = await this.once.get<{ name: string; source_lang: string; target_lang: string; source: string; target: string }>(
      'SELECT d.name, d.source_lang, d.target_lang, b.source, b.target FROM beads b JOIN documents d ON d.id = b.doc_id WHERE b.doc_id = ? AND b.id = ?',
      [docId, beadId],
    );
    if (!r) return null;
    const text = async (side: 'source' | 'target', ids: string, lang: string): Promise<string> => {
      const idx = JSON.parse(ids) as number[];
      const rows = await this.once.all<{ idx: number; text: string }>('SELECT idx, text FROM sentences WHERE doc_id = ? AND side = ? AND idx = ANY(CAST(? AS int[]))', [docId, side, idx]);
      const byIdx = new Map(rows.map((x) => [x.idx, x.text]));
      return joinSentences(
        idx.map((i) => byIdx.get(i) ?? ''),
        lang,
      );
    };
    return { docId, docName: r.name, beadId, sourceLang: r.source_lang, targetLang: r.target_lang, source: await text('source', r.source, r.source_lang), target: await text('target', r.target, r.target_lang) };
  }

  async rows(scope: LearntScope): Promise<number> {
    return Number((await this.once.get<{ n: number }>('SELECT COALESCE(SUM(beads), 0) AS n FROM learnt_tables WHERE langs = ? AND (CAST(? AS TEXT) IS NULL OR project = ?)', scopeParams(scope)))!.n);
  }

  async summary(scope: LearntScope): Promise<LearntSummary> {
    const count = async (sql: string, extra: unknown[] = []): Promise<number> => Number((await this.once.get<{ n: number }>(sql, [...scopeParams(scope), ...extra]))!.n);
    return {
      beads: await this.rows(scope),
      words: await count(`SELECT COUNT(DISTINCT word) AS n FROM learnt_words WHERE ${IN_SCOPE} AND side = ?`, ['zh']),
      terms: await count(`SELECT COUNT(DISTINCT word) AS n FROM learnt_words WHERE ${IN_SCOPE} AND side = ?`, ['en']),
      pairs: await count(`SELECT COUNT(*) AS n FROM (SELECT DISTINCT word, term FROM learnt_pairs WHERE ${IN_SCOPE}) x`),
    };
  }

  async all(scope: LearntScope): Promise<Counts> {
    const c = new Counts();
    c.beads = await this.rows(scope);
    for (const r of await this.once.all<{ side: 'zh' | 'en'; word: string; n: number }>(`SELECT side, word, SUM(n) AS n FROM learnt_words WHERE ${IN_SCOPE} GROUP BY side, word`, scopeParams(scope))) {
      (r.side === 'zh' ? c.words : c.terms).set(r.word, Number(r.n));
    }
    for (const r of await this.once.all<{ word: string; term: string; n: number }>(`SELECT word, term, SUM(n) AS n FROM learnt_pairs WHERE ${IN_SCOPE} GROUP BY word, term`, scopeParams(scope))) {
      let row = c.pairs.get(r.word);
      if (!row) {
        row = new Map();
        c.pairs.set(r.word, row);
      }
      row.set(r.term, Number(r.n));
    }
    return c;
  }

  async clear(tx: SqlTx, scope: LearntScope): Promise<void> {
    await tx.run('DELETE FROM learnt_tables WHERE langs = ? AND (CAST(? AS TEXT) IS NULL OR project = ?)', scopeParams(scope));
  }

  async version(tx: SqlTx): Promise<number | null> {
    const r = await tx.get<{ v: number | null }>('SELECT MAX(version) AS v FROM learnt_version');
    return r?.v ?? null;
  }

  async setVersion(tx: SqlTx, v: number): Promise<void> {
    await tx.run('DELETE FROM learnt_version');
    await tx.run('INSERT INTO learnt_version (version) VALUES (?)', [v]);
  }
}

/**
 * Clause deletions for the omission benchmark: a translation with some of its clauses left out, and
 * where the English they translated stands. Pure functions over raw texts (as a reviewer imports them),
 * seeded, so a run can be repeated; kept apart from the benchmark so that other perturbation
 * scripts (sentence deletions, insertions, merges) can share the RNG and the bookkeeping.
 *
 * A clause list (clauses.tsv beside a text pair) says, per line, `zh<TAB>en`: a clause of the Chinese
 * exactly as written, and the English it translates exactly as written in the English text.
 */
import { readFileSync } from 'node:fs';

export interface ClauseRef {
  /** The clause as it stands in the Chinese text. */
  zh: string;
  /** The English it translates, as it stands in the English text. */
  en: string;
  /** Where the English stands: [start, end) in the English text. */
  enStart: number;
  enEnd: number;
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Reads a clause list against its texts; a clause or English phrase not found (or found twice) is an error. */
export function readClauses(file: string, zh: string, en: string): ClauseRef[] {
  const out: ClauseRef[] = [];
  readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, k) => {
      if (!line.trim() || line.startsWith('#')) return;
      const [z = '', e = ''] = line.split('\t');
      const where = `${file}:${k + 1}`;
      if (!z || !e) throw new Error(`${where}: expected "zh<TAB>en"`);
      if (zh.indexOf(z) < 0 || zh.indexOf(z) !== zh.lastIndexOf(z)) throw new Error(`${where}: the clause must occur once in the Chinese text: ${z}`);
      const at = en.indexOf(e);
      if (at < 0 || at !== en.lastIndexOf(e)) throw new Error(`${where}: the English must occur once in the English text: ${e}`);
      out.push({ zh: z, en: e, enStart: at, enEnd: at + e.length });
    });
  return out;
}

const COMMA = /[，,、]/;

/**
 * The Chinese without the clause: the clause goes with one comma next to it (the one before it, else
 * the one after it), so the sentence still reads as a sentence.
 */
export function deleteClause(zh: string, clause: string): string {
  const at = zh.indexOf(clause);
  if (at < 0) throw new Error(`clause not in the text: ${clause}`);
  let start = at;
  let end = at + clause.length;
  if (COMMA.test(zh[start - 1] ?? '')) start--;
  else if (COMMA.test(zh[end] ?? '')) end++;
  return zh.slice(0, start) + zh.slice(end);
}

/**
 * Splits the clauses into groups of at most `perText`, in a seeded order, no two of a group in the
 * same line of the Chinese (one paragraph) so that each deletion is judged on its own.
 */
export function deletionGroups(clauses: readonly ClauseRef[], zh: string, perText: number, random: () => number): ClauseRef[][] {
  const lineOf = (c: ClauseRef) => zh.slice(0, zh.indexOf(c.zh)).split('\n').length;
  const groups: ClauseRef[][] = [];
  for (const c of shuffled(clauses, random)) {
    const g = groups.find((x) => x.length < perText && !x.some((y) => lineOf(y) === lineOf(c)));
    if (g) g.push(c);
    else groups.push([c]);
  }
  return groups;
}

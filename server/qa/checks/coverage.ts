/**
 * Coverage: a run of English content words none of which has a dictionary counterpart in the
 * Chinese is a possible omission. Dictionary lookups miss paraphrases, so the check only speaks up
 * for long runs in a bead that is poorly covered overall (minor severity): it must stay quiet.
 */
import type { Finding, Span } from '../../domain.js';
import type { BaseOptions, Check, Lexicon, QaPair } from '../types.js';

export interface CoverageOptions extends BaseOptions {
  /** Consecutive uncovered content words that make a finding. */
  minRun: number;
  /** Maximum share of the bead's content words covered for a finding (a well-covered bead is fine). */
  maxCoverage: number;
  /** A term repeated in the English is covered only as often as the Chinese has it. */
  countRepeats: boolean;
}

const PREFIX = 5;

interface Word {
  terms: string[];
  span: Span;
}

function englishWords(en: string, lex: Lexicon): Word[] {
  const out: Word[] = [];
  for (const m of en.matchAll(/[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*/g)) {
    // Numbers are the numbers check's business.
    const terms = lex.englishTerms(m[0]).filter((t) => !t.startsWith('#') && !t.startsWith('month:'));
    if (terms.length) out.push({ terms, span: { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length } });
  }
  return out;
}

function termsOf(zh: string, lex: Lexicon, deep: boolean): Set<string> {
  const terms = lex.chineseTermSet(zh, deep);
  // Latin words kept in the Chinese (acronyms, names) cover themselves.
  for (const m of zh.matchAll(/[A-Za-z][A-Za-z0-9-]*/g)) for (const t of lex.englishTerms(m[0])) terms.add(t);
  return terms;
}

const key = (t: string) => (t.length >= PREFIX ? t.slice(0, PREFIX) : t);

/**
 * Which words have a counterpart, and the covered share. Derivations the light stemmer keeps apart
 * (cooperation / cooperat, provid / provision) meet on a five-letter prefix: looser matching means
 * fewer false alarms, which matter more here. With `counts`, a term repeated in the English is
 * covered only as often as the Chinese has it (at least once): "outer space" three times against one
 * 外层空间 leaves two uncovered, which is how an omitted clause that repeats a term shows.
 */
function measure(words: readonly Word[], zhTerms: Set<string>, counts: Map<string, number> | null): { covered: boolean[]; share: number } {
  const available = new Map<string, number>();
  for (const t of zhTerms) available.set(key(t), Math.max(available.get(key(t)) ?? 0, 1));
  if (counts) for (const [t, n] of counts) available.set(key(t), Math.max(available.get(key(t)) ?? 0, n));
  const covered = words.map((w) => {
    const k = w.terms.map(key).find((x) => (available.get(x) ?? 0) > 0);
    if (k === undefined) return false;
    if (counts) available.set(k, (available.get(k) ?? 1) - 1);
    return true;
  });
  return { covered, share: covered.filter(Boolean).length / words.length };
}

function hasRun(covered: readonly boolean[], min: number): boolean {
  let run = 0;
  for (const c of covered) {
    run = c ? 0 : run + 1;
    if (run >= min) return true;
  }
  return false;
}

export function coverageFindings(pair: QaPair, lex: Lexicon, opts: CoverageOptions): Finding[] {
  if (!pair.source.trim() || !pair.target.trim()) return [];
  const words = englishWords(pair.source, lex);
  if (words.length === 0) return [];
  // Cheap reading first; only a suspected omission pays for the deep one.
  const counts = opts.countRepeats ? lex.chineseTermCounts(pair.target) : null;
  let result = measure(words, termsOf(pair.target, lex, false), counts);
  if (result.share > opts.maxCoverage || !hasRun(result.covered, opts.minRun)) return [];
  result = measure(words, termsOf(pair.target, lex, true), counts);
  const { covered, share } = result;
  if (share > opts.maxCoverage) return [];
  const out: Finding[] = [];
  let runStart = -1;
  for (let i = 0; i <= words.length; i++) {
    if (i < words.length && !covered[i]) {
      if (runStart < 0) runStart = i;
      continue;
    }
    if (runStart >= 0 && i - runStart >= opts.minRun) {
      const first = words[runStart];
      const last = words[i - 1];
      if (first && last) {
        const span = { start: first.span.start, end: last.span.end };
        out.push({
          check: 'coverage',
          category: 'Accuracy/Omission',
          severity: opts.severity,
          message: `Possible omission: no dictionary counterpart in the Chinese for "${pair.source.slice(span.start, span.end)}" (bead ${Math.round(share * 100)}% covered)`,
          beadId: pair.id,
          sourceSpan: span,
          targetSpan: null,
        });
      }
    }
    runStart = -1;
  }
  return out;
}

export const coverageCheck: Check<CoverageOptions> = {
  id: 'coverage',
  category: 'Accuracy/Omission',
  description: 'Runs of English content words with no CC-CEDICT counterpart in the Chinese: possible omission.',
  defaults: { enabled: true, severity: 'minor', minRun: 5, maxCoverage: 0.6, countRepeats: true },
  run(pairs, ctx, opts) {
    const active = pairs.filter((p) => p.source.trim() && p.target.trim());
    if (active.length === 0) return [];
    const lex = ctx.lexicon();
    return active.flatMap((p) => coverageFindings(p, lex, opts));
  },
};

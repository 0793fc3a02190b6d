/**
 * Benchmark of the omission check: clauses are left out of the Chinese of each text (raw text, as a
 * reviewer imports it), the texts are aligned and checked, and the report says how many of the
 * missing clauses were found as an omission whose span covers the English they translated (recall),
 * how many omission findings point at a missing clause (precision), and what the check reports on
 * the texts as they are. Texts: the demo corpus and the statements in test/fixtures/omissions (written
 * for this project), each with its clauses.tsv.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Finding, Span } from '../server/domain.js';
import { alignTexts } from '../server/align/index.js';
import { loadQaConfig, pairsFromAlignment, runChecksOnPairs, type QaConfig, type QaPair } from '../server/qa/index.js';
import { alignWords, englishTokens, type WordAlignment } from '../server/words/index.js';
import { CliError, isEntry, parseCli, runCli, type CliSpec } from './cli-util.js';
import { deleteClause, deletionGroups, readClauses, type ClauseRef } from './perturb-clauses.js';
import { seededRandom } from './seeded-random.js';

const ROOT = resolve(import.meta.dirname, '..', ...(import.meta.dirname.includes('/dist/') ? ['..'] : []));

const spec: CliSpec = {
  command: 'npm run bench:omissions --',
  description:
    'Leaves clauses out of the Chinese of the demo corpus and of test/fixtures/omissions/*, aligns and checks each\n' +
    'perturbed text, and prints recall (clauses found as an omission whose span covers their English), precision\n' +
    'and the omission findings on the unmodified texts. Clauses whose English has fewer than 3 content words are\n' +
    'not counted (a word or two is not a clause).',
  options: {
    seeds: { type: 'string', arg: 'N', default: '3', help: 'number of seeded orders (each deletes every clause once)' },
    'per-text': { type: 'string', arg: 'N', default: '4', help: 'clauses left out of one perturbed text (from different paragraphs)' },
    config: { type: 'string', arg: 'FILE', help: 'QA config (default: qa.config.json)' },
    verbose: { type: 'boolean', help: 'list every miss and every false alarm' },
  },
};

interface TextPair {
  name: string;
  en: string;
  zh: string;
  clauses: ClauseRef[];
}

function texts(): TextPair[] {
  const out: TextPair[] = [];
  const demo = join(ROOT, 'corpus', 'brics-fm-2020-09-04');
  const fixtures = join(ROOT, 'test', 'fixtures', 'omissions');
  const add = (name: string, dir: string, clauses: string) => {
    const en = readFileSync(join(dir, 'en.txt'), 'utf8');
    const zh = readFileSync(join(dir, 'zh.txt'), 'utf8');
    out.push({ name, en, zh, clauses: readClauses(clauses, zh, en) });
  };
  add('brics-fm-2020-09-04', demo, join(fixtures, 'brics-fm-2020-09-04', 'clauses.tsv'));
  for (const d of readdirSync(fixtures).sort()) {
    const dir = join(fixtures, d);
    // Only texts with a clause list: the sentence-level texts (gold.align) are perturb.ts's.
    if (d !== 'brics-fm-2020-09-04' && existsSync(join(dir, 'clauses.tsv'))) add(d, dir, join(dir, 'clauses.tsv'));
  }
  return out;
}

const contentWords = (en: string) => englishTokens(en).filter((t) => t.kind !== 'function');

/** Alignments and word alignments per Chinese text: a run with several configs aligns each text once. */
const aligned = new Map<string, { pairs: QaPair[]; words: WordAlignment }>();

async function check(en: string, zh: string, config: QaConfig): Promise<{ pairs: QaPair[]; omissions: Finding[] }> {
  let a = aligned.get(zh);
  if (!a) {
    const pairs = pairsFromAlignment(await alignTexts(en, zh, { aLang: 'en', bLang: 'zh', model: 'lexical' }), 'a');
    a = { pairs, words: alignWords(pairs, { source: 'en', target: 'zh' }) };
    if (aligned.size > 500) aligned.clear();
    aligned.set(zh, a);
  }
  const omissions = runChecksOnPairs(a.pairs, config, { words: a.words }).filter((f) => f.check === 'omission' && f.category === 'Accuracy/Omission');
  return { pairs: a.pairs, omissions };
}

/** Where the English of a clause stands in the bead that holds it (null when the aligner split it over beads). */
function inBead(pairs: readonly QaPair[], c: ClauseRef): { pair: QaPair; span: Span } | null {
  for (const p of pairs) {
    const at = p.source.indexOf(c.en);
    if (at >= 0) return { pair: p, span: { start: at, end: at + c.en.length } };
  }
  return null;
}

/** Share of the clause's content words inside the spans of omission findings on its bead. */
function covered(pairs: readonly QaPair[], omissions: readonly Finding[], c: ClauseRef): number {
  const at = inBead(pairs, c);
  if (!at) return 0;
  const words = contentWords(c.en).map((t) => ({ start: t.start + at.span.start, end: t.end + at.span.start }));
  const spans = omissions.filter((f) => f.beadId === at.pair.id && f.sourceSpan).map((f) => f.sourceSpan!);
  const inside = words.filter((w) => spans.some((s) => s.start <= w.start && w.end <= s.end)).length;
  return words.length ? inside / words.length : 0;
}

const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;

async function main(): Promise<void> {
  const cli = parseCli(spec);
  let config: QaConfig;
  try {
    config = loadQaConfig(cli.string('config'));
  } catch (e) {
    throw new CliError((e as Error).message);
  }
  await benchOmissions(config, {
    seeds: cli.number('seeds', { integer: true }) ?? 3,
    perText: cli.number('per-text', { integer: true }) ?? 4,
    verbose: cli.flag('verbose'),
    write: (s) => process.stdout.write(s),
  });
}

export interface BenchResult {
  name: string;
  clauses: number;
  found: number;
  findings: number;
  onClause: number;
  baseline: number;
}

/** Runs the benchmark with a QA config; prints with `write` and returns the counts per text. */
export async function benchOmissions(
  config: QaConfig,
  o: { seeds: number; perText: number; verbose: boolean; write: (s: string) => void; only?: readonly string[] },
): Promise<BenchResult[]> {
  const { seeds, perText, verbose } = o;
  const results: BenchResult[] = [];
  const t0 = performance.now();
  const totals = { clauses: 0, found: 0, findings: 0, onClause: 0, baseline: 0 };
  const lines: string[] = [];
  for (const t of texts()) {
    if (o.only && !o.only.includes(t.name)) continue;
    const counted = t.clauses.filter((c) => contentWords(c.en).length >= 3);
    const base = await check(t.en, t.zh, config);
    totals.baseline += base.omissions.length;
    const row = { clauses: 0, found: 0, findings: 0, onClause: 0 };
    for (let seed = 1; seed <= seeds; seed++) {
      for (const group of deletionGroups(counted, t.zh, perText, seededRandom(seed))) {
        const zh = group.reduce((text, c) => deleteClause(text, c.zh), t.zh);
        const r = await check(t.en, zh, config);
        for (const c of group) {
          row.clauses++;
          const share = covered(r.pairs, r.omissions, c);
          if (share >= 0.5) row.found++;
          else if (verbose && seed === 1) lines.push(`  miss (${Math.round(share * 100)}%) ${t.name}: ${c.en}`);
        }
        for (const f of r.omissions) {
          row.findings++;
          const p = r.pairs.find((x) => x.id === f.beadId);
          const hit = group.some((c) => {
            const at = inBead(r.pairs, c);
            return at !== null && at.pair.id === f.beadId && f.sourceSpan !== null && overlaps(f.sourceSpan, at.span);
          });
          if (hit) row.onClause++;
          else if (verbose && seed === 1 && !base.omissions.some((b) => b.message === f.message)) lines.push(`  false alarm ${t.name} ¶${p?.paragraph}: ${f.message}`);
        }
      }
    }
    totals.clauses += row.clauses;
    totals.found += row.found;
    totals.findings += row.findings;
    totals.onClause += row.onClause;
    results.push({ name: t.name, ...row, baseline: base.omissions.length });
    const pct = (a: number, b: number) => (b ? `${((100 * a) / b).toFixed(1)} %` : 'n/a');
    o.write(
      `${t.name}: ${counted.length} clauses (${t.clauses.length - counted.length} under 3 content words left out) × ${seeds} seeds\n` +
        `  recall ${pct(row.found, row.clauses)} (${row.found}/${row.clauses}), precision ${pct(row.onClause, row.findings)} (${row.onClause}/${row.findings})\n` +
        `  omission findings on the unmodified text: ${base.omissions.length}${base.omissions.map((f) => `\n    ¶${base.pairs.find((p) => p.id === f.beadId)?.paragraph}: ${f.severity} ${f.message}`).join('')}\n`,
    );
  }
  if (lines.length) o.write(`${lines.join('\n')}\n`);
  const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : 'n/a');
  o.write(
    `all texts: recall ${pct(totals.found, totals.clauses)} % (${totals.found}/${totals.clauses}), precision ${pct(totals.onClause, totals.findings)} % ` +
      `(${totals.onClause}/${totals.findings}); ${((performance.now() - t0) / 1000).toFixed(0)} s\n`,
  );
  return results;
}

if (isEntry(import.meta.url)) runCli(main);

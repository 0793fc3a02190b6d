/** scripts/qa.ts in process (a command is a function of argv and streams). */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { qa as qaCommand } from '../../scripts/qa.js';
import { runIn } from '../helpers/cli.js';
import { COMMUNIQUE_DIR } from '../helpers/communique.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'qa-cli-'));
// Three paragraphs of the demo corpus keep the spawned runs fast (the whole corpus is corpus.test.ts).
const corpus = (lang: string) => readFileSync(join(ROOT, 'corpus/brics-fm-2020-09-04', `${lang}.txt`), 'utf8');
const pick = (text: string, nums: string[]) =>
  text
    .split(/\n+/)
    .filter((l) => nums.some((n) => l.startsWith(`${n}. `)))
    .join('\n\n');
const ZH = join(dir, 'zh.txt');
const EN = join(dir, 'en.txt');
writeFileSync(ZH, `${pick(corpus('zh'), ['12', '16', '23'])}\n`);
writeFileSync(EN, `${pick(corpus('en'), ['12', '16', '23'])}\n`);
// No omission check: these runs need not load the dictionary.
const CONFIG = join(dir, 'qa.json');
writeFileSync(CONFIG, JSON.stringify({ glossary: join(ROOT, 'glossary/un-diplomatic.tsv'), checks: { omission: { enabled: false } } }));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const qa = (...args: string[]) => runIn('qa', qaCommand, args);

interface Row {
  paragraph: string | null;
  check: string;
  category: string;
  severity: string;
  message: string;
  target_span: [number, number] | null;
  target_text: string;
}

describe('scripts/qa.ts', () => {
  it('prints the findings of the demo corpus as one JSON array with the documented fields', async () => {
    const r = await qa(ZH, EN, '--format', 'json', '--model', 'length', '--config', CONFIG);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as Row[];
    expect(Array.isArray(rows)).toBe(true);
    for (const k of ['paragraph', 'check', 'category', 'severity', 'message', 'target_span']) expect(rows[0]).toHaveProperty(k);
    expect(rows.some((x) => x.paragraph === '16' && x.check === 'terminology' && x.target_text === '国家党')).toBe(true);
    expect(rows.some((x) => x.paragraph === '23' && x.check === 'untranslated' && x.target_text === 'and')).toBe(true);
    expect(rows.filter((x) => x.check === 'numbers')).toEqual([]); // 100 亿美元 = USD 10 billion …
  }, 60_000);

  it('uses another glossary and prints CSV', async () => {
    const g = join(dir, 'g.tsv');
    writeFileSync(g, 'Ministers\t外长|部长\t部长们\tfor the test\n');
    const r = await qa(ZH, EN, '--glossary', g, '--format', 'csv', '--model', 'length', '--config', CONFIG);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split(/\r?\n/);
    expect(lines[0]).toBe('paragraph,row,bead,check,category,severity,message,source_span,target_span,source_text,target_text,rows');
    expect(lines.some((l) => l.includes('"部长们"'))).toBe(true);
    expect(lines.some((l) => l.includes('国家党'))).toBe(false);
  }, 60_000);

  it('answers --help and reports mistakes in one line without a stack trace', async () => {
    const help = await qa('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('ZH_FILE EN_FILE');
    expect(help.stdout).toContain('--glossary');

    const missing = await qa(join(dir, 'nope.txt'), EN);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).not.toMatch(/at .*\.ts:\d+/);

    const swapped = await qa(EN, ZH);
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toContain('ZH_FILE EN_FILE');

    const badGlossary = join(dir, 'bad.tsv');
    writeFileSync(badGlossary, 'only-one-column\n');
    const bad = await qa(ZH, EN, '--glossary', badGlossary);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/bad\.tsv:1: expected 2 to 5/);

  }, 60_000);

  it('checks any pair, languages detected or given: the Spanish communiqué’s omission and changed number', async () => {
    const r = await qa(join(COMMUNIQUE_DIR, 'es.txt'), join(COMMUNIQUE_DIR, 'en.txt'), '--format', 'json', '--model', 'generic');
    expect(r.code).toBe(0);
    const rows = JSON.parse(r.stdout) as { check: string; message: string }[];
    expect(rows.map((x) => x.check).sort()).toEqual(['alignment', 'numbers', 'numbers']);
    expect(rows.find((x) => x.check === 'alignment')?.message).toContain('They instructed the technical committee');
    // A glossary given on the command line is for the pair being checked.
    const g = join(dir, 'en-es.tsv');
    writeFileSync(g, 'treatment plants\tplantas depuradoras\tplantas de tratamiento\t\n');
    const termed = await qa(join(COMMUNIQUE_DIR, 'es.txt'), join(COMMUNIQUE_DIR, 'en.txt'), '--glossary', g, '--format', 'json', '--model', 'generic');
    expect((JSON.parse(termed.stdout) as { check: string; message: string }[]).filter((x) => x.check === 'terminology').map((x) => x.message)).toEqual([
      '"plantas de tratamiento" is a wrong rendering of "treatment plants"; use plantas depuradoras',
    ]);
    const given = await qa(join(COMMUNIQUE_DIR, 'es.txt'), join(COMMUNIQUE_DIR, 'en.txt'), '--source-lang', 'en', '--target-lang', 'es', '--format', 'json', '--model', 'generic');
    expect(given.stdout).toBe(r.stdout);
  }, 60_000);
});

/** scripts/export.ts in process (a command is a function of argv and streams), runs in parallel. */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand } from '../../scripts/export.js';
import { openStore } from '../../server/store/sqlite.js';
import { runIn } from '../helpers/cli.js';
import { adversarialDoc, repoRoot, xmllint } from './fixtures.js';

let dir: string;
let docId: string;
function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runIn('export', exportCommand, args, { DATA_DIR: join(dir, 'data') });
}

let results: Record<string, { code: number; stdout: string; stderr: string }> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'export-cli-'));
  const store = openStore(join(dir, 'data'));
  const { doc } = adversarialDoc();
  const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
  docId = await store.createDocument(rest, { author: 'tester' });
  await store.close();
  const corpus = join(repoRoot, 'corpus', 'brics-fm-2020-09-04');
  const [tmx, bitext, missing, files, badLang] = await Promise.all([
    run(['--doc', docId, '--format', 'tmx', '--out', join(dir, 'one.tmx'), '--no-qa']),
    run(['--all', '--format', 'bitext', '--no-empty', '--out', join(dir, 'pair'), '--no-qa']),
    run(['--doc', 'missing', '--format', 'tmx', '--out', join(dir, 'x.tmx')]),
    run(['--src', join(corpus, 'zh.txt'), '--tgt', join(corpus, 'en.txt'), '--model', 'length', '--no-qa', '--format', 'xliff', '--out', join(dir, 'files.xlf')]),
    run(['--all', '--format', 'bitext', '--source-lang', '../../evil', '--out', join(dir, 'bad'), '--no-qa']),
  ]);
  results = { tmx: tmx!, bitext: bitext!, missing: missing!, files: files!, badLang: badLang! };
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run export', () => {
  it('--doc ID --format tmx writes a valid TMX file', () => {
    expect(results.tmx!.stderr).toBe('');
    expect(results.tmx!.code).toBe(0);
    const xml = readFileSync(join(dir, 'one.tmx'), 'utf8');
    expect(xmllint(xml, 'tmx')).toBe('');
    expect(xml.match(/<tu /g)).toHaveLength(7);
    expect(readdirSync(dir).filter((n) => n.includes('partial'))).toEqual([]);
  });

  it('--all --format bitext writes PATH.en and PATH.zh, line N = bead N', () => {
    expect(results.bitext!.code).toBe(0);
    const en = readFileSync(join(dir, 'pair.en'), 'utf8').split('\n');
    const zh = readFileSync(join(dir, 'pair.zh'), 'utf8').split('\n');
    expect(en).toHaveLength(6); // 5 beads with both sides + the final newline
    expect(zh).toHaveLength(6);
    expect(en[0]).toBe('Plain <b>&amp;</b> text with ]]> inside.');
  });

  it('an unknown document is one clear line on stderr and exit code 1', () => {
    expect(results.missing!.code).toBe(1);
    expect(results.missing!.stderr.trim().split('\n')).toHaveLength(1);
    expect(results.missing!.stderr).toMatch(/no document "missing" in .*; known: /);
  });

  it('--src/--tgt aligns two files and exports without the store', () => {
    expect(results.files!.code).toBe(0);
    const xml = readFileSync(join(dir, 'files.xlf'), 'utf8');
    expect(xmllint(xml, 'xliff')).toBe('');
    expect(xml).toContain('srcLang="en" trgLang="zh-CN"');
    expect(xml).toContain('Media Statement');
  });

  it('refuses a language code that is not one (it would go into xml:lang and the bitext file name)', () => {
    expect(results.badLang!.code).not.toBe(0);
    expect(results.badLang!.stderr).toMatch(/--source-lang must be a language code/);
    expect(existsSync(join(dir, 'bad.zh'))).toBe(false);
  });
});

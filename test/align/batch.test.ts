/**
 * `align --batch`: the same files as one call per pair, failures by manifest line, one corpus file
 * for jsonl, and --resume after a kill -9 (the real command as a process).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { align } from '../../scripts/align.js';
import { repoRoot, runBin, runIn } from '../helpers/cli.js';
import { writeSampleTexts } from '../helpers/sample-texts.js';

let dir = '';
const f = (name: string): string => join(dir, name);
const corpus = join(repoRoot, 'corpus', 'brics-fm-2020-09-04');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'align-batch-'));
  process.env.MODEL_DIR = join(dir, 'no-models');
  // No store: a learnt table in ./data must not change what these tests see.
  process.env.DATA_DIR = join(dir, 'no-store');
  writeSampleTexts(dir);
});

describe('align --batch', () => {
  it('writes each pair exactly as one call per pair does, and reports bad lines by number', async () => {
    const manifest = f('pairs.tsv');
    writeFileSync(
      manifest,
      `${[
        '# FILE_A  FILE_B  [NAME]',
        'zh.txt\ten.txt',
        `${join(corpus, 'zh.txt')}\t${join(corpus, 'en.txt')}\tbrics`,
        'en2.txt\tzh2.txt\tswapped',
        '',
        'nope.txt\ten.txt\tmissing',
        'empty.txt\ten.txt\tempty',
        'only-one-column',
        'zh2.txt\ten2.txt\tbrics',
        'zh2.txt\ten2.txt\t../escape',
      ].join('\n')}\n`,
    );
    for (const format of ['beads', 'json', 'tsv', 'pairs'] as const) {
      const out = f(`out-${format}`);
      const r = await runIn('align', align, ['--batch', manifest, '--out', out, '--format', format, '--jobs', '2']);
      expect(r.code).toBe(1);
      const ext = { beads: 'align', json: 'json', tsv: 'tsv', pairs: 'txt' }[format];
      expect(readdirSync(out).sort()).toEqual([`brics.${ext}`, `swapped.${ext}`, `zh.${ext}`]);
      // The same bytes as aligning each pair on its own (relative paths as the manifest gives them).
      const single = async (a: string, b: string): Promise<string> => (await runIn('align', align, [a, b, '--format', format])).stdout;
      const cwd = process.cwd();
      process.chdir(dir);
      try {
        expect(readFileSync(join(out, `zh.${ext}`), 'utf8')).toBe(await single('zh.txt', 'en.txt'));
        expect(readFileSync(join(out, `swapped.${ext}`), 'utf8')).toBe(await single('en2.txt', 'zh2.txt'));
      } finally {
        process.chdir(cwd);
      }
      expect(readFileSync(join(out, `brics.${ext}`), 'utf8')).toBe(await single(join(corpus, 'zh.txt'), join(corpus, 'en.txt')));
      if (format !== 'beads') continue;
      expect(r.stderr).toMatch(/pairs\.tsv:6: .*nope\.txt: no such file/);
      expect(r.stderr).toMatch(/pairs\.tsv:7: .*empty\.txt: the file is empty/);
      expect(r.stderr).toMatch(/pairs\.tsv:8: expected FILE_A<TAB>FILE_B\[<TAB>NAME\], got 1 column/);
      expect(r.stderr).toMatch(/pairs\.tsv:9: the name "brics" is taken by line 3/);
      expect(r.stderr).toMatch(/pairs\.tsv:10: "\.\.\/escape" cannot be a file name/);
      expect(r.stderr).toMatch(/^batch: 8 pairs: 3 aligned, 0 skipped \(done before\), 5 failed · \d+ sentences in /m);
      expect(r.stderr).toMatch(/^failed lines: 6, 7, 8, 9, 10$/m);
      expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    }
  }, 120_000);

  it('--format jsonl writes one corpus file, in manifest order, ids prefixed with each NAME', async () => {
    const manifest = f('two.tsv');
    writeFileSync(manifest, `zh.txt\ten.txt\tfirst\nzh2.txt\ten2.txt\tsecond\n`);
    const out = f('out-jsonl');
    const r = await runIn('align', align, ['--batch', manifest, '--out', out, '--format', 'jsonl', '--jobs', '2']);
    expect(r.stderr).toMatch(/corpus\.jsonl: 2 of 2 pairs/);
    expect(r.code).toBe(0);
    const rows = readFileSync(join(out, 'corpus.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: string; translation: Record<string, string> });
    expect(rows.map((x) => x.id.split('/')[0])).toEqual(['first', 'first', 'first', 'second', 'second']);
    expect(new Set(rows.map((x) => x.id)).size).toBe(rows.length);
    expect(rows[0]?.translation).toEqual({ zh: '第一段：猫坐在垫子上。', en: 'The cat sat on the mat.' });
    expect(readdirSync(out).filter((n) => n.includes('partial'))).toEqual([]);
  }, 60_000);

  it('refuses a bad command line with exit code 2', async () => {
    const noOut = await runIn('align', align, ['--batch', f('two.tsv')]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/--batch needs --out DIR/);
    const withFiles = await runIn('align', align, ['--batch', f('two.tsv'), '--out', f('x'), 'zh.txt']);
    expect(withFiles.code).toBe(2);
    const jobs = await runIn('align', align, ['--batch', f('two.tsv'), '--out', f('x'), '--jobs', '0']);
    expect(jobs.stderr).toMatch(/--jobs must be a positive whole number/);
    const resumeAlone = await runIn('align', align, [f('zh.txt'), f('en.txt'), '--resume']);
    expect(resumeAlone.code).toBe(2);
    const missing = await runIn('align', align, ['--batch', f('no-manifest.tsv'), '--out', f('x')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-manifest\.tsv: no such file/);
  });

  it('--resume after kill -9: completes, aligns no pair twice, leaves no partial file', async () => {
    const n = 10;
    const manifest = f('resume.tsv');
    writeFileSync(manifest, `${Array.from({ length: n }, (_, k) => `${join(corpus, 'zh.txt')}\t${join(corpus, 'en.txt')}\tp${String(k).padStart(2, '0')}`).join('\n')}\n`);
    const out = f('out-resume');
    const args = [join(repoRoot, 'bin', 'bitext-review.mjs'), 'align', '--batch', manifest, '--out', out, '--format', 'json', '--jobs', '1'];
    await runBin(['--version']); // builds dist/ first if it is stale, so the kill below meets the aligner
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'ignore' });
    const done = (): string[] => (existsSync(out) ? readdirSync(out).filter((x) => x.endsWith('.json')) : []);
    const t0 = Date.now();
    while (done().length < 3 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    const before = new Map(done().map((x) => [x, statSync(join(out, x))]));
    expect(before.size).toBeGreaterThanOrEqual(3);
    expect(before.size).toBeLessThan(n);

    const r = await runBin(['align', '--batch', manifest, '--out', out, '--format', 'json', '--jobs', '1', '--resume']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^batch: ${n} pairs, ${before.size} done before \\(--resume\\)`, 'm'));
    expect(r.stderr).toMatch(new RegExp(`^batch: ${n} pairs: ${n - before.size} aligned, ${before.size} skipped \\(done before\\), 0 failed`, 'm'));
    const files = readdirSync(out).sort();
    expect(files).toEqual(Array.from({ length: n }, (_, k) => `p${String(k).padStart(2, '0')}.json`));
    for (const [name, st] of before) {
      const now = statSync(join(out, name));
      expect([now.ino, now.mtimeMs]).toEqual([st.ino, st.mtimeMs]); // not written again
    }
    const want = (await runIn('align', align, [join(corpus, 'zh.txt'), join(corpus, 'en.txt'), '--format', 'json'])).stdout;
    for (const name of files) expect(readFileSync(join(out, name), 'utf8')).toBe(want);
  }, 120_000);
});

/**
 * The align and eval commands, run in process (scripts/align.ts, scripts/eval.ts: a command is a
 * function of argv and streams); the last tests run the real `bitext-review` process (the compiled
 * build) for what only a process shows: exit codes and a reader that goes away.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { align as alignCommand } from '../../scripts/align.js';
import { evaluate } from '../../scripts/eval.js';
import { qa } from '../../scripts/qa.js';
import { expectCleanError, repoRoot as root, runBin, runIn, type Run } from '../helpers/cli.js';
import { writeSampleTexts } from '../helpers/sample-texts.js';

let dir = '';

const align = (...args: string[]): Promise<Run> => runIn('align', alignCommand, args);

const f = (name: string): string => join(dir, name);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'align-cli-'));
  // An empty model folder: `--model auto` never picks up a local neural model.
  process.env.MODEL_DIR = join(dir, 'no-models');
  // No store: a learnt table in ./data must not change what these tests see.
  process.env.DATA_DIR = join(dir, 'no-store');
  writeSampleTexts(dir);
  writeFileSync(f('blank.txt'), ' \n\n \n');
  writeFileSync(f('binary.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 1, 2, 3]));
  // "猫坐在垫子上。它看着狗。" in GB18030.
  writeFileSync(f('gb.txt'), Buffer.from('c3a8d7f8d4dab5e6d7d3c9cfa1a3cbfcbfb4d7c5b9b7a1a3', 'hex'));
  writeFileSync(f('en-short.txt'), 'The cat sat on the mat. It looked at the dog.\n');
  // "Señor García dijo: «¿Qué?»" in Latin-1 (ISO 8859-1): not UTF-8, and not Chinese in GB18030.
  writeFileSync(f('latin1.txt'), Buffer.from('Se\u00f1or Garc\u00eda dijo: \u00ab\u00bfQu\u00e9?\u00bb\n', 'latin1'));
  // 10 MB on one line, no sentence punctuation at all.
  writeFileSync(f('huge.txt'), `${'word '.repeat(2_000_000)}\n`);
});

describe('npm run align', () => {
  it('prints help with exit code 0', async () => {
    const r = await runIn('align', alignCommand, ['--help'], { npm_lifecycle_event: 'align' });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: npm run align -- FILE_A FILE_B/);
    expect(r.stdout).toMatch(/--format pairs\|beads\|json\|tsv/);
    expect(r.stdout).toMatch(/Exit codes: 0 done, 1 failed input, 2 wrong command line/);
    expect((await align('--help')).stdout).toMatch(/Usage: bitext-review align FILE_A FILE_B/);
  });

  it('rejects bad usage with exit code 2', async () => {
    const [noArgs, badFormat, badOption] = await Promise.all([
      align(),
      align(f('zh.txt'), f('en.txt'), '--format', 'xml'),
      align(f('zh.txt'), f('en.txt'), '--frobnicate'),
    ]);
    expectCleanError(noArgs, 2, /expected 2 arguments/);
    expectCleanError(badFormat, 2, /--format must be one of pairs, beads, json, tsv, jsonl, tmx/);
    expectCleanError(badOption, 2, /frobnicate/);
  });

  it('writes every format, the first file as side a, and prints the model', async () => {
    const [beads, tsv, json, pairs, swapped] = await Promise.all([
      align(f('zh.txt'), f('en.txt'), '--format', 'beads'),
      align(f('zh.txt'), f('en.txt'), '--format', 'tsv', '--model', 'lexical'),
      align(f('zh.txt'), f('en.txt'), '--format', 'json', '--out', f('out.json')),
      align(f('zh.txt'), f('en.txt')),
      align(f('en.txt'), f('zh.txt'), '--format', 'beads'),
    ]);
    expect(beads.code).toBe(0);
    expect(beads.stderr).toMatch(/^model: lexical/m);
    expect(beads.stdout.trim().split('\n')).toEqual(['[0]:[0]', '[1]:[1]', '[2]:[2]']);
    expect(swapped.stdout.trim().split('\n')).toEqual(['[0]:[0]', '[1]:[1]', '[2]:[2]']);

    const rows = tsv.stdout.trim().split('\n');
    expect(rows[0]).toBe('a\tb\tconfidence\ta_text\tb_text');
    expect(rows[1]?.split('\t').slice(0, 2)).toEqual(['0', '0']);
    expect(rows[1]).toContain('猫坐在垫子上。');

    expect(json.code).toBe(0);
    expect(json.stdout).toBe('');
    const doc = JSON.parse(readFileSync(f('out.json'), 'utf8')) as {
      model: string;
      a: { lang: string; sentences: Array<{ start: number; end: number; text: string }>; text?: string };
      b: { lang: string; paragraphs: unknown[] };
      beads: Array<{ a: number[]; b: number[]; confidence: number }>;
      paragraphPairs: unknown[];
    };
    expect(doc.model).toBe('lexical');
    expect([doc.a.lang, doc.b.lang]).toEqual(['zh', 'en']);
    expect(doc.b.paragraphs.length).toBe(2);
    expect(doc.paragraphPairs.length).toBe(2);
    expect(doc.a.sentences[0]).toMatchObject({ start: 0, text: '第一段：猫坐在垫子上。' });
    for (const b of doc.beads) {
      expect(b.confidence).toBeGreaterThanOrEqual(0);
      expect(b.confidence).toBeLessThanOrEqual(1);
    }

    expect(pairs.stdout.split('\n\n')[0]).toBe('第一段：猫坐在垫子上。\nThe cat sat on the mat.');
  });

  it('is deterministic', async () => {
    const [x, y] = await Promise.all([align(f('zh.txt'), f('en.txt'), '--format', 'json'), align(f('zh.txt'), f('en.txt'), '--format', 'json')]);
    expect(x.stdout).toBe(y.stdout);
  });

  it('reports bad input in one line without a stack trace', async () => {
    const [empty, blank, binary, sameLang, sameZh, missing, badEnc, latin1, neural] = await Promise.all([
      align(f('empty.txt'), f('en.txt')),
      align(f('zh.txt'), f('blank.txt')),
      align(f('binary.bin'), f('en.txt')),
      align(f('en.txt'), f('en2.txt')),
      align(f('zh.txt'), f('zh2.txt')),
      align(f('nope.txt'), f('en.txt')),
      align(f('zh.txt'), f('en.txt'), '--encoding', 'klingon'),
      align(f('latin1.txt'), f('en-short.txt')),
      align(f('zh.txt'), f('en.txt'), '--model', 'neural'),
    ]);
    expectCleanError(empty, 1, /empty\.txt: the file is empty/);
    expectCleanError(blank, 1, /blank\.txt: the file is empty/);
    expectCleanError(binary, 1, /binary\.bin: contains NUL bytes.*not a text file/);
    expectCleanError(sameLang, 1, /both look like en text/);
    expectCleanError(sameZh, 1, /both look like zh text/);
    expectCleanError(missing, 1, /nope\.txt: no such file/);
    expectCleanError(badEnc, 1, /unknown encoding/);
    // The encoding is detected ("auto"), never guessed: a Latin-1 file is refused with the list to choose from.
    expectCleanError(latin1, 1, /latin1\.txt: the encoding could not be detected .*windows-1252/);
    expectCleanError(neural, 1, /model:fetch/);
  });

  it('decodes legacy Chinese files with --encoding gb18030', async () => {
    const r = await align(f('gb.txt'), f('en-short.txt'), '--encoding', 'gb18030', '--format', 'tsv');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('猫坐在垫子上。');
  });

  it('aligns two texts of one language when the languages are given', async () => {
    const r = await align(f('en.txt'), f('en2.txt'), '--src-lang', 'en', '--tgt-lang', 'en', '--format', 'beads');
    expect(r.code).toBe(0);
    // Pairs other than zh–en now get the generic signals (the length model alone before).
    expect(r.stderr).toMatch(/^model: generic \(auto: no neural model installed; one language on both sides \(en–en\): generic signals \+ length\)/m);
  });

  it('gives a sensible result for 10 MB on one line', async () => {
    const r = await align(f('huge.txt'), f('zh.txt'), '--format', 'beads');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    // Every sentence of each side once: the zh side has 3 sentences, the huge line many.
    const b = lines.flatMap((l) => JSON.parse(`[${l.replace(':', ',')}]`)[1] as number[]);
    expect(b.sort((x, y) => x - y)).toEqual([0, 1, 2]);
    expect(lines.length).toBeGreaterThan(100);
  }, 120_000);
});

describe('npm run align: output', () => {
  it('stops quietly when the reader of stdout goes away (`| head`): exit 0, no EPIPE error', async () => {
    const corpus = join(root, 'corpus', 'brics-fm-2020-09-04');
    // JSON of the demo corpus is ~140 kB: more than a pipe buffer, so the writer meets the closed pipe.
    const q = (x: string): string => `'${x.replace(/'/g, `'\\''`)}'`;
    const cmd = [process.execPath, join(root, 'bin', 'bitext-review.mjs'), 'align', join(corpus, 'zh.txt'), join(corpus, 'en.txt'), '--format', 'json', '--model', 'lexical'].map(q).join(' ');
    const child = spawn('bash', ['-c', `${cmd} | head -c 100 >/dev/null; exit \${PIPESTATUS[0]}`], {
      cwd: root,
      env: { ...process.env, MODEL_DIR: join(dir, 'no-models') },
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
    expect(stderr).not.toMatch(/EPIPE|internal error|\n\s+at /);
    expect(code).toBe(0);
  }, 60_000);

  it('the real command: exit codes 0, 1 and 2 from any folder', async () => {
    const [ok, failed, usage, unknown] = await Promise.all([
      runBin(['align', f('zh.txt'), f('en.txt'), '--format', 'beads'], { MODEL_DIR: join(dir, 'no-models') }),
      runBin(['align', f('nope.txt'), f('en.txt')]),
      runBin(['align', f('zh.txt')]),
      runBin(['frobnicate']),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('[0]:[0]\n[1]:[1]\n[2]:[2]\n');
    expectCleanError(failed, 1, /^align: .*nope\.txt: no such file$/m);
    expectCleanError(usage, 2, /^align: expected 2 arguments/m);
    expectCleanError(unknown, 2, /unknown command "frobnicate"/);
  }, 60_000);

  it('--out: a one-line error for a path it cannot write, and no partial file left behind', async () => {
    const outDir = join(dir, 'out-dir');
    mkdirSync(outDir);
    const noDir = await align(f('zh.txt'), f('en.txt'), '--out', join(dir, 'missing', 'x.txt'));
    expectCleanError(noDir, 1, /^align: .*missing.*x\.txt: cannot write \(no such directory\)$/m);
    expect(noDir.stderr).not.toMatch(/internal error/);
    const isDir = await align(f('zh.txt'), f('en.txt'), '--out', outDir);
    expectCleanError(isDir, 1, /out-dir: cannot write \(is a directory\)$/m);
    expect(readdirSync(dir).filter((n) => /partial/.test(n))).toEqual([]);
    const ok = await align(f('zh.txt'), f('en.txt'), '--format', 'beads', '--out', join(outDir, 'b.txt'));
    expect(ok.code).toBe(0);
    expect(readdirSync(outDir)).toEqual(['b.txt']);
    expect(readFileSync(join(outDir, 'b.txt'), 'utf8')).toBe('[0]:[0]\n[1]:[1]\n[2]:[2]\n');
  });

  it('an unknown --encoding is reported against the option, not against one of the files', async () => {
    const r = await align(f('zh.txt'), f('en.txt'), '--encoding', 'klingon');
    expectCleanError(r, 1, /^align: --encoding: unknown encoding "klingon"/);
    const q = await runIn('qa', qa, [f('zh.txt'), f('en.txt'), '--encoding', 'klingon']);
    expectCleanError(q, 1, /^qa: --encoding: unknown encoding "klingon"/);
  });

  it('an invalid --model-id is a usage error, not an internal one', async () => {
    for (const id of ['../x', '/etc/passwd', 'a\\b', 'https://evil.example/x']) {
      const r = await align(f('zh.txt'), f('en.txt'), '--model', 'neural', '--model-id', id);
      expectCleanError(r, 2, /^align: --model-id: invalid model id/);
    }
  });
});

describe('npm run eval', () => {
  it('scores a folder of presplit files against gold and prints JSON last', async () => {
    const d = mkdtempSync(join(tmpdir(), 'align-eval-'));
    for (const sub of ['src', 'tgt', 'gold']) mkdirSync(join(d, sub));
    writeFileSync(join(d, 'src', '001.txt'), '猫坐在垫子上。\n它看着狗。\n外长们举行了第六届会晤。\n');
    writeFileSync(join(d, 'tgt', '001.txt'), 'The cat sat on the mat.\nIt looked at the dog.\nThe ministers held their sixth meeting.\n');
    writeFileSync(join(d, 'gold', '001.align'), '[0]:[0]\n[1]:[1]\n[2]:[2]\n');
    const r = await runIn('eval', evaluate, ['--src', join(d, 'src'), '--tgt', join(d, 'tgt'), '--gold', join(d, 'gold'), '--json', '--model', 'lexical']);
    expect(r.code).toBe(0);
    const last = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number>;
    expect(Object.keys(last).sort()).toEqual(['f1_lax', 'f1_strict', 'precision_lax', 'precision_strict', 'recall_lax', 'recall_strict']);
    expect(last.f1_strict).toBe(1);
    writeFileSync(join(d, 'gold', '001.align'), '[0]:[0]\nnot a bead\n');
    const bad = await runIn('eval', evaluate, ['--src', join(d, 'src'), '--tgt', join(d, 'tgt'), '--gold', join(d, 'gold'), '--model', 'lexical']);
    expectCleanError(bad, 1, /^eval: .*001\.align: not a bead: not a bead \(expected lines like \[0,1\]:\[0\]\)$/m);
    const missing = await runIn('eval', evaluate, ['--src', join(d, 'src')]);
    expectCleanError(missing, 2, /--src, --tgt and --gold are required/);
  });
});

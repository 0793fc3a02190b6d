/**
 * The command as users run it (bin/bitext-review.mjs): from the esbuild bundle in dist/cli/ when the
 * build made one (scripts/bundle-cli.mjs), with V8's code cache (bin/code-cache.mjs), else tsc's
 * build. Whichever runs, the output is the sources' output, and the bundle and the module-by-module
 * code share one lexicon cache file.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lexiconKey } from '../../server/align/lexical/lexicon-cache.js';
import { align } from '../../scripts/align.js';
import { repoRoot, runBin, runIn } from '../helpers/cli.js';

const corpus = join(repoRoot, 'corpus', 'brics-fm-2020-09-04');
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-'));
});

describe('the bundled command line', () => {
  it('is what bin/ runs once built, and aligns exactly as the sources do, with one lexicon cache file for both', async () => {
    const env = { CACHE_DIR: join(dir, 'cache'), DATA_DIR: join(dir, 'no-store'), MODEL_DIR: join(dir, 'no-models') };
    const args = [join(corpus, 'zh.txt'), join(corpus, 'en.txt'), '--format', 'tsv'];
    const fromBin = await runBin(['align', ...args], env);
    expect(fromBin.code).toBe(0);
    // The build (tests run after it: `npm ci` builds, and runBin builds when stale) bundles when esbuild is installed.
    const bundled = existsSync(join(repoRoot, 'node_modules', 'esbuild'));
    expect(existsSync(join(repoRoot, 'dist', 'cli', 'bitext-review.cjs'))).toBe(bundled);
    // The first call kept its compiled code; a call with it answers the same.
    expect(existsSync(join(repoRoot, 'dist', 'cli', '.v8-cache-align'))).toBe(bundled);
    const again = await runBin(['align', ...args], env);
    expect([again.code, again.stdout]).toEqual([0, fromBin.stdout]);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const fromSources = await runIn('align', align, args, env);
      expect(fromSources.code).toBe(0);
      expect(fromBin.stdout).toBe(fromSources.stdout);
      const files = readdirSync(env.CACHE_DIR).filter((f) => f.startsWith('lexicon-'));
      expect(files).toEqual([`lexicon-${lexiconKey().slice(0, 20)}.bin`]);
    } finally {
      process.env = saved;
    }
  });
});

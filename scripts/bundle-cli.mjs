// Bundles the command line (scripts/bitext-review.ts and every module it loads) into one CommonJS file
// in dist/cli/ with esbuild, so a call reads one file instead of some seventy modules, and
// bin/code-cache.mjs can keep V8's compiled code of it between calls (Node 20 keeps none for ES
// modules). Worker-thread entries are files of their own there (server/bundle.ts finds them).
// Packages stay outside (node_modules): native addons, and the neural stack that only `--model
// neural` loads (a dynamic import). Run by build-if-needed.mjs after tsc, or alone.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The bundle's entries: output name → source (server/bundle.ts `workerFile` uses the names). */
const ENTRIES = {
  'bitext-review': 'scripts/bitext-review.ts',
  'align-worker': 'scripts/align-worker.ts',
  'jobs-worker': 'server/jobs/worker.ts',
  'embedding-worker': 'server/align/neural/worker.ts',
};

/** Writes dist/cli/ afresh; throws (with esbuild's messages) when bundling fails. */
export async function bundleCli(root) {
  const { build } = await import(pathToFileURL(join(root, 'node_modules', 'esbuild', 'lib', 'main.js')).href);
  const outdir = join(root, 'dist', 'cli');
  rmSync(outdir, { recursive: true, force: true });
  // The lexicon cache key's digest of the deriving modules, as tsc's build computes it (lexicon-cache.ts).
  const { derivingCode } = await import(pathToFileURL(join(root, 'dist', 'server', 'align', 'lexical', 'lexicon-cache.js')).href);
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, src]) => [name, join(root, src)])),
    outdir,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    // Each module's import.meta.url is the bundle file's (files are found from the project root or
    // packages, see server/bundle.ts).
    banner: { js: "const __bundleUrl = require('node:url').pathToFileURL(__filename).href;" },
    define: { __BITEXT_BUNDLE__: JSON.stringify({ lexiconCode: derivingCode(root) }), 'import.meta.url': '__bundleUrl' },
    logLevel: 'warning',
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await bundleCli(fileURLToPath(new URL('..', import.meta.url)));
}

#!/usr/bin/env node
// The `bitext-review` command: makes sure the build in dist/ is current (a stat walk; tsc and the
// bundle only after a source changed, see scripts/build-if-needed.mjs), then runs the compiled CLI:
// the bundle in dist/cli/ (scripts/bundle-cli.mjs) with V8's code cache (code-cache.mjs), or tsc's
// build where there is no bundle. No tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/build-if-needed.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
try {
  await ensureBuilt(root);
} catch (e) {
  process.stderr.write(`bitext-review: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  process.exit(1);
}
const bundle = fileURLToPath(new URL('../dist/cli/bitext-review.cjs', import.meta.url));
const { run } = existsSync(bundle) ? (await import('./code-cache.mjs')).loadBundle(bundle, process.argv[2]) : await import('../dist/scripts/bitext-review.js');
await run();

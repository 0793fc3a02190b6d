#!/usr/bin/env node
// The `bitext-review` command: makes sure the build in dist/ is current (a stat walk; tsc only
// after a source changed, see scripts/build-if-needed.mjs), then runs the compiled CLI. No tsx.
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from '../scripts/build-if-needed.mjs';

try {
  ensureBuilt(fileURLToPath(new URL('..', import.meta.url)));
} catch (e) {
  process.stderr.write(`bitext-review: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  process.exit(1);
}
const { run } = await import('../dist/scripts/bitext-review.js');
await run();

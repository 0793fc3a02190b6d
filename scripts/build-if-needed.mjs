// Rebuilds dist/ with tsc when any TypeScript source is newer than the last build, so `npm start`
// works on a fresh clone and stays fast afterwards.
import { statSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

const stamp = 'dist/.build-stamp';
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const src = Math.max(newest('server'), newest('scripts'), statSync('tsconfig.json').mtimeMs);
if (src > built) {
  process.stderr.write('building (tsc)…\n');
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  const { writeFileSync } = await import('node:fs');
  writeFileSync(stamp, new Date().toISOString());
}

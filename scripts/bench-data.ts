/** Where the benchmarks find MAC-Dev: the shared dataset folder beside the project, or beside the folder of worktrees it sits in. */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export function macDevDir(root: string): string {
  const near = resolve(root, '..', 'shared', 'datasets', 'mac-dev');
  const far = resolve(root, '..', '..', 'shared', 'datasets', 'mac-dev');
  return existsSync(near) || !existsSync(far) ? near : far;
}

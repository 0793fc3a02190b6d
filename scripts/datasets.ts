/**
 * Where the evaluation datasets are: ../shared/datasets beside the project, or beside the folder of
 * working copies it sits in. Only benchmarks and tuning scripts read them; tests never do.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectRoot } from '../server/project-root.js';

export function sharedDataset(name: string): string {
  const root = projectRoot();
  const near = resolve(root, '..', 'shared', 'datasets', name);
  const far = resolve(root, '..', '..', 'shared', 'datasets', name);
  return existsSync(near) || !existsSync(far) ? near : far;
}

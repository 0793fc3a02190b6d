/**
 * Vitest global setup: a PostgreSQL server for the tests' second backend. TEST_DATABASE_URL names one
 * (the tests create and drop their own databases on it; .ci/run starts a throwaway cluster and sets
 * it); without it a throwaway cluster is started here (scripts/pg-throwaway.sh: initdb in a temporary
 * folder, a free loopback port) and stopped at the end. No PostgreSQL installed: the run fails with a
 * message, unless TEST_BACKENDS=sqlite asks for the SQLite half only.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The PostgreSQL server the tests use (null: the SQLite half only, TEST_BACKENDS=sqlite). */
    pgUrl: string | null;
  }
}

const script = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scripts', 'pg-throwaway.sh');

export default function setup(project: TestProject): (() => void) | undefined {
  const backends = (process.env.TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => b.trim());
  if (!backends.includes('postgres')) {
    process.stderr.write('TEST_BACKENDS has no postgres: the PostgreSQL half of the store tests is not run\n');
    project.provide('pgUrl', null);
    return undefined;
  }
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    project.provide('pgUrl', given);
    return undefined;
  }
  const dir = join(tmpdir(), `bitext-test-pg-${randomBytes(4).toString('hex')}`);
  let url: string;
  try {
    url = execFileSync(script, ['start', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch (e) {
    const why = (e as { stderr?: string }).stderr?.trim() || (e as Error).message;
    throw new Error(
      `The store tests run on SQLite and on PostgreSQL, and no PostgreSQL could be started: ${why}\n` +
        'Install it (Debian/Ubuntu: apt-get install postgresql; initdb and postgres are found under /usr/lib/postgresql/*/bin), ' +
        'or set TEST_DATABASE_URL to a server where the tests may create databases, ' +
        'or run only the SQLite half with TEST_BACKENDS=sqlite.',
    );
  }
  project.provide('pgUrl', url);
  return () => {
    execFileSync(script, ['stop', dir], { stdio: 'ignore' });
  };
}

/**
 * How the running code was built. scripts/bundle-cli.mjs bundles the command line into dist/cli/
 * (one CommonJS file per entry, so each module's import.meta.url names that file) and defines
 * __BITEXT_BUNDLE__ at build time; the TypeScript sources (tsx, vitest) and tsc's build (dist/server,
 * dist/scripts) run module by module and leave it undefined. Files the code needs are found from the
 * project root (project-root.ts), from packages (createRequire … resolve), or here for worker entries.
 */
import { fileURLToPath } from 'node:url';

export interface BundleInfo {
  /** Digest of the modules that derive the lexicon cache's contents (lexicon-cache.ts), taken when bundling. */
  lexiconCode: string;
}

declare const __BITEXT_BUNDLE__: BundleInfo | undefined;

/** Set in the CLI bundle, null elsewhere. */
export const BUNDLE: BundleInfo | null = typeof __BITEXT_BUNDLE__ === 'undefined' ? null : __BITEXT_BUNDLE__;

/**
 * The file of a worker thread's entry module for the build the code runs from: `rel` beside the
 * calling module (`here`, its import.meta.url) when it runs module by module; the bundle's entry
 * `entry`.cjs when it runs from the bundle (scripts/bundle-cli.mjs names the entries).
 */
export function workerFile(here: string, rel: string, entry: string): string {
  return fileURLToPath(new URL(BUNDLE ? `./${entry}.cjs` : rel, here));
}

// Runs the command-line bundle (dist/cli/bitext-review.cjs, one CommonJS file) with V8's code cache:
// the compiled code of what a command ran is kept beside the bundle (one file per command, made at
// the end of its first successful run), so later calls skip parsing and compiling it. V8 checks the cache
// against the source and its own version and flags; a rejected or missing cache is made again. A
// rebuild empties dist/cli/, caches included. Where dist/cli/ cannot be written, there is no cache.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import vm from 'node:vm';

/** The bundle's exports, its code taken from the cache kept for `command` when there is one. */
export function loadBundle(file, command) {
  const cacheFile = join(dirname(file), `.v8-cache-${/^[a-z][a-z:-]{0,30}$/.test(command ?? '') ? command.replace(':', '-') : 'other'}`);
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
    // Packages loaded on demand (the neural stack) are ES modules: the usual loader.
    importModuleDynamically: (specifier) => import(specifier),
  });
  if ((!cachedData || script.cachedDataRejected) && !process.argv.some((a) => a === '--help' || a === '-h')) {
    // At the end, when the code the command ran is compiled; only after a call that did the command's
    // work (not its help, not a refusal), so the cache kept holds that work's code.
    process.once('exit', (code) => {
      if (code !== 0) return;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only install: no cache
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

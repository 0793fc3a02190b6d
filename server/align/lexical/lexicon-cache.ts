/**
 * The lexicon file (lexicon-file.ts) kept in a cache folder: built once from CC-CEDICT and jieba's
 * dictionary (about 2 s), then read in a few milliseconds by every later process.
 *
 * The file name carries a key: the versions (path, size, mtime) of both source files and a hash of
 * the code that derives the cached data (gloss cleaning, English terms, the format). When either
 * changes, the key changes and the file is rebuilt. Two processes that build at once each write a
 * temporary file and rename it into place, so a reader only ever sees a complete file; a file that
 * is not complete or not for this key is ignored and rebuilt. When the folder cannot be written the
 * lexicon is built in memory and the process goes on.
 *
 * Folder: $CACHE_DIR, else $XDG_CACHE_HOME/bitext-review, else ~/.cache/bitext-review.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness, homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLE } from '../../bundle.js';
import { projectRoot } from '../../project-root.js';
import { cedictPath, parseCedict } from './cedict.js';
import { buildLexicon, openLexicon, openLexiconFile, parseJiebaDict, type Lexicon } from './lexicon-file.js';

/** Bump when the meaning of a cached field changes without a change in the modules hashed below. */
const FORMAT = 1;
/**
 * Modules whose code decides what the file holds (their TypeScript sources are digested: derivingCode;
 * the CLI bundle, which cannot read them beside itself, carries the digest taken when bundling).
 */
export const DERIVING_MODULES = ['./cedict', './english', './numbers', './lexicon-file', './exact-log', './lexicon-cache'];
/** Files of other keys older than this are removed when a new file is written (their users rebuild). */
const STALE_MS = 7 * 24 * 3600 * 1000;

export interface LexiconStatus {
  file: string | null;
  /** 'read': from the cache; 'built': built and stored; 'memory': built, could not be stored. */
  source: 'read' | 'built' | 'memory';
  ms: number;
  bytes: number;
  error?: string;
}

export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CACHE_DIR) return env.CACHE_DIR;
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'bitext-review');
}

export function jiebaDictPath(): string {
  return createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt');
}

/** The cache key for the current sources and code. */
export function lexiconKey(): string {
  const h = new KeyHash();
  h.update(`format ${FORMAT} ${endianness()}\n`);
  for (const path of [cedictPath(), jiebaDictPath()]) {
    const st = statSync(path);
    h.update(`${path} ${st.size} ${st.mtimeMs}\n`);
  }
  // The same digest of the TypeScript sources whichever build runs (bundle, tsc's, the sources): one file.
  h.update(`code ${BUNDLE ? BUNDLE.lexiconCode : derivingCode(projectRoot())}\n`);
  return h.digest();
}

/**
 * Digest of the TypeScript sources of DERIVING_MODULES under `root` (scripts/bundle-cli.mjs takes it
 * when bundling). Where the sources are not beside the build, the modules this one runs with.
 */
export function derivingCode(root: string): string {
  const h = new KeyHash();
  for (const m of DERIVING_MODULES) {
    let bytes: Uint8Array;
    try {
      bytes = readFileSync(join(root, 'server', 'align', 'lexical', `${m.slice(2)}.ts`));
    } catch {
      bytes = readFileSync(fileURLToPath(new URL(m + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url)));
    }
    h.update(bytes);
  }
  return h.digest();
}

/**
 * A 64-bit hash for the cache key: two 32-bit lanes (FNV-1a and a multiply-rotate mix) over the bytes,
 * plus their count. Not cryptographic (a key only tells versions apart), and it spares every process
 * loading node:crypto.
 */
class KeyHash {
  private a = 0x811c9dc5;
  private b = 0x27d4eb2f;
  private n = 0;
  update(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    let a = this.a;
    let b = this.b;
    for (let i = 0; i < bytes.length; i++) {
      const c = bytes[i] ?? 0;
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul((b << 5) | (b >>> 27), 0x9e3779b1) ^ c;
    }
    this.a = a;
    this.b = b;
    this.n += bytes.length;
  }
  digest(): string {
    const hex = (v: number): string => (v >>> 0).toString(16).padStart(8, '0');
    return hex(this.a) + hex(this.b) + hex(this.n);
  }
}

let loaded: Lexicon | null = null;
let status: LexiconStatus | null = null;
let dirOverride: string | null = null;

/** Cache folder for this process (the CLI's --data-dir); no effect once the lexicon is loaded. */
export function useCacheDir(dir: string): void {
  if (!loaded) dirOverride = dir;
}

/** The lexicon, from the cache or built (and stored) on first use; once per process. */
export function loadLexicon(): Lexicon {
  if (loaded) return loaded;
  const key = lexiconKey();
  const r = openCachedLexicon({ dir: dirOverride ?? cacheDir(), key, build: () => buildLexiconBytes(key) });
  status = r.status;
  loaded = r.lexicon;
  return loaded;
}

/** How the lexicon of this process was obtained (null before the first load). */
export function lexiconStatus(): LexiconStatus | null {
  return status;
}

export interface CachedLexiconRequest {
  dir: string;
  key: string;
  build: () => Uint8Array;
}

/** Reads DIR/lexicon-KEY.bin, or builds it and stores it there (temporary file + rename). */
export function openCachedLexicon(req: CachedLexiconRequest): { lexicon: Lexicon; status: LexiconStatus } {
  const t0 = performance.now();
  const file = join(req.dir, `lexicon-${req.key.slice(0, 20)}.bin`);
  const found = openLexiconFile(file, req.key);
  if (found) return { lexicon: found, status: { file, source: 'read', ms: performance.now() - t0, bytes: found.byteLength } };
  const built = req.build();
  const lexicon = openLexicon(built, req.key);
  if (!lexicon) throw new Error('lexicon: the file just built does not open (bug)');
  const error = store(req.dir, file, built);
  const ms = performance.now() - t0;
  return {
    lexicon,
    status: error === null ? { file, source: 'built', ms, bytes: built.length } : { file: null, source: 'memory', ms, bytes: built.length, error },
  };
}

export function buildLexiconBytes(key: string): Uint8Array {
  const cedict = parseCedict(readFileSync(cedictPath(), 'utf8'));
  const jieba = parseJiebaDict(readFileSync(jiebaDictPath(), 'utf8'));
  return buildLexicon(key, cedict, jieba);
}

/** Writes `bytes` to `file` through a temporary name; returns an error message, or null. */
function store(dir: string, file: string, bytes: Uint8Array): string | null {
  const tmp = `${file}.${process.pid}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, bytes);
    renameSync(tmp, file);
  } catch (e) {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // the folder itself is not there or not ours
    }
    return `cannot write the lexicon cache in ${dir}: ${(e as Error).message}`;
  }
  prune(dir, file);
  return null;
}

function prune(dir: string, keep: string): void {
  const now = Date.now();
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (path === keep || !/^lexicon-[0-9a-f]+\.bin(?:\..*\.tmp)?$/.test(name)) continue;
      const age = now - statSync(path).mtimeMs;
      // Temporary files of a killed build go after an hour; other keys' files after a week unused.
      if (age > (name.endsWith('.tmp') ? 3600 * 1000 : STALE_MS)) rmSync(path, { force: true });
    }
  } catch {
    // pruning is housekeeping: never a reason to fail
  }
}

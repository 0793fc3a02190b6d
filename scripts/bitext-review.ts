/**
 * `bitext-review COMMAND …`: the command-line entry (bin/bitext-review.mjs runs its build). Each
 * command's module is loaded only when asked for, so `align` never loads the server or the store.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../server/project-root.js';
import { EXIT_OK, EXIT_USAGE, isEntry, runCommand, type CliIo, type Command, processIo } from './cli-util.js';

interface Entry {
  summary: string;
  load: () => Promise<Command>;
  /** The command keeps the process (a server): no exit code. */
  keepsRunning?: boolean;
}

const COMMANDS: Record<string, Entry> = {
  align: { summary: 'align two texts, or every pair of a manifest (--batch)', load: async () => (await import('./align.js')).align },
  eval: { summary: 'score alignments of presplit files against gold beads', load: async () => (await import('./eval.js')).evaluate },
  qa: { summary: 'translation QA of a Chinese text against its English original', load: async () => (await import('./qa.js')).qa },
  'dict:list': { summary: 'list the dictionaries per language pair (CC-CEDICT, FreeDict in DICT_DIR)', load: async () => (await import('./dict-list.js')).dictList },
  learn: { summary: 'rebuild the table learnt from confirmed rows in the store (--project: one project)', load: async () => (await import('./learn.js')).learn },
  export: { summary: 'export from the review store (TMX, XLIFF, JSON, …), or import into it', load: async () => (await import('./export.js')).exportCommand },
  serve: { summary: 'serve the review tool (PORT, HOST, DATA_DIR or DATABASE_URL)', load: async () => serve, keepsRunning: true },
  'store:migrate': { summary: 'move a SQLite store into PostgreSQL and check that everything arrived', load: async () => (await import('./store-migrate.js')).storeMigrate },
  worker: { summary: 'take jobs from the queue of a PostgreSQL store (a team deployment)', load: async () => (await import('./worker.js')).worker },
};

/** The server keeps the process: its module starts it when imported, with process.argv as options. */
const serve: Command = async (argv) => {
  process.argv = [process.argv[0] ?? 'node', 'serve', ...argv];
  await import('../server/web/main.js');
  return undefined;
};

/** The package's version, from its package.json. */
function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { name?: string; version?: string };
    return pkg.name === 'bitext-review' ? (pkg.version ?? '?') : '?';
  } catch {
    return '?';
  }
}

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length)) + 2;
  return [
    'Usage: bitext-review COMMAND [options]      (in a clone: npm run COMMAND -- [options])',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, e]) => `  ${name.padEnd(width)}${e.summary}`),
    '',
    '`bitext-review COMMAND --help` shows the options of a command.',
    'Exit codes: 0 done, 1 failed input (a file, a document, some pairs of a batch), 2 wrong command line.',
  ].join('\n');
}

/** Runs `bitext-review ARGV…`; returns the exit code, or null when the command keeps running (serve). */
export async function main(argv: readonly string[], io: CliIo): Promise<number | null> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(`${usage()}\n`);
    return name === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`bitext-review ${version()}\n`);
    return EXIT_OK;
  }
  const entry = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!entry) {
    io.stderr.write(`bitext-review: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}\n(see --help)\n`);
    return EXIT_USAGE;
  }
  const command = await entry.load();
  if (entry.keepsRunning) {
    await command(rest, io);
    return null;
  }
  return runCommand(name, command, rest, io);
}

/** Process entry (bin/bitext-review.mjs calls it after making sure the build is current). */
export async function run(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    // `… | head`: the reader went away; stop quietly like any Unix filter.
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    process.stderr.write(`bitext-review: cannot write to stdout (${e.code ?? e.message})\n`);
    process.exit(1);
  });
  const code = await main(argv, processIo());
  if (code !== null) process.exitCode = code;
}

if (isEntry(import.meta.url)) void run();

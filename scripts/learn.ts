/**
 * bitext-review learn [--data-dir DIR | --database-url URL] [--project NAME]   (npm run learn -- …)
 * Rebuilds the table learnt from confirmed rows, in the store (SQLite in DIR, $DATA_DIR, else ./data;
 * or PostgreSQL at URL, $DATABASE_URL), from
 * every confirmed row of its zh–en documents (or those of one project), in one transaction, with
 * progress on stderr. The store keeps the table up to date by itself on every confirmation; a rebuild
 * is for a store changed behind its back, or to see what it holds.
 */
import { describeLocation } from '../server/store/open.js';
import { cliStoreLocation, STORE_OPTIONS, withStore } from './cli-store.js';
import { isEntry, parseCli, progress, runMain, type CliIo, type CliSpec } from './cli-util.js';

const spec: CliSpec = {
  name: 'learn',
  description:
    'Rebuilds the translation table learnt from confirmed rows (zh–en) in the store, from every confirmed\n' +
    'row of its documents (or of one project\'s), and prints what it holds. Alignments read the table\n' +
    '(server imports and re-aligns; align, eval, export --src/--tgt with the same --data-dir).',
  options: {
    ...STORE_OPTIONS,
    project: { type: 'string', arg: 'NAME', help: "rebuild only this project's table (default: all documents)" },
  },
};

const n = (x: number): string => x.toLocaleString('en-US');

export async function learn(argv: readonly string[], io: CliIo): Promise<void> {
  const cli = parseCli(spec, argv, io.env);
  const at = cliStoreLocation(cli, io.env);
  const project = cli.string('project')?.trim();
  await withStore(at, async (store) => {
    const scope = project !== undefined ? { langs: 'zh-en' as const, project } : { langs: 'zh-en' as const };
    const t0 = performance.now();
    let shown = -1;
    const summary = await store.rebuildLearnt(scope, {
      onProgress: (done, total) => {
        // About every tenth, and the end.
        const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
        if (tenth === shown) return;
        shown = tenth;
        progress(`learn: ${n(done)}/${n(total)} confirmed rows (${((performance.now() - t0) / 1000).toFixed(1)} s)`, io);
      },
    });
    const what = project !== undefined ? `project "${project}"` : 'all documents';
    io.stdout.write(
      `learnt from ${n(summary.beads)} confirmed rows (${what}, ${describeLocation(at)}): ${n(summary.words)} Chinese words, ${n(summary.terms)} English terms, ${n(summary.pairs)} word pairs (${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
  });
}

if (isEntry(import.meta.url)) runMain('learn', learn);

/**
 * A second writer for test/store/concurrency.test.ts: opens the store at argv[2] (a DATA_DIR or a
 * postgres:// URL) and applies
 * argv[4] random confirm/flag/unconfirm/merge/split ops to document argv[3], each against the revision it
 * just read. Prints {"accepted": n, "refused": n, "errors": [...]} as JSON.
 */
import type { ReviewOp } from '../../server/domain.js';
import { isDatabaseUrl, openStoreAt } from '../../server/store/open.js';
import { ConflictError, InvalidOperationError, NotFoundError } from '../../server/store/store.js';

const [dir, id, count, seedArg] = process.argv.slice(2) as [string, string, string, string];
const store = await openStoreAt(isDatabaseUrl(dir) ? { kind: 'postgres', url: dir } : { kind: 'sqlite', dataDir: dir }, { connections: 2 });
let seed = Number(seedArg) || 1;
const rnd = (n: number): number => {
  seed = (seed * 16807) % 2147483647;
  return seed % n;
};
let accepted = 0;
let refused = 0;
const errors: string[] = [];
for (let i = 0; i < Number(count); i++) {
  try {
    const doc = await store.getDocument(id);
    const b = doc.beads[rnd(doc.beads.length)]!;
    const ops: ReviewOp[] = [
      { kind: 'confirm', beadId: b.id },
      { kind: 'flag', beadId: b.id },
      { kind: 'unconfirm', beadId: b.id },
      { kind: 'merge', beadId: b.id },
      { kind: 'split', beadId: b.id, sourceAt: rnd(b.source.length + 1), targetAt: rnd(b.target.length + 1) },
    ];
    await store.apply(id, ops[rnd(ops.length)]!, { author: `p${seedArg}`, baseRevision: doc.revision });
    accepted++;
  } catch (e) {
    if (e instanceof ConflictError || e instanceof InvalidOperationError || e instanceof NotFoundError) refused++;
    else errors.push(String(e));
  }
}
await store.close();
process.stdout.write(JSON.stringify({ accepted, refused, errors }));

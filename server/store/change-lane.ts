/**
 * The changes of one document waiting in this process, handed to the writer in runs (group commit).
 *
 * A hot document (dozens of reviewers on one file) sees more changes than one round trip to the
 * database per change can serve: the changes would queue behind each other's round trips. Instead,
 * whatever has queued while a write was under way goes to the database together: planned one after
 * the other in memory and committed in one transaction, so one fresh read and one commit serve them
 * all. A change marked `alone` (an undo or redo, which reads the history's stack; one that finishes a
 * job) forms a run of its own. Runs of a document are strictly one after another; documents do not
 * wait for each other.
 */

/** A change in a run: the writer settles it with its own outcome (refused changes do not fail the others). */
export interface LaneItem<C, R> {
  readonly change: C;
  resolve(result: R): void;
  reject(error: unknown): void;
  /** True once resolved or rejected. */
  readonly settled: boolean;
}

interface Waiting<C, R> extends LaneItem<C, R> {
  alone: boolean;
}

/** Most changes one run takes (one transaction; the rest wait for the next run). */
export const MAX_RUN = 64;

export class ChangeLanes<C, R> {
  private readonly lanes = new Map<string, Waiting<C, R>[]>();

  /** `write` commits a run, settling every item of it (an item it leaves unsettled is failed with what it threw, or an error). */
  constructor(private readonly write: (key: string, run: readonly LaneItem<C, R>[]) => Promise<void>) {}

  submit(key: string, change: C, alone: boolean): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const item: Waiting<C, R> = {
        change,
        alone,
        get settled() {
          return settled;
        },
        resolve(r) {
          if (settled) return;
          settled = true;
          resolve(r);
        },
        reject(e) {
          if (settled) return;
          settled = true;
          reject(e);
        },
      };
      const queue = this.lanes.get(key);
      if (queue) {
        queue.push(item);
        return;
      }
      this.lanes.set(key, [item]);
      void this.drain(key);
    });
  }

  /** Runs the key's queue until it is empty; a change that arrives meanwhile joins the next run. */
  private async drain(key: string): Promise<void> {
    const queue = this.lanes.get(key)!;
    // Let the changes that arrive in the same tick join the first run.
    await Promise.resolve();
    while (queue.length) {
      const run = queue[0]!.alone ? queue.splice(0, 1) : queue.splice(0, runLength(queue));
      try {
        await this.write(key, run);
      } catch (e) {
        for (const item of run) item.reject(e);
      }
      for (const item of run) item.reject(new Error('a change was neither written nor refused'));
    }
    this.lanes.delete(key);
  }
}

/** How many changes from the head of the queue go together: those up to the first that must go alone. */
function runLength(queue: readonly { alone: boolean }[]): number {
  let n = 0;
  while (n < queue.length && n < MAX_RUN && !queue[n]!.alone) n++;
  return n;
}

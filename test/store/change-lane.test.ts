/** The lanes that group a document's waiting changes into runs (server/store/change-lane.ts). */
import { describe, expect, it } from 'vitest';
import { ChangeLanes, type LaneItem, MAX_RUN } from '../../server/store/change-lane.js';

/** A writer that records each run's changes and answers each change with itself doubled, after `ms`. */
function recorder(ms = 5) {
  const runs: { key: string; changes: number[] }[] = [];
  const write = async (key: string, run: readonly LaneItem<number, number>[]): Promise<void> => {
    runs.push({ key, changes: run.map((x) => x.change) });
    await new Promise((r) => setTimeout(r, ms));
    for (const x of run) x.resolve(x.change * 2);
  };
  return { runs, write };
}

describe('ChangeLanes', () => {
  it('a change on its own is written at once; what arrives meanwhile goes in the next run, in order', async () => {
    const { runs, write } = recorder();
    const lanes = new ChangeLanes<number, number>(write);
    const first = lanes.submit('d', 1, false);
    await new Promise((r) => setTimeout(r, 1)); // the first run is under way
    const later = [2, 3, 4].map((n) => lanes.submit('d', n, false));
    expect(await first).toBe(2);
    expect(await Promise.all(later)).toEqual([4, 6, 8]);
    expect(runs).toEqual([
      { key: 'd', changes: [1] },
      { key: 'd', changes: [2, 3, 4] },
    ]);
  });

  it('changes of one tick go together; one marked alone has a run of its own; other documents do not wait', async () => {
    const { runs, write } = recorder();
    const lanes = new ChangeLanes<number, number>(write);
    const answers = await Promise.all([lanes.submit('d', 1, false), lanes.submit('d', 2, false), lanes.submit('d', 3, true), lanes.submit('d', 4, false), lanes.submit('e', 5, false)]);
    expect(answers).toEqual([2, 4, 6, 8, 10]);
    expect(runs).toEqual([
      { key: 'd', changes: [1, 2] },
      { key: 'e', changes: [5] },
      { key: 'd', changes: [3] },
      { key: 'd', changes: [4] },
    ]);
  });

  it(`a run takes at most ${MAX_RUN} changes`, async () => {
    const { runs, write } = recorder(1);
    const lanes = new ChangeLanes<number, number>(write);
    await Promise.all(Array.from({ length: MAX_RUN + 3 }, (_, k) => lanes.submit('d', k, false)));
    expect(runs.map((r) => r.changes.length)).toEqual([MAX_RUN, 3]);
  });

  it('a writer that throws fails its run, not the next; a change it leaves unsettled is failed, not left waiting', async () => {
    let calls = 0;
    const lanes = new ChangeLanes<number, number>(async (_key, run) => {
      calls++;
      if (calls === 1) throw new Error('database gone');
      run[0]!.resolve(run[0]!.change); // the others of the run: left unsettled
    });
    const a = lanes.submit('d', 1, false).then(() => 'written', (e: unknown) => String(e));
    await new Promise((r) => setTimeout(r, 0));
    const later = Promise.allSettled([lanes.submit('d', 2, false), lanes.submit('d', 3, false)]);
    expect(await a).toMatch('database gone');
    const [b, c] = await later;
    expect(b).toEqual({ status: 'fulfilled', value: 2 });
    expect(c?.status === 'rejected' && String(c.reason)).toMatch('neither written nor refused');
  });
});

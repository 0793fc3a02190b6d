/**
 * A batch worker thread (piscina): aligns one pair per task and writes its output file through a
 * temporary name. The dictionary is loaded once per thread, on its first task.
 */
import { workerData } from 'piscina';
import { useCacheDir } from '../server/align/lexical/lexicon-cache.js';
import { alignFiles, pairItem, writePair, type AlignFormat, type PairOptions } from './align-pair.js';
import { userMessage, withOutput } from './cli-util.js';

export interface PairTask {
  /** Files to read, and as the manifest names them (the json format records the latter). */
  read: { a: string; b: string };
  shown: { a: string; b: string };
  name: string;
  format: AlignFormat;
  pair: PairOptions;
  /** The output file; for a corpus format, the pair's part (its review document as JSON). */
  target: string;
  part: boolean;
}

export type PairOutcome = { ok: true; sentences: number; beads: number; ms: number } | { ok: false; message: string };

const data = workerData as { cacheDir?: string } | undefined;
if (data?.cacheDir) useCacheDir(data.cacheDir);

export default async function alignTask(task: PairTask): Promise<PairOutcome> {
  try {
    const { result, ms } = await alignFiles(task.read.a, task.read.b, task.pair);
    await withOutput(task.target, async (out) => {
      if (task.part) {
        out.write(JSON.stringify((await pairItem(result, task.name)).doc));
        return;
      }
      await writePair(out, result, task.format, { a: task.shown.a, b: task.shown.b, name: task.name });
    });
    return { ok: true, sentences: result.a.sentences.length + result.b.sentences.length, beads: result.beads.length, ms };
  } catch (e) {
    return { ok: false, message: userMessage(e) };
  }
}

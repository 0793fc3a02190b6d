/**
 * What every router gets: the store, the jobs (long work off the web thread) and where things live.
 * Created once by main.ts (or a test) and passed to createApp and to each router factory.
 */
import type { Jobs } from '../jobs/index.js';
import type { Store } from '../store/store.js';

export interface AppContext {
  store: Store;
  /** Long work (aligning, re-aligning, file imports, large exports and QA reports) runs here. */
  jobs: Jobs;
  /** Folder of document folders (zh.txt + en.txt) imported on first start. */
  corpusDir: string;
}

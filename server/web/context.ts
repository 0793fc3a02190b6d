/**
 * What every router gets: the store and where things live. Created once by main.ts (or a test) and
 * passed to createApp and to each router factory.
 */
import type { Store } from '../store/store.js';

export interface AppContext {
  store: Store;
  /** Folder holding the database and the server's secret. */
  dataDir: string;
  /** Folder of document folders (zh.txt + en.txt) imported on first start. */
  corpusDir: string;
}

// Worker entry when the CLI runs from TypeScript (tsx, vitest): registers tsx's ESM hooks in this
// thread, then loads align-worker.ts. The build (dist/) loads align-worker.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: alignTask } = await import('./align-worker.ts');
export default alignTask;

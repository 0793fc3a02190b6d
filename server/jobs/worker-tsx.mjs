// Worker entry when the server runs from TypeScript (tsx, vitest): registers tsx's ESM hooks in this
// thread, then loads worker.ts. The build (dist/) loads worker.js directly.
import { register } from 'tsx/esm/api';

register();
const { default: piscinaTask } = await import('./worker.ts');
export default piscinaTask;

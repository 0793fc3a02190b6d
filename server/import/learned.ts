/**
 * Which learnt table an alignment in the server uses: the store's, over all documents (default), or
 * only the documents of the same project (`LEARN_SCOPE=project`), or none (`LEARN_SCOPE=none`).
 * Only zh–en has a learner; other pairs get none.
 */
import type { Lang } from '../domain.js';
import type { LearnedLexicon } from '../align/index.js';
import { CountsLexicon, scopedReader } from '../learn/lexicon.js';
import { learntLangs, type LearntScope } from '../learn/teach.js';
import type { Store } from '../store/store.js';

export type LearnScopeSetting = 'all' | 'project' | 'none';

export function learnScopeSetting(env: NodeJS.ProcessEnv = process.env): LearnScopeSetting {
  const v = (env.LEARN_SCOPE ?? 'all').trim().toLowerCase();
  return v === 'project' || v === 'none' ? v : 'all';
}

/** The learnt table for a document of these languages and project, or undefined when none applies. */
export function learnedFor(store: Store, langs: { a: Lang; b: Lang }, project: string, env: NodeJS.ProcessEnv = process.env): LearnedLexicon | undefined {
  const pair = learntLangs(langs.a, langs.b);
  const setting = learnScopeSetting(env);
  if (!pair || setting === 'none') return undefined;
  const scope: LearntScope = setting === 'project' ? { langs: pair, project } : { langs: pair };
  return new CountsLexicon(scopedReader(store, scope));
}

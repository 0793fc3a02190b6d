/** Text diffs for the review page: characters for Chinese, words for English (rendered as <ins>/<del>). */
import { diffChars, diffWords } from 'diff';
import type { Lang } from '../../domain.js';
import { writesWordsWithoutSpaces } from '../../text/lang.js';

export interface DiffSegment {
  kind: 'eq' | 'ins' | 'del';
  text: string;
}

export function diffText(before: string, after: string, lang: Lang): DiffSegment[] {
  if (before === after) return [{ kind: 'eq', text: after }];
  const changes = writesWordsWithoutSpaces(lang) ? diffChars(before, after) : diffWords(before, after);
  return changes.map((c) => ({ kind: c.added ? 'ins' : c.removed ? 'del' : 'eq', text: c.value }));
}

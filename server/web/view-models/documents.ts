/** View model of the documents list. */
import type { DocumentSummary } from '../../store/store.js';
import { docBase, shortTime } from './common.js';

export interface DocumentRowVM {
  id: string;
  name: string;
  /** Project or client ('' = none). */
  project: string;
  href: string;
  langs: string;
  sentences: string;
  beads: number;
  confirmed: number;
  percent: number;
  model: string;
  flagged: number;
  openIssues: number;
  updated: string;
  deleteHref: string;
  realignAction: string;
}

export function buildDocumentsVM(list: readonly DocumentSummary[]): DocumentRowVM[] {
  return [...list]
    .sort((x, y) => (x.updatedAt < y.updatedAt ? 1 : x.updatedAt > y.updatedAt ? -1 : x.name.localeCompare(y.name)))
    .map((d) => {
      const base = docBase(d.id);
      return {
        id: d.id,
        name: d.name,
        project: d.project,
        href: base,
        langs: `${d.targetLang} ↔ ${d.sourceLang}`,
        sentences: `${d.targetSentences} ${d.targetLang} / ${d.sourceSentences} ${d.sourceLang}`,
        beads: d.beads,
        confirmed: d.confirmed,
        percent: d.beads ? Math.round((100 * d.confirmed) / d.beads) : 0,
        model: d.model,
        flagged: d.flagged,
        openIssues: d.openIssues,
        updated: shortTime(d.updatedAt),
        deleteHref: `${base}/delete`,
        realignAction: `${base}/realign`,
      };
    });
}

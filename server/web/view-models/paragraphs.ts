/** View model of the paragraph view: paragraph pairs only, target beside source. */
import type { ReviewDocument } from '../../domain.js';
import { sideLabels } from './common.js';

export interface ParagraphPairVM {
  n: number;
  method: string;
  target: string[];
  source: string[];
}

export interface ParagraphsVM {
  targetLabel: string;
  sourceLabel: string;
  targetLang: string;
  sourceLang: string;
  pairs: ParagraphPairVM[];
}

/** Paragraph pairs are stored with a = source paragraphs, b = target paragraphs (server/review/from-alignment.ts). */
export function buildParagraphsVM(doc: ReviewDocument): ParagraphsVM {
  const src = doc.source.paragraphs;
  const tgt = doc.target.paragraphs;
  const pairs = doc.paragraphPairs.map((p, i) => ({
    n: i + 1,
    method: p.method,
    target: p.b.map((k) => tgt[k]?.text ?? ''),
    source: p.a.map((k) => src[k]?.text ?? ''),
  }));
  return {
    ...sideLabels(doc),
    targetLang: doc.target.lang,
    sourceLang: doc.source.lang,
    pairs,
  };
}

/** Builds the checks' input (QaPair[]) from a ReviewDocument or directly from an AlignmentResult. */
import type { AlignmentResult, Paragraph, ReviewDocument, Sentence } from '../domain.js';
import { joinSentences } from '../text/lang.js';
import type { QaPair } from './types.js';

/** One side's sentences as the Finding spans count them (text/lang.ts: '' for zh and ja, ' ' otherwise). */
function sideText(sentences: readonly Sentence[], lang: string): string {
  return joinSentences(sentences.map((s) => s.text), lang);
}

function paragraphLabel(paragraphs: readonly Paragraph[], sentences: readonly Sentence[], idx: readonly number[]): string | null {
  const first = idx[0];
  if (first === undefined) return null;
  const s = sentences[first];
  if (!s) return null;
  const p = paragraphs[s.paragraph];
  if (!p) return null;
  if (p.number !== null) return p.number;
  // A fragment after a page break belongs to the numbered paragraph before it.
  for (let k = s.paragraph - 1; k >= 0; k--) {
    const q = paragraphs[k];
    if (!q || q.kind === 'title' || q.kind === 'date') break;
    if (q.number !== null) return q.number;
  }
  return p.kind === 'title' || p.kind === 'date' ? p.kind : null;
}

function pick<T>(arr: readonly T[], idx: readonly number[]): T[] {
  return idx.map((i) => arr[i]).filter((x): x is T => x !== undefined);
}

/**
 * Source = English, target = Chinese: the beads of a review document as QA pairs. A row a reviewer
 * aligned by hand (origin 'manual') has no aligner confidence to check: the reviewer decided it.
 */
export function pairsFromDocument(doc: ReviewDocument): QaPair[] {
  return doc.beads.map((b) => ({
    id: b.id,
    paragraph:
      paragraphLabel(doc.source.paragraphs, doc.source.sentences, b.source) ??
      paragraphLabel(doc.target.paragraphs, doc.target.sentences, b.target),
    source: sideText(pick(doc.source.sentences, b.source), doc.source.lang),
    target: sideText(pick(doc.target.sentences, b.target), doc.target.lang),
    ...(b.origin === 'manual' ? {} : { confidence: b.confidence }),
    sourceSentences: b.source.length,
    targetSentences: b.target.length,
  }));
}

/**
 * QA pairs straight from the aligner's result. `sourceSide` says which side is the English original.
 * Bead ids are 'b1', 'b2' … in order.
 */
export function pairsFromAlignment(result: AlignmentResult, sourceSide: 'a' | 'b' = 'a'): QaPair[] {
  const src = sourceSide === 'a' ? result.a : result.b;
  const tgt = sourceSide === 'a' ? result.b : result.a;
  return result.beads.map((b, i) => {
    const si = sourceSide === 'a' ? b.a : b.b;
    const ti = sourceSide === 'a' ? b.b : b.a;
    return {
      id: `b${i + 1}`,
      paragraph: paragraphLabel(src.paragraphs, src.sentences, si) ?? paragraphLabel(tgt.paragraphs, tgt.sentences, ti),
      source: sideText(pick(src.sentences, si), src.lang),
      target: sideText(pick(tgt.sentences, ti), tgt.lang),
      confidence: b.confidence,
      sourceSentences: si.length,
      targetSentences: ti.length,
    };
  });
}

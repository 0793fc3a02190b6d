/**
 * Builds the document under review from the aligner's output. The aligner is symmetric (sides a and
 * b); the review calls the original "source" (English) and the translation "target" (Chinese).
 */
import type { AlignmentResult, ParagraphPair, ReviewDocument, TextSide } from '../domain.js';
import { checkInvariants } from './invariants.js';

export interface FromAlignmentOptions {
  name: string;
  /** Which aligner side is the original (English): the other becomes the target. */
  sourceSide: 'a' | 'b';
  /** Timestamp for createdAt/updatedAt (default now). */
  at?: string;
}

export function reviewDocumentFromAlignment(result: AlignmentResult, opts: FromAlignmentOptions): ReviewDocument {
  const flip = opts.sourceSide === 'b';
  const source: TextSide = flip ? result.b : result.a;
  const target: TextSide = flip ? result.a : result.b;
  const at = opts.at ?? new Date().toISOString();
  // Paragraph pairs are stored with a = source, b = target.
  const paragraphPairs: ParagraphPair[] = result.paragraphPairs.map((p) => (flip ? { a: [...p.b], b: [...p.a], method: p.method } : { a: [...p.a], b: [...p.b], method: p.method }));
  const doc: ReviewDocument = {
    id: '',
    name: opts.name,
    source: { lang: source.lang, text: source.text, paragraphs: source.paragraphs, sentences: source.sentences },
    target: {
      lang: target.lang,
      text: target.text,
      paragraphs: target.paragraphs,
      sentences: target.sentences.map((s) => ({ ...s, original: s.text })),
    },
    paragraphPairs,
    beads: result.beads.map((b, i) => ({
      id: `b${i + 1}`,
      source: [...(flip ? b.b : b.a)],
      target: [...(flip ? b.a : b.b)],
      confidence: Number.isFinite(b.confidence) ? Math.min(1, Math.max(0, b.confidence)) : 0,
      status: 'automatic' as const,
      origin: result.model,
    })),
    issues: [],
    versions: [],
    model: result.model,
    revision: 0,
    createdAt: at,
    updatedAt: at,
  };
  checkInvariants(doc);
  return doc;
}

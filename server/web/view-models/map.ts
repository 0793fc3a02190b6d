/**
 * The alignment map: each bead drawn as a segment over (target, source) sentence positions,
 * i.e. (Chinese, English) for the default languages. Server-rendered SVG, one link per bead.
 */
import type { ReviewDocument } from '../../domain.js';
import { confClass, confText } from './common.js';

export interface MapSegmentVM {
  id: string;
  href: string;
  title: string;
  /** SVG path data in sentence units. */
  d: string;
  confClass: string;
  flagged: boolean;
  confirmed: boolean;
  cx: number;
  cy: number;
}

export interface MapVM {
  width: number;
  height: number;
  segments: MapSegmentVM[];
  /** Grid lines every `gridStep` sentences. */
  gridX: number[];
  gridY: number[];
}

export function buildMapVM(doc: ReviewDocument, goHref: (beadId: string) => string): MapVM {
  const width = Math.max(1, doc.target.sentences.length);
  const height = Math.max(1, doc.source.sentences.length);
  // Positions advance along the beads, so empty sides (1-0, 0-1) draw as horizontal/vertical steps.
  let t = 0;
  let s = 0;
  const segments: MapSegmentVM[] = doc.beads.map((b, i) => {
    const t0 = b.target.length ? b.target[0]! : t;
    const s0 = b.source.length ? b.source[0]! : s;
    const t1 = b.target.length ? b.target[b.target.length - 1]! + 1 : t0;
    const s1 = b.source.length ? b.source[b.source.length - 1]! + 1 : s0;
    t = t1;
    s = s1;
    return {
      id: b.id,
      href: goHref(b.id),
      title: `Row ${i + 1}: ${b.target.length}–${b.source.length}, confidence ${confText(b.confidence)}, ${b.status}`,
      d: `M${t0} ${s0}L${t1} ${s1}`,
      confClass: confClass(b.confidence),
      flagged: b.status === 'flagged',
      confirmed: b.status === 'confirmed',
      cx: (t0 + t1) / 2,
      cy: (s0 + s1) / 2,
    };
  });
  const step = (n: number): number => (n > 500 ? 100 : n > 100 ? 20 : 10);
  const grid = (n: number): number[] => {
    const out: number[] = [];
    for (let k = step(n); k < n; k += step(n)) out.push(k);
    return out;
  };
  return { width, height, segments, gridX: grid(width), gridY: grid(height) };
}

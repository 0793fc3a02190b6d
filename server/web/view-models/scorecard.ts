/**
 * The scorecard page's charts as geometry for server-rendered SVG (no chart library): bars of
 * errors per MQM category and per paragraph, accepted issues and open automatic findings side by
 * side. Pure: the template draws what this returns.
 */
import type { Scorecard } from '../../domain.js';

export interface Bar {
  x: number;
  y: number;
  width: number;
  height: number;
  set: 'accepted' | 'automatic';
  value: number;
  /** Tooltip (an SVG <title>). */
  title: string;
}

export interface Chart {
  width: number;
  height: number;
  bars: Bar[];
  labels: { x: number; y: number; text: string; anchor: 'start' | 'middle' | 'end' }[];
  /** Text description of the chart for screen readers. */
  description: string;
}

const ROW = 22;
const LABEL_W = 170;
const BAR_MAX = 300;

/** Horizontal bars: one row per category, the two sets stacked in it. */
export function categoryChart(card: Scorecard): Chart {
  const cats = new Map<string, { accepted: number; automatic: number }>();
  for (const c of card.accepted.byCategory) cats.set(c.category, { accepted: c.errors, automatic: 0 });
  for (const c of card.automatic.byCategory) cats.set(c.category, { accepted: cats.get(c.category)?.accepted ?? 0, automatic: c.errors });
  const rows = [...cats];
  const max = Math.max(1, ...rows.map(([, v]) => v.accepted + v.automatic));
  const bars: Bar[] = [];
  const labels: Chart['labels'] = [];
  rows.forEach(([category, v], k) => {
    const y = 8 + k * ROW;
    labels.push({ x: LABEL_W - 6, y: y + 13, text: category, anchor: 'end' });
    const wa = (v.accepted / max) * BAR_MAX;
    const wb = (v.automatic / max) * BAR_MAX;
    if (v.accepted) bars.push({ x: LABEL_W, y, width: wa, height: ROW - 6, set: 'accepted', value: v.accepted, title: `${category}: ${v.accepted} accepted` });
    if (v.automatic) bars.push({ x: LABEL_W + wa, y, width: wb, height: ROW - 6, set: 'automatic', value: v.automatic, title: `${category}: ${v.automatic} open automatic` });
    labels.push({ x: LABEL_W + wa + wb + 4, y: y + 13, text: String(v.accepted + v.automatic), anchor: 'start' });
  });
  return {
    width: LABEL_W + BAR_MAX + 40,
    height: Math.max(30, 16 + rows.length * ROW),
    bars,
    labels,
    description: rows.map(([c, v]) => `${c}: ${v.accepted} accepted, ${v.automatic} open automatic`).join('; ') || 'no errors',
  };
}

const COL = 16;
const PLOT_H = 140;

/** Vertical bars: one column per paragraph (document order), the two sets stacked. */
export function paragraphChart(card: Scorecard): Chart {
  const rows = card.byParagraph;
  const max = Math.max(1, ...rows.map((r) => r.accepted + r.automatic));
  const bars: Bar[] = [];
  const labels: Chart['labels'] = [];
  const left = 30;
  rows.forEach((r, k) => {
    const x = left + k * COL;
    const ha = (r.accepted / max) * PLOT_H;
    const hb = (r.automatic / max) * PLOT_H;
    const base = 10 + PLOT_H;
    if (r.accepted) bars.push({ x, y: base - ha, width: COL - 3, height: ha, set: 'accepted', value: r.accepted, title: `¶${r.paragraph}: ${r.accepted} accepted` });
    if (r.automatic) bars.push({ x, y: base - ha - hb, width: COL - 3, height: hb, set: 'automatic', value: r.automatic, title: `¶${r.paragraph}: ${r.automatic} open automatic` });
    labels.push({ x: x + (COL - 3) / 2, y: base + 12, text: r.paragraph.length > 3 ? r.paragraph.slice(0, 2) : r.paragraph, anchor: 'middle' });
  });
  labels.push({ x: left - 4, y: 14, text: String(max), anchor: 'end' }, { x: left - 4, y: 10 + PLOT_H, text: '0', anchor: 'end' });
  return {
    width: left + Math.max(1, rows.length) * COL + 10,
    height: PLOT_H + 30,
    bars,
    labels,
    description: rows.map((r) => `paragraph ${r.paragraph}: ${r.accepted} accepted, ${r.automatic} open automatic`).join('; ') || 'no errors',
  };
}

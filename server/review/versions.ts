/**
 * Further target versions follow the rows they were aligned to. A version is stored as imported —
 * its text per row id at that time — together with where each of those rows began (its first source
 * sentence, or its first target sentence for a row without source): the anchors. The text shown for
 * the current rows is then a projection: each imported text goes to the row that now holds its anchor,
 * so after a merge the merged row shows both texts, after a split the part keeping the first sentence
 * keeps the text, after a re-align the new rows show the texts of the rows they replaced, and undo
 * brings everything back, without the history having to record versions at all.
 */
import type { Lang, ReviewBead } from '../domain.js';
import { joinSentences } from '../text/lang.js';

/** Where an imported row began: [row id, side, first sentence index of that side]. */
export type VersionAnchor = [beadId: string, side: 'source' | 'target', index: number];

/** The anchors of a version's rows, in row order (rows the version has no text for are left out). */
export function versionAnchors(beads: readonly ReviewBead[], textByBead: Readonly<Record<string, string>>): VersionAnchor[] {
  const out: VersionAnchor[] = [];
  for (const b of beads) {
    if (!Object.hasOwn(textByBead, b.id)) continue;
    if (b.source.length) out.push([b.id, 'source', b.source[0]!]);
    else if (b.target.length) out.push([b.id, 'target', b.target[0]!]);
  }
  return out;
}

/**
 * The version's text per current row: the imported texts whose anchor the row holds, joined in their
 * original order (as sentences of the language join: text/lang.ts). Rows holding no anchor get no entry; right
 * after the import every row holds its own anchor, so the result equals the imported textByBead.
 */
export function projectVersion(
  textByBead: Readonly<Record<string, string>>,
  anchors: readonly VersionAnchor[],
  beads: readonly ReviewBead[],
  lang: Lang,
): Record<string, string> {
  const rowOf = { source: new Map<number, string>(), target: new Map<number, string>() };
  for (const b of beads) {
    for (const s of b.source) rowOf.source.set(s, b.id);
    for (const t of b.target) rowOf.target.set(t, b.id);
  }
  const parts = new Map<string, string[]>();
  for (const [key, side, index] of anchors) {
    const row = rowOf[side].get(index);
    const text = textByBead[key];
    if (row === undefined || text === undefined) continue;
    const p = parts.get(row);
    if (p) p.push(text);
    else parts.set(row, [text]);
  }
  const out: Record<string, string> = {};
  for (const b of beads) {
    const p = parts.get(b.id);
    if (p) out[b.id] = joinSentences(p.filter((t) => t !== ''), lang);
  }
  return out;
}

/**
 * The anchors after a segmentation change of one side: sentences [at, at + removed) became
 * [at, at + added); anchors below move with their sentences, anchors inside stay on the part that
 * holds their place.
 */
export function shiftAnchors(anchors: readonly VersionAnchor[], side: 'source' | 'target', at: number, removed: number, added: number): VersionAnchor[] {
  let changed = false;
  const out = anchors.map((a): VersionAnchor => {
    const [id, s, index] = a;
    if (s !== side || index < at) return a;
    const moved = index >= at + removed ? index + added - removed : at + Math.min(index - at, Math.max(0, added - 1));
    if (moved === index) return a;
    changed = true;
    return [id, s, moved];
  });
  return changed ? out : (anchors as VersionAnchor[]);
}

/**
 * A bead's word alignment as plain JSON, for the `align` command's JSON, the API and the review
 * page's word highlighting. Each word says which of the bead's sentences holds it (0-based, in the
 * bead's order) and where in that sentence's text, so a reader that shows sentences one by one can
 * find it; links name words by their index in these lists.
 */
import type { WordLink } from './link.js';
import type { WordKind, WordToken } from './tokens.js';

export interface WireWord {
  /** The bead's n-th sentence on this side. */
  sentence: number;
  /** UTF-16 offsets into that sentence's text. */
  start: number;
  end: number;
  text: string;
  kind: WordKind;
}

export interface WireWords {
  source: WireWord[];
  target: WireWord[];
  /** [source word, target word, score, how] */
  links: [number, number, number, string][];
  score: number;
}

/** Offsets in a bead's joined text → (sentence, offset in it), given the sentences and the separator that joined them. */
function locate(tokens: readonly WordToken[], sentences: readonly string[], separator: string): WireWord[] {
  const starts: number[] = [];
  let at = 0;
  for (const s of sentences) {
    starts.push(at);
    at += s.length + separator.length;
  }
  const out: WireWord[] = [];
  let k = 0;
  for (const t of tokens) {
    while (k + 1 < starts.length && (starts[k + 1] ?? 0) <= t.start) k++;
    const base = starts[k] ?? 0;
    out.push({ sentence: k, start: t.start - base, end: Math.min(t.end - base, sentences[k]?.length ?? 0), text: t.text, kind: t.kind });
  }
  return out;
}

export function wireWords(
  words: { source: readonly WordToken[]; target: readonly WordToken[]; links: readonly WordLink[]; score: number },
  sentences: { source: readonly string[]; target: readonly string[] },
  separators: { source: string; target: string },
): WireWords {
  return {
    source: locate(words.source, sentences.source, separators.source),
    target: locate(words.target, sentences.target, separators.target),
    links: words.links.map((l) => [l.source, l.target, l.score, l.via]),
    score: words.score,
  };
}

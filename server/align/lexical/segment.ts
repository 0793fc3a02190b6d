/**
 * Chinese word segmentation that gives jieba's answer (jieba-rs 0.10, `cut(text, hmm = true)`)
 * from the cached lexicon instead of jieba's own dictionary, which takes 100–200 ms to load in every
 * process. The steps are jieba's: split the text into runs of CJK / Latin / digits and the rest; in
 * each run, build the DAG of dictionary words, take the most probable route (sum of ln f(w) − ln
 * total, ties to the longer word); consecutive single characters that do not form a dictionary word
 * go to jieba's HMM for unknown words. Only that last step calls @node-rs/jieba, through an instance
 * with an empty dictionary, which costs nothing to create. test/align/segment.test.ts checks the
 * result against jieba itself on real and random text.
 */
import { createRequire } from 'node:module';
import type { Jieba } from '@node-rs/jieba';
import { HASH_START, hashStep, type Lexicon } from './lexicon-file.js';

/** jieba's RE_HAN_DEFAULT: CJK ideographs (with extensions) and the Latin characters it keeps together. */
const RE_HAN =
  /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\u{20000}-\u{2A6DF}\u{2A700}-\u{2B73F}\u{2B740}-\u{2B81F}\u{2B820}-\u{2CEAF}\u{2CEB0}-\u{2EBEF}\u{2F800}-\u{2FA1F}a-zA-Z0-9+#&._%-]+/gu;
/** jieba's RE_SKIP_DEFAULT, `(\r\n|\s)` with Rust's \s (Unicode White_Space). */
const RE_SKIP = /\r\n|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;

let hmmOnly: Jieba | null = null;

/**
 * The native module, loaded on first use with require: an ESM import of this CommonJS module would
 * make Node scan its source for export names (~10 ms, and as much again to compile the scanner).
 */
function newJieba(): Jieba {
  const mod = createRequire(import.meta.url)('@node-rs/jieba') as typeof import('@node-rs/jieba');
  return new mod.Jieba();
}

/** jieba's HMM cut of a run of characters (an empty dictionary makes the whole run unknown). */
function hmmCut(run: string, out: string[]): void {
  hmmOnly ??= newJieba();
  for (const w of hmmOnly.cut(run, true)) out.push(w);
}

const isHighSurrogate = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLowSurrogate = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

function pushChars(s: string, out: string[]): void {
  for (const ch of s) out.push(ch);
}

/** Words of `text`, exactly as jieba's `cut(text, true)` with its default dictionary. */
export function cutWords(lex: Lexicon, text: string): string[] {
  const out: string[] = [];
  let last = 0;
  RE_HAN.lastIndex = 0;
  for (let m = RE_HAN.exec(text); m; m = RE_HAN.exec(text)) {
    if (m.index > last) cutOther(text.slice(last, m.index), out);
    cutBlock(lex, m[0], out);
    last = m.index + m[0].length;
  }
  if (last < text.length) cutOther(text.slice(last), out);
  return out;
}

/** Text between runs: whitespace (or \r\n) kept as one word each, everything else one character each. */
function cutOther(s: string, out: string[]): void {
  let last = 0;
  RE_SKIP.lastIndex = 0;
  for (let m = RE_SKIP.exec(s); m; m = RE_SKIP.exec(s)) {
    if (m.index > last) pushChars(s.slice(last, m.index), out);
    out.push(m[0]);
    last = m.index + m[0].length;
  }
  if (last < s.length) pushChars(s.slice(last), out);
}

/** One run: the DAG, the best route, and the HMM for runs of single characters. */
function cutBlock(lex: Lexicon, block: string, out: string[]): void {
  const n = block.length;
  // route: best log probability from each position to the end, and where its first word ends.
  const prob = new Float64Array(n + 1);
  const next = new Int32Array(n + 1);
  const logTotal = lex.logTotal;
  let following = n; // start of the character after the current one
  for (let i = n - 1; i >= 0; i--) {
    if (i > 0 && isLowSurrogate(block.charCodeAt(i)) && isHighSurrogate(block.charCodeAt(i - 1))) continue; // inside a pair
    let bestP = Number.NEGATIVE_INFINITY;
    let bestEnd = -1;
    let h = HASH_START;
    for (let j = i; j < n; j++) {
      h = hashStep(h, block.charCodeAt(j));
      if (j + 1 < n && isHighSurrogate(block.charCodeAt(j))) continue; // not a character boundary
      const key = lex.find(block, i, j + 1, h);
      if (key < 0) break; // no dictionary word starts with block[i..j]
      const lf = lex.wordLogFreq(key);
      if (Number.isNaN(lf)) continue; // a prefix only
      const p = lf - logTotal + (prob[j + 1] ?? 0);
      // jieba keeps the maximum of (probability, end): on a tie the longer word.
      if (bestEnd < 0 || p > bestP || (p === bestP && j + 1 > bestEnd)) {
        bestP = p;
        bestEnd = j + 1;
      }
    }
    if (bestEnd < 0) {
      bestEnd = following;
      bestP = 0 - logTotal + (prob[following] ?? 0);
    }
    prob[i] = bestP;
    next[i] = bestEnd;
    following = i;
  }
  let x = 0;
  let left = -1;
  while (x < n) {
    const y = next[x] ?? n;
    const single = y - x === 1 || (y - x === 2 && isHighSurrogate(block.charCodeAt(x)));
    if (single) {
      if (left < 0) left = x;
    } else {
      if (left >= 0) {
        flushSingles(lex, block.slice(left, x), out);
        left = -1;
      }
      out.push(block.slice(x, y));
    }
    x = y;
  }
  if (left >= 0) flushSingles(lex, block.slice(left), out);
}

/** A run of single-character words: one character as is; a dictionary word split up; else the HMM. */
function flushSingles(lex: Lexicon, run: string, out: string[]): void {
  const chars = run.length === 1 || (run.length === 2 && isHighSurrogate(run.charCodeAt(0)));
  if (chars) out.push(run);
  else if (Number.isNaN(lex.wordLogFreq(lex.find(run)))) hmmCut(run, out);
  else pushChars(run, out);
}

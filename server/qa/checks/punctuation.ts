/**
 * Chinese punctuation: half-width , ; : ? ! ( ) . next to Chinese characters, unpaired 《》“”（）,
 * missing end punctuation, and (document-level) inconsistent spacing between CJK and Latin/digits.
 */
import type { Finding, Span } from '../../domain.js';
import { isCjkContext, isHan, isSymbolOrLabel, maskUrls } from '../text-util.js';
import type { BaseOptions, Check, QaPair } from '../types.js';

export interface PunctuationOptions extends BaseOptions {
  halfWidth: boolean;
  pairs: boolean;
  endPunctuation: boolean;
  spacing: boolean;
  /** Minimum number of CJK/Latin boundaries in the document before the spacing style is judged. */
  spacingMinBoundaries: number;
}

const FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）', '.': '。' };

function prevNonSpace(s: string, i: number): string | undefined {
  for (let k = i - 1; k >= 0; k--) if (!/\s/.test(s[k] ?? '')) return s[k];
  return undefined;
}
function nextNonSpace(s: string, i: number): string | undefined {
  for (let k = i + 1; k < s.length; k++) if (!/\s/.test(s[k] ?? '')) return s[k];
  return undefined;
}

/**
 * "第 2532(2020)号", "(A/75/123)", "第1(b)段", "(a) 加强": UN document symbols and sub-paragraph
 * labels keep their half-width parentheses (as in UN Chinese documents).
 */
function isSymbolParen(s: string, i: number): boolean {
  const open = s[i] === '(' ? i : s.lastIndexOf('(', i);
  const close = s[i] === ')' ? i : s.indexOf(')', i);
  if (open < 0 || close < 0 || close < open) return false;
  if (isSymbolOrLabel(s.slice(open + 1, close))) return true;
  return /^\s*\d+\s*$/.test(s.slice(open + 1, close)) && /\d/.test(prevNonSpace(s, open) ?? '');
}

export function halfWidthFindings(pair: QaPair, severity: Finding['severity']): Finding[] {
  const s = maskUrls(pair.target);
  const byChar = new Map<string, Span[]>();
  for (let i = 0; i < s.length; i++) {
    const c = s[i] ?? '';
    if (!(c in FULL)) continue;
    const prev = prevNonSpace(s, i);
    const next = nextNonSpace(s, i);
    if (c === '.') {
      // Only a sentence-final period after Chinese; "16. " labels and "1.5" are not.
      if (!(isHan(s[i - 1]) && (next === undefined || isCjkContext(next)))) continue;
    } else {
      if (!isCjkContext(prev) && !isCjkContext(next)) continue;
      if (/\d/.test(s[i - 1] ?? '') && /\d/.test(s[i + 1] ?? '')) continue; // 1,000 · 10:30
      if ((c === '(' || c === ')') && isSymbolParen(s, i)) continue;
    }
    const list = byChar.get(c) ?? [];
    list.push({ start: i, end: i + 1 });
    byChar.set(c, list);
  }
  const out: Finding[] = [];
  for (const [c, spans] of byChar) {
    const first = spans[0];
    if (!first) continue;
    out.push({
      check: 'punctuation',
      category: 'Fluency/Punctuation',
      severity,
      message:
        `Half-width "${c}" next to Chinese text (use "${FULL[c] ?? c}")${spans.length > 1 ? `: ${spans.length} times` : ''}`,
      beadId: pair.id,
      sourceSpan: null,
      targetSpan: first,
      group: HALF_WIDTH_GROUP,
    });
  }
  return out;
}

/** Half-width punctuation is a habit of the whole translation: one finding of the report. */
export const HALF_WIDTH_GROUP = { kind: 'punctuation/half-width', title: 'Half-width punctuation next to Chinese text (use full-width ，；：？！（）)' };
/** Spacing between Chinese and Latin/digits is a matter of house style: only its inconsistency, once. */
export const SPACING_GROUP = { kind: 'punctuation/spacing', title: 'Inconsistent spacing between Chinese and Latin letters or digits' };

const PAIRS: [string, string][] = [['《', '》'], ['“', '”'], ['（', '）'], ['‘', '’'], ['「', '」'], ['『', '』'], ['【', '】']];

/**
 * Unpaired brackets and quotes. A quotation often runs over several sentences (several beads), so
 * pairs are matched across the beads of one paragraph (the whole document when paragraphs are
 * unknown); what is still open at the paragraph's end, or closes what never opened, is reported.
 */
export function unpairedFindings(pairs: readonly QaPair[], severity: Finding['severity']): Finding[] {
  const out: Finding[] = [];
  const report = (p: QaPair, i: number, open: string, close: string) =>
    out.push({
      check: 'punctuation',
      category: 'Fluency/Punctuation',
      severity,
      message: `Unpaired "${p.target[i] ?? ''}" (expected ${open}…${close})`,
      beadId: p.id,
      sourceSpan: null,
      targetSpan: { start: i, end: i + 1 },
    });
  for (const [open, close] of PAIRS) {
    let stack: { p: QaPair; i: number }[] = [];
    let paragraph: string | null | undefined;
    for (const p of pairs) {
      if (paragraph !== undefined && p.paragraph !== null && paragraph !== null && p.paragraph !== paragraph) {
        for (const x of stack) report(x.p, x.i, open, close);
        stack = [];
      }
      if (p.paragraph !== null) paragraph = p.paragraph;
      else if (paragraph === undefined) paragraph = null;
      const s = p.target;
      for (let i = 0; i < s.length; i++) {
        if (s[i] === open) stack.push({ p, i });
        else if (s[i] === close) {
          if (stack.length) stack.pop();
          else report(p, i, open, close);
        }
      }
    }
    for (const x of stack) report(x.p, x.i, open, close);
  }
  const order = new Map(pairs.map((p, k) => [p.id, k]));
  return out.sort((a, b) => (order.get(a.beadId) ?? 0) - (order.get(b.beadId) ?? 0) || (a.targetSpan?.start ?? 0) - (b.targetSpan?.start ?? 0));
}

const EN_END = /[.!?]["'”’)\]]*\s*$/;
const ZH_END = /[。！？!?…；;：:”’」』）)》.]\s*$/;

export function endPunctuationFindings(pair: QaPair, severity: Finding['severity']): Finding[] {
  const zh = pair.target.trimEnd();
  if (!zh || !EN_END.test(pair.source) || ZH_END.test(zh)) return [];
  return [
    {
      check: 'punctuation',
      category: 'Fluency/Punctuation',
      severity,
      message: /[，,、]$/.test(zh) ? 'Target ends with a comma where the source ends a sentence' : 'Missing end punctuation (source ends a sentence)',
      beadId: pair.id,
      sourceSpan: null,
      targetSpan: { start: zh.length - 1, end: zh.length },
    },
  ];
}

/** Boundaries between Han and Latin/digits, with or without a space between. */
export function spacingBoundaries(s: string): { spaced: Span[]; tight: Span[] } {
  const spaced: Span[] = [];
  const tight: Span[] = [];
  for (const m of s.matchAll(/(?<=[\u3400-\u9fff])([ \t]*)(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])([ \t]*)(?=[\u3400-\u9fff])/gu)) {
    const at = m.index ?? 0;
    const gap = m[0];
    if (gap.length > 0) {
      spaced.push({ start: at, end: at + gap.length });
      continue;
    }
    // The span shows the Latin/digit run with its Chinese neighbour: "2020年", "第75".
    if (/[A-Za-z0-9]/.test(s[at - 1] ?? '')) {
      let k = at - 1;
      while (k > 0 && /[A-Za-z0-9]/.test(s[k - 1] ?? '')) k--;
      tight.push({ start: k, end: at + 1 });
    } else {
      let k = at;
      while (k < s.length && /[A-Za-z0-9]/.test(s[k] ?? '')) k++;
      tight.push({ start: at - 1, end: k });
    }
  }
  return { spaced, tight };
}

export function spacingFindings(pairs: readonly QaPair[], severity: Finding['severity'], minBoundaries: number): Finding[] {
  const per = pairs.map((p) => ({ p, b: spacingBoundaries(p.target) }));
  const spaced = per.reduce((n, x) => n + x.b.spaced.length, 0);
  const tight = per.reduce((n, x) => n + x.b.tight.length, 0);
  if (spaced === 0 || tight === 0 || spaced + tight < minBoundaries) return [];
  // Report the minority style; on a tie, the spaced one (Chinese typography needs no spaces).
  const minority: 'spaced' | 'tight' = spaced <= tight ? 'spaced' : 'tight';
  const out: Finding[] = [];
  for (const { p, b } of per) {
    const spans = b[minority];
    const first = spans[0];
    if (!first) continue;
    out.push({
      check: 'punctuation',
      category: 'Style',
      severity,
      message:
        minority === 'tight'
          ? `No space between Chinese and Latin/digits here (${spans.length}×), unlike most of the document (${spaced} spaced, ${tight} unspaced)`
          : `Space between Chinese and Latin/digits here (${spans.length}×), unlike most of the document (${tight} unspaced, ${spaced} spaced)`,
      beadId: p.id,
      sourceSpan: null,
      targetSpan: first,
      group: SPACING_GROUP,
    });
  }
  return out;
}

export const punctuationCheck: Check<PunctuationOptions> = {
  id: 'punctuation',
  category: 'Fluency/Punctuation',
  description: 'Half-width punctuation next to Chinese, unpaired brackets/quotes, missing end punctuation, CJK–Latin spacing consistency.',
  defaults: { enabled: true, severity: 'minor', halfWidth: true, pairs: true, endPunctuation: true, spacing: true, spacingMinBoundaries: 6 },
  languages: { target: ['zh'] },
  run(pairs, _ctx, opts) {
    const out: Finding[] = [];
    for (const p of pairs) {
      if (!p.target.trim()) continue;
      if (opts.halfWidth) out.push(...halfWidthFindings(p, opts.severity));
      if (opts.endPunctuation) out.push(...endPunctuationFindings(p, opts.severity));
    }
    if (opts.pairs) out.push(...unpairedFindings(pairs.filter((p) => p.target.trim()), opts.severity));
    if (opts.spacing) out.push(...spacingFindings(pairs, opts.severity, opts.spacingMinBoundaries));
    return out;
  },
};

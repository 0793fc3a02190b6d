/**
 * Omissions and additions inside a bead, from the word alignment (server/words): a phrase of the
 * English whose content words have no counterpart in the Chinese is reported as not translated
 * (Accuracy/Omission, the span naming the English words), and a phrase of the Chinese with no
 * counterpart in the English as added (Accuracy/Addition).
 *
 * English content words without a partner are grouped into contiguous phrases (function words
 * inside belong to the phrase; a sentence end closes it; `bridge` translated words may stand inside
 * it, since a word of a missing clause sometimes finds a stray partner elsewhere) and weighed: a
 * content word 1, a name or number 1.5, a word translations often leave implicit ("also",
 * "including", 们, 进行) 0.5, an untranslated glossary term +1. Names are translated whole, so a name
 * with one word linked counts as translated; a glossary term counts as rendered as often as the
 * Chinese has one of its renderings.
 *
 * The dictionary misses paraphrases, and a paraphrase leaves words without partners on both sides,
 * where a missing clause leaves them on one side only. So the phrase loses `residueWeight` times the
 * weight of the Chinese words without a partner where its translation would stand (next to the
 * partners of the translated words around it, see `residue`). What weighs at least `minWeight` is
 * reported, as major from `majorWeight` on or when it holds a name or a number. Additions are judged
 * the same way against all the English left without a partner in the bead (Chinese moves clauses
 * about). Sentences with no counterpart at all (1-0, 0-1 rows) are the alignment check's.
 *
 * Chosen on the demo corpus with clauses left out (npm run bench:omissions; README of server/qa).
 */
import type { Finding, Severity, Span } from '../../domain.js';
import type { BeadWords, WordLink, WordToken } from '../../words/index.js';
import type { GlossaryEntry } from '../glossary.js';
import { escapeRegExp, excerpt, indicesOf } from '../text-util.js';
import type { BaseOptions, Check, CheckContext, QaPair } from '../types.js';

export interface OmissionOptions extends BaseOptions {
  /** Least weight of an untranslated English phrase that is reported. */
  minWeight: number;
  /** From this weight on (or with a name or number in it) an omission is major. */
  majorWeight: number;
  /** Report Chinese phrases with no English counterpart. */
  reportAdditions: boolean;
  /** Least weight of an added Chinese phrase that is reported (additions are rarer and paraphrase more). */
  additionMinWeight: number;
  /** How much the words without a partner where the translation would be count against a phrase (see residue). */
  residueWeight: number;
  /** Translated content words a phrase may span (a word that found a stray partner does not cut an omission in two). */
  bridge: number;
}

/** English words a faithful translation often leaves implicit: half weight. */
const LIGHT_EN = new Set(
  (
    'also well further furthermore inter alia particular particularly respective respectively various certain ' +
    'relevant related regard way manner order view part note among amongst towards toward within without across ' +
    'along per via yet still even already must make making made take taking taken given thereby ' +
    'hereby therein thereof whereby accordingly including include includes'
  ).split(' '),
);

/** Chinese words machine translation adds for grammar or emphasis: half weight. */
const LIGHT_ZH = new Set(
  (
    '们 进行 开展 采取 方面 工作 有关 相关 问题 情况 具有 重要 表示 发表 实现 作为 关于 通过 为 将 应 应该 可 可以 必须 ' +
    '需要 所有 各 各自 其他 以及 等 中 上 下 内 间 到 说 一个 一项 这一 该 此种 其中 方式 方与 有 不 非 更 最 多 大 新'
  ).split(' '),
);

interface Weighed {
  token: WordToken;
  index: number;
  weight: number;
  /** The first word after a bridged gap (see `phrases`). */
  bridged?: boolean;
}

/**
 * Glossary terms of the English found in the bead, each with its span and whether the Chinese renders
 * it: as many occurrences count as rendered as the Chinese has renderings (accepted or forbidden: a
 * wrong rendering is the terminology check's, not an omission), those with a translated word first.
 */
function glossaryOccurrences(source: string, target: string, entries: readonly GlossaryEntry[], isLinked: (span: Span) => boolean): { span: Span; rendered: boolean }[] {
  const out: { span: Span; rendered: boolean }[] = [];
  const zh = target.replace(/\s+/g, '');
  for (const e of entries) {
    const spans: Span[] = [];
    for (const term of e.english) {
      const acronym = /^[A-Z0-9]{2,}$/.test(term);
      const re = new RegExp(`(?<![A-Za-z0-9-])${escapeRegExp(term)}(?![A-Za-z0-9-])`, acronym ? 'g' : 'gi');
      for (const m of source.matchAll(re)) spans.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length });
    }
    if (spans.length === 0) continue;
    let renderings = 0;
    for (const x of [...e.accepted, ...e.forbidden]) renderings += indicesOf(zh, x.replace(/\s+/g, '')).length;
    spans.sort((x, y) => Number(isLinked(y)) - Number(isLinked(x)) || x.start - y.start);
    spans.forEach((span, k) => {
      out.push({ span, rendered: k < renderings });
    });
  }
  return out;
}

/**
 * Names are translated whole: in a run of capitalised words ("Food and Agriculture Organization of the
 * United Nations", "Board of Governors"), one word with a partner vouches for the others.
 */
function namesWithPartner(text: string, tokens: readonly WordToken[], linked: ReadonlySet<number>): Set<number> {
  const out = new Set<number>();
  let run: number[] = [];
  const close = () => {
    if (run.some((i) => linked.has(i))) for (const i of run) out.add(i);
    run = [];
  };
  tokens.forEach((t, i) => {
    const capital = /^[A-Z]/.test(t.text) && t.kind !== 'number';
    const joiner = t.kind === 'function' && /^(?:of|the|and|for|on|in|to|de)$/.test(t.text) && run.length > 0;
    const prev = tokens[run.at(-1) ?? -1];
    const broken = prev !== undefined && /[,;:.()/]/.test(text.slice(prev.end, t.start));
    if (broken) close();
    if (capital) run.push(i);
    else if (!joiner) close();
  });
  close();
  return out;
}

/** Contiguous phrases of weighed words: a sentence end or a word that is not in the list closes a phrase. */
function phrases(text: string, tokens: readonly WordToken[], weighed: readonly Weighed[], bridge = 0): Weighed[][] {
  const out: Weighed[][] = [];
  let cur: Weighed[] = [];
  const inList = new Map(weighed.map((w) => [w.index, w]));
  tokens.forEach((t, i) => {
    const w = inList.get(i);
    const prev = cur.at(-1);
    if (prev && /[.!?。！？;；]/.test(text.slice(prev.token.end, t.start))) {
      out.push(cur);
      cur = [];
    }
    if (w) cur.push(w);
    else if (t.kind !== 'function' && cur.length) {
      out.push(cur);
      cur = [];
    }
  });
  if (cur.length) out.push(cur);
  if (bridge <= 0) return out;
  // Join phrases that only a few translated words part (no sentence end between them).
  const joined: Weighed[][] = [];
  for (const ws of out) {
    const prev = joined.at(-1);
    if (prev) {
      const a = prev.at(-1)!.index;
      const b = ws[0]!.index;
      const between = tokens.slice(a + 1, b).filter((t) => t.kind !== 'function').length;
      if (between > 0 && between <= bridge && !/[.!?。！？;；]/.test(text.slice(tokens[a]!.end, tokens[b]!.start))) {
        prev.push({ ...ws[0]!, bridged: true }, ...ws.slice(1));
        continue;
      }
    }
    joined.push([...ws]);
  }
  return joined;
}

function weightOf(t: WordToken, light: ReadonlySet<string>): number {
  if (light.has(t.text.toLowerCase())) return 0.5;
  if (t.kind === 'name' || t.kind === 'number') return 1.5;
  return 1;
}

const sum = (ws: readonly Weighed[]) => ws.reduce((n, w) => n + w.weight, 0);

/**
 * What the other side holds where the phrase's translation would be: the words without a partner
 * right after the partner of the nearest linked word before the phrase, and right before the partner
 * of the nearest linked word after it (the whole bead when the phrase has no linked neighbour). A
 * phrase missing from the translation leaves nothing there; a paraphrase the dictionary missed
 * leaves words without partners, and the phrase is not reported for what they may say.
 */
function residue(ws: readonly Weighed[], links: readonly WordLink[], side: 'source' | 'target', others: readonly WordToken[], light: ReadonlySet<string>): number {
  const other = side === 'source' ? 'target' : 'source';
  const partners = new Map<number, number[]>();
  for (const l of links) partners.set(l[side], [...(partners.get(l[side]) ?? []), l[other]]);
  const linkedOther = new Set(links.map((l) => l[other]));
  const linked = [...partners.keys()].sort((a, b) => a - b);
  const gap = new Set<number>();
  const walk = (from: number, step: 1 | -1) => {
    for (let k = from + step; k >= 0 && k < others.length && !linkedOther.has(k); k += step) gap.add(k);
  };
  // Each stretch of the phrase between translated words has its own anchors (a bridged phrase has several).
  for (const part of stretches(ws)) {
    const first = part[0]!.index;
    const last = part.at(-1)!.index;
    const before = linked.filter((i) => i < first).at(-1);
    const after = linked.find((i) => i > last);
    if (before !== undefined) walk(Math.max(...(partners.get(before) ?? [])), 1);
    if (after !== undefined) walk(Math.min(...(partners.get(after) ?? [])), -1);
    if (before === undefined && after === undefined) for (let k = 0; k < others.length; k++) gap.add(k);
  }
  let w = 0;
  for (const k of gap) {
    const t = others[k]!;
    if (t.kind !== 'function' && !linkedOther.has(k)) w += weightOf(t, light);
  }
  return w;
}

/** A phrase cut where a translated word was bridged (consecutive indices of untranslated or function words). */
function stretches(ws: readonly Weighed[]): Weighed[][] {
  const out: Weighed[][] = [];
  for (const w of ws) {
    const cur = out.at(-1);
    if (cur && w.bridged !== true) cur.push(w);
    else out.push([w]);
  }
  return out;
}

/** The omission and addition findings of one bead, given its words. */
export function omissionFindings(pair: QaPair, words: BeadWords, glossary: readonly GlossaryEntry[], opts: OmissionOptions): Finding[] {
  if (!pair.source.trim() || !pair.target.trim()) return [];
  const linkedS = new Set(words.links.map((l) => l.source));
  const linkedT = new Set(words.links.map((l) => l.target));
  const out: Finding[] = [];
  const severityOf = (ws: readonly Weighed[]): Severity =>
    sum(ws) >= opts.majorWeight || ws.some((w) => w.token.kind === 'name' || w.token.kind === 'number') ? 'major' : opts.severity;

  // English content with no partner.
  const linkedSpan = (sp: Span) => words.source.some((t, i) => linkedS.has(i) && t.start < sp.end && sp.start < t.end);
  const terms = glossaryOccurrences(pair.source, pair.target, glossary, linkedSpan);
  const named = namesWithPartner(pair.source, words.source, linkedS);
  const missing: Weighed[] = [];
  words.source.forEach((t, index) => {
    if (t.kind === 'function' || linkedS.has(index) || named.has(index)) return;
    if (terms.some((g) => g.rendered && g.span.start <= t.start && t.end <= g.span.end)) return;
    missing.push({ token: t, index, weight: weightOf(t, LIGHT_EN) });
  });
  for (const ws of phrases(pair.source, words.source, missing, opts.bridge)) {
    const contentful = ws.filter((w) => w.token.kind !== 'number');
    if (contentful.length === 0) continue; // a number alone is the numbers check's
    const span = { start: ws[0]!.token.start, end: ws.at(-1)!.token.end };
    const bonus = terms.some((g) => !g.rendered && g.span.start < span.end && span.start < g.span.end) ? 1 : 0;
    const weight = sum(ws) + bonus - opts.residueWeight * residue(ws, words.links, 'source', words.target, LIGHT_ZH);
    if (weight < opts.minWeight) continue;
    out.push({
      check: 'omission',
      category: 'Accuracy/Omission',
      severity: severityOf(ws),
      message: `Not translated: "${excerpt(pair.source.slice(span.start, span.end), 160)}"`,
      beadId: pair.id,
      sourceSpan: span,
      targetSpan: null,
    });
  }

  if (opts.reportAdditions) {
    const untranslated = words.source.reduce((n, t, i) => n + (t.kind === 'function' || linkedS.has(i) ? 0 : weightOf(t, LIGHT_EN)), 0);
    const added: Weighed[] = [];
    // A word said again (保持就业和收入，特别是……的就业和收入) restates, it adds nothing.
    const said = new Set(words.target.filter((_, i) => linkedT.has(i)).map((t) => t.text));
    words.target.forEach((t, index) => {
      if (t.kind === 'function' || linkedT.has(index) || said.has(t.text)) return;
      added.push({ token: t, index, weight: weightOf(t, LIGHT_ZH) });
    });
    for (const ws of phrases(pair.target, words.target, added)) {
      if (ws.every((w) => w.token.kind === 'number')) continue;
      // Additions are judged against everything the English has left without a partner, wherever it
      // stands: Chinese moves clauses about, and an addition is rarer than a paraphrase.
      const weight = sum(ws) - untranslated;
      if (weight < opts.additionMinWeight) continue;
      const span = { start: ws[0]!.token.start, end: ws.at(-1)!.token.end };
      out.push({
        check: 'omission',
        category: 'Accuracy/Addition',
        severity: severityOf(ws),
        message: `Added: "${excerpt(pair.target.slice(span.start, span.end), 60)}" has no counterpart in the source`,
        beadId: pair.id,
        sourceSpan: null,
        targetSpan: span,
      });
    }
  }
  return out;
}

export const omissionCheck: Check<OmissionOptions> = {
  id: 'omission',
  category: 'Accuracy/Omission',
  description: 'English phrases with no counterpart in the Chinese (omissions) and Chinese phrases with none in the English (additions), from the word alignment.',
  defaults: { enabled: true, severity: 'minor', minWeight: 3.5, majorWeight: 5, reportAdditions: true, additionMinWeight: 4, residueWeight: 0.5, bridge: 1 },
  languages: { source: ['en'], target: ['zh'] },
  run(pairs, ctx: CheckContext, opts) {
    const active = pairs.filter((p) => p.source.trim() && p.target.trim());
    if (active.length === 0) return [];
    const words = ctx.words();
    return active.flatMap((p) => {
      const w = words.of(p.id);
      return w ? omissionFindings(p, w, ctx.glossary.entries, opts) : [];
    });
  },
};

/**
 * Repetition in the Chinese: the same item twice in an enumeration (公平、公正、包容、公正) and doubled
 * words (的的, 合作合作). Chinese has legitimate reduplication (常常, 仅仅, 研究研究 is colloquial), so
 * single characters are only reported for function characters that never reduplicate.
 */
import type { Finding, Severity } from '../../domain.js';
import type { BaseOptions, Check, QaPair } from '../types.js';

export interface RepetitionOptions extends BaseOptions {
  enumerations: boolean;
  doubledWords: boolean;
  /** Severity of a repeated enumeration item (usually a mistranslated list item, so higher). */
  enumerationSeverity: Severity;
  /** Single characters that are an error when doubled. */
  doubledChars: string;
  /** Longest multi-character unit looked for in XYXY doubling. */
  maxUnit: number;
}

/** Characters before a function character that make a word with it (现在, 为了, 可以 …). */
const WORD_FINAL: Record<string, string> = {
  在: '现正存实所内外潜自好',
  了: '为除罢算极不完',
  的: '目别真有',
  是: '但就可于还总正只要凡倒硬若或即不',
  和: '总温缓平饱柔调',
  与: '给参赋授',
  对: '针面相绝反核应',
  于: '由对关至终属等处位在基鉴过善',
  以: '可所得难加予足用借据',
  为: '作成因认行称以视',
  有: '所具拥没享持含占富保固特原现只唯还已既独仅均都尚',
  而: '从进继因',
  此: '因如彼',
  就: '成迁',
  将: '即',
  及: '以涉波危',
  其: '尤极',
  之: '总',
  并: '合',
};

/**
 * Characters after a doubled function character that make a word with the second one: 稳定和和平
 * ("stability and peace"), 对对话 ("to dialogue"), 主席与与会者, 问题是是否, 持有有效护照.
 */
const WORD_INITIAL: Record<string, string> = {
  和: '平谐解睦',
  对: '话外抗等象策称',
  与: '会',
  是: '否非',
  有: '关效利力益些',
  的: '确',
  以: '及便免',
  将: '来领军',
  为: '了止期',
  在: '于',
  其: '他中实次余',
  之: '间后前中外',
  从: '事而',
  而: '言且已',
  于: '是',
  并: '且',
  我: '们国',
  他: '们',
};

/** Clause boundaries: an enumeration does not cross them. */
const CLAUSE = /[，。；：！？,;:!?\n（）()《》“”]/u;
/** Conjunctions that join the last item of a list. */
const LAST_JOIN = /^(?:和|与|及|以及|或|或者|、|，|。|$)/u;

export function enumerationFindings(pair: QaPair, severity: Finding['severity']): Finding[] {
  const s = pair.target;
  const out: Finding[] = [];
  let clauseStart = 0;
  for (let i = 0; i <= s.length; i++) {
    if (i < s.length && !CLAUSE.test(s[i] ?? '')) continue;
    const clause = s.slice(clauseStart, i);
    if (clause.includes('、')) out.push(...clauseDuplicates(pair.id, clause, clauseStart, severity));
    clauseStart = i + 1;
  }
  return out;
}

function clauseDuplicates(beadId: string, clause: string, offset: number, severity: Finding['severity']): Finding[] {
  const segs: { text: string; start: number }[] = [];
  let start = 0;
  for (const part of clause.split('、')) {
    segs.push({ text: part, start });
    start += part.length + 1;
  }
  const middle = segs.slice(1, -1).map((x) => ({ ...x, text: x.text.trim() })).filter((x) => x.text.length > 0);
  const out: Finding[] = [];
  const report = (item: string, at: number, first: string) =>
    out.push({
      check: 'repetition',
      category: 'Fluency/Grammar',
      severity,
      message: `"${item}" appears twice in the enumeration "${first}"`,
      beadId,
      sourceSpan: null,
      targetSpan: { start: offset + at, end: offset + at + item.length },
    });
  const list = clause.trim();
  const seen = new Set<string>();
  for (const m of middle) {
    if (seen.has(m.text)) report(m.text, m.start + clause.slice(m.start).indexOf(m.text), list);
    seen.add(m.text);
  }
  const firstSeg = segs[0];
  const lastSeg = segs.length > 1 ? segs[segs.length - 1] : undefined;
  if (firstSeg) {
    // The first item is the tail of the first segment: 更加公平 → 公平.
    for (const m of middle) {
      if (firstSeg.text.endsWith(m.text) && m.text.length >= 1) {
        report(m.text, m.start, list);
        break;
      }
    }
  }
  if (lastSeg) {
    const head = lastSeg.text.trimStart();
    const lead = lastSeg.text.length - head.length;
    const firstItems = firstSeg ? middle.map((m) => m.text).filter((t) => firstSeg.text.endsWith(t)) : [];
    // Candidates for the last item: the middle items, and the first item cut to a middle item's length.
    const candidates = middle.map((m) => m.text);
    if (firstSeg) {
      for (const len of new Set(candidates.map((t) => t.length))) {
        const tail = firstSeg.text.slice(-len);
        if (tail.length === len && /^[\u4e00-\u9fff]+$/u.test(tail)) candidates.push(tail);
      }
    }
    for (const t of candidates) {
      if (head.startsWith(t) && LAST_JOIN.test(head.slice(t.length)) && !firstItems.includes(t)) {
        report(t, lastSeg.start + lead, list);
        break;
      }
    }
  }
  return out;
}

export function doubledWordFindings(pair: QaPair, opts: RepetitionOptions): Finding[] {
  const s = pair.target;
  const out: Finding[] = [];
  const chars = new Set([...opts.doubledChars]);
  const report = (unit: string, at: number) =>
    out.push({
      check: 'repetition',
      category: 'Fluency/Grammar',
      severity: opts.severity,
      message: `Doubled "${unit}"`,
      beadId: pair.id,
      sourceSpan: null,
      targetSpan: { start: at, end: at + unit.length * 2 },
    });
  for (let i = 0; i + 1 < s.length; i++) {
    const c = s[i] ?? '';
    // 现在在, 为了了解, 可以以此: the first character ends a word, the second starts the next.
    if (chars.has(c) && s[i + 1] === c && !(WORD_FINAL[c] ?? '').includes(s[i - 1] ?? '\0') && !(WORD_INITIAL[c] ?? '').includes(s[i + 2] ?? '\0')) {
      report(c, i);
      i++;
    }
  }
  for (let n = 2; n <= opts.maxUnit; n++) {
    const re = new RegExp(`([\\u4e00-\\u9fff]{${n}})\\1`, 'gu');
    for (const m of s.matchAll(re)) {
      const unit = m[1] ?? '';
      // AABB-style reduplication of two characters (高高兴兴) is not XYXY; 一个一个 and 一步一步 are idioms.
      if (unit[0] === unit[1] || unit.startsWith('一')) continue;
      report(unit, m.index ?? 0);
    }
  }
  // Latin words doubled inside the Chinese ("and and").
  for (const m of s.matchAll(/\b([A-Za-z]+)\s+\1\b/g)) report(m[1] ?? '', m.index ?? 0);
  return out;
}

export const repetitionCheck: Check<RepetitionOptions> = {
  id: 'repetition',
  category: 'Fluency/Grammar',
  description: 'The same item twice in an enumeration (、), doubled function characters and XYXY doubled words.',
  languages: { target: ['zh'] },
  defaults: {
    enabled: true,
    severity: 'minor',
    enumerations: true,
    enumerationSeverity: 'major',
    doubledWords: true,
    doubledChars: '的了是在和与及或对将把被从向于而并也其之该此我你他她它们有就为以',
    maxUnit: 4,
  },
  run(pairs, _ctx, opts) {
    const out: Finding[] = [];
    for (const p of pairs) {
      if (opts.enumerations) out.push(...enumerationFindings(p, opts.enumerationSeverity));
      if (opts.doubledWords) out.push(...doubledWordFindings(p, opts));
    }
    return out;
  },
};

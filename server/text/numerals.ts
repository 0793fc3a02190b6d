/**
 * Chinese numerals and Arabic digits with 万/亿 scaling, as one value: paragraph labels (十二、),
 * alignment literals (100 亿 = 10 billion) and the QA number check all read numbers this way.
 */

const ZH_DIGIT: Record<string, number> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};
const ZH_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const ZH_BIG: Record<string, number> = { 万: 1e4, 亿: 1e8 };

/** A run of Chinese numerals or Arabic digits with 万/亿 scaling: "三十五" → 35, "100亿" → 1e10, "1.5万" → 15000. */
export function parseChineseNumber(s: string): number | null {
  const t = s.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/,/g, '');
  if (!t) return null;
  let total = 0; // completed 亿/万 groups
  let section = 0; // value below the current 万 group
  let digit: number | null = null; // pending digit (or Arabic number)
  let i = 0;
  let any = false;
  while (i < t.length) {
    const c = t[i] ?? '';
    const arabic = /^\d+(?:\.\d+)?/.exec(t.slice(i));
    if (arabic) {
      digit = Number(arabic[0]);
      i += arabic[0].length;
      any = true;
      continue;
    }
    if (c in ZH_DIGIT) {
      const d = ZH_DIGIT[c] ?? 0;
      // Digit-by-digit numbers ("二〇二〇") have no units: shift the pending digits left.
      digit = digit !== null && !hasUnitAfter(t, i) && isDigitString(t) ? digit * 10 + d : d;
      i++;
      any = true;
      continue;
    }
    if (c in ZH_UNIT) {
      section += (digit ?? 1) * (ZH_UNIT[c] ?? 1);
      digit = null;
      i++;
      any = true;
      continue;
    }
    if (c in ZH_BIG) {
      const big = ZH_BIG[c] ?? 1;
      const groupValue = (section + (digit ?? 0)) || (any ? 0 : 1);
      if (big === 1e8) total = (total + groupValue) * big;
      else total += groupValue * big;
      section = 0;
      digit = null;
      i++;
      any = true;
      continue;
    }
    return null;
  }
  if (!any) return null;
  const value = total + section + (digit ?? 0);
  return Math.round(value * 1e6) / 1e6;
}

function isDigitString(t: string): boolean {
  return /^[零〇一二三四五六七八九]+$/.test(t);
}
function hasUnitAfter(t: string, i: number): boolean {
  return /[十百千万亿]/.test(t.slice(i));
}

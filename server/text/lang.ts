import type { Lang } from '../domain.js';
import { isHanCodePoint } from './chars.js';

/** Characters looked at: enough to decide, and keeps detection O(1) on huge inputs. */
const SAMPLE_CHARS = 200_000;

/**
 * The language of a text by its script: 'zh' when Han characters carry the text, 'ja' when kana are
 * frequent among them, 'ko' for hangul, 'en' for Latin-script text, 'und' when there are no letters.
 * One CJK character carries about as much as three Latin letters (zh/en length ratio ≈ 1:3), so CJK
 * counts are weighted ×3 before comparing.
 */
export function detectLang(text: string): Lang {
  let han = 0;
  let kana = 0;
  let hangul = 0;
  let latin = 0;
  const n = Math.min(text.length, SAMPLE_CHARS);
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7)) latin++;
    else if (c >= 0x3040 && c <= 0x30ff) kana++;
    else if (c >= 0xac00 && c <= 0xd7af) hangul++;
    else if (isHanCodePoint(c) || (c >= 0xd840 && c <= 0xd87f)) han++; // high surrogates of ext. B+ count once
  }
  const cjk = han + kana + hangul;
  if (cjk === 0 && latin === 0) return 'und';
  if (cjk * 3 >= latin) {
    if (hangul > han + kana) return 'ko';
    if (kana > 0 && kana * 5 >= han) return 'ja';
    return 'zh';
  }
  return 'en';
}

/**
 * Errors injected into the demo corpus's Chinese are each found where they were put, and nothing
 * else changes: a recall check on realistic text to go with the false-positive review.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../server/domain.js';
import { alignTexts } from '../../server/align/index.js';
import { pairsFromAlignment, qaConfigFromJson, runChecksOnPairs, DEFAULT_GLOSSARY_PATH, type QaPair } from '../../server/qa/index.js';

const DIR = new URL('../../corpus/brics-fm-2020-09-04/', import.meta.url);
const zh = readFileSync(new URL('zh.txt', DIR), 'utf8');
const en = readFileSync(new URL('en.txt', DIR), 'utf8');
// No omission check: it needs the dictionary and has its own tests.
const config = qaConfigFromJson({ glossary: DEFAULT_GLOSSARY_PATH, checks: { omission: { enabled: false } } }, '.');

async function qa(text: string): Promise<{ pairs: QaPair[]; findings: Finding[] }> {
  const pairs = pairsFromAlignment(await alignTexts(en, text, { aLang: 'en', bLang: 'zh', model: 'length' }), 'a');
  return { pairs, findings: runChecksOnPairs(pairs, config) };
}

// The spacing message quotes the document's counts, which an injected Latin word changes.
const sig = (r: { pairs: QaPair[] }, f: Finding) =>
  `${r.pairs.find((p) => p.id === f.beadId)?.paragraph}|${f.check}|${f.message.replace(/\(\d+ spaced, \d+ unspaced\)|\(\d+ unspaced, \d+ spaced\)/, '')}`;

const INJECTED: { from: string; to: string; paragraph: string; check: string }[] = [
  { from: '设立 100 亿美元', to: '设立 10 亿美元', paragraph: '12', check: 'numbers' },
  { from: '2020 年 7 月 30 日', to: '2020 年 7 月 31 日', paragraph: '10', check: 'numbers' },
  { from: '第六届金砖国家', to: '第七届金砖国家', paragraph: '10', check: 'numbers' },
  { from: '三大支柱', to: '四大支柱', paragraph: '30', check: 'numbers' },
  { from: '恢复宪法秩序', to: '恢复宪法的的秩序', paragraph: '20', check: 'repetition' },
  { from: '特别是《联合国宪章》', to: '特别是《联合国宪章', paragraph: '17', check: 'punctuation' },
  { from: '外长们满意地表示', to: '外长们 the 满意地表示', paragraph: '30', check: 'untranslated' },
  { from: '涉及联合国安理会的职能', to: '涉及联合国安全委员会的职能', paragraph: '15', check: 'terminology' },
];

describe('errors injected into the demo corpus', () => {
  it('are each found in their paragraph by the right check, with no other change to the report', async () => {
    const before = await qa(zh);
    let text = zh;
    for (const e of INJECTED) {
      expect(text.includes(e.from), e.from).toBe(true);
      text = text.replace(e.from, e.to);
    }
    const after = await qa(text);
    const old = new Set(before.findings.map((f) => sig(before, f)));
    const added = after.findings.filter((f) => !old.has(sig(after, f)));
    for (const e of INJECTED) {
      expect(
        added.some((f) => f.check === e.check && after.pairs.find((p) => p.id === f.beadId)?.paragraph === e.paragraph),
        `${e.check} in ¶${e.paragraph} (${e.to})`,
      ).toBe(true);
    }
    // Each of the three changed numbers gives a missing source number and an extra target number;
    // the changed date (7 月 30 日 → 31 日) is one finding naming both dates (dates compared as dates).
    expect(added).toHaveLength(INJECTED.length + INJECTED.filter((e) => e.check === 'numbers' && !e.to.includes('日')).length);
    expect(added.filter((f) => f.message.startsWith('Date "30 July 2020"'))).toHaveLength(1);
    expect(after.findings.length - before.findings.length).toBe(added.length);
  }, 30_000);
});

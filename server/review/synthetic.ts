/**
 * A generated document under review (deterministic, no aligner needed): for tests and benchmarks.
 * Row i holds English sentence i and Chinese sentence i, except every 7th row, which is 1-2, so the
 * operations have something to split.
 */
import type { Paragraph, ReviewBead, ReviewDocument, Sentence, TargetSentence } from '../domain.js';

/** One side of a document made of these sentences, joined by `sep`, in one paragraph. */
export function sideOfSentences(texts: readonly string[], sep: string): { text: string; sentences: Sentence[]; paragraphs: Paragraph[] } {
  const sentences: Sentence[] = [];
  let pos = 0;
  texts.forEach((text, index) => {
    sentences.push({ index, paragraph: 0, text, start: pos, end: pos + text.length });
    pos += text.length + sep.length;
  });
  const text = texts.join(sep);
  return { text, sentences, paragraphs: [{ index: 0, kind: 'plain', number: null, text, spans: [{ start: 0, end: text.length }] }] };
}

export function syntheticDocument(rows: number, opts: { name?: string; seed?: number } = {}): ReviewDocument {
  const en: string[] = [];
  const zh: string[] = [];
  const beads: ReviewBead[] = [];
  let seed = opts.seed ?? 1;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < rows; i++) {
    const s = en.length;
    const t = zh.length;
    en.push(`Sentence ${i + 1} says that the parties agree on point ${i + 1} & "quotes" <b>.`);
    zh.push(`第${i + 1}句说明各方就第${i + 1}点达成一致。`);
    const target = [t];
    if (i % 7 === 3) {
      zh.push(`这是第${i + 1}行的补充。`);
      target.push(t + 1);
    }
    beads.push({ id: `b${i + 1}`, source: [s], target, confidence: Math.round(rnd() * 100) / 100, status: 'automatic', origin: 'synthetic' });
  }
  const source = sideOfSentences(en, ' ');
  const target = sideOfSentences(zh, '');
  const at = '2026-01-01T00:00:00.000Z';
  return {
    id: '',
    name: opts.name ?? `synthetic-${rows}`,
    source: { lang: 'en', ...source },
    target: { lang: 'zh', text: target.text, paragraphs: target.paragraphs, sentences: target.sentences.map((x): TargetSentence => ({ ...x, original: x.text })) },
    paragraphPairs: [{ a: [0], b: [0], method: 'whole' }],
    beads,
    issues: [],
    versions: [],
    model: 'synthetic',
    revision: 0,
    createdAt: at,
    updatedAt: at,
  };
}

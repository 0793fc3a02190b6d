/** Synthetic review documents for the page tests (no aligner needed). */
import type { Paragraph, ReviewDocument, Sentence, TargetSentence } from '../../server/domain.js';

export type NewDoc = Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'>;

/** Sentences → a side: text joined by newlines, one paragraph per `perPara` sentences. */
function side(texts: string[], perPara: number): { text: string; paragraphs: Paragraph[]; sentences: Sentence[] } {
  const sentences: Sentence[] = [];
  const paragraphs: Paragraph[] = [];
  let text = '';
  texts.forEach((t, i) => {
    const p = Math.floor(i / perPara);
    if (i % perPara === 0) {
      if (text) text += '\n\n';
      paragraphs.push({ index: p, kind: 'numbered', number: String(p + 1), text: '', spans: [{ start: text.length, end: text.length }] });
    } else text += ' ';
    const start = text.length;
    text += t;
    sentences.push({ index: i, paragraph: p, text: t, start, end: text.length });
    const para = paragraphs[p]!;
    para.text = para.text ? `${para.text} ${t}` : t;
    para.spans[0]!.end = text.length;
  });
  return { text, paragraphs, sentences };
}

/**
 * A 1-1 document of n rows. `zh(i)` / `en(i)` give the sentence texts (defaults are plain);
 * confidences cycle through 0.05 … 0.95 so the filters have something to find.
 */
export function makeDoc(n: number, opts: { name?: string; zh?: (i: number) => string; en?: (i: number) => string; perPara?: number } = {}): NewDoc {
  const zh = opts.zh ?? ((i: number) => `这是第${i + 1}句中文，包含数字${i * 3}。`);
  const en = opts.en ?? ((i: number) => `This is English sentence ${i + 1}, with number ${i * 3}.`);
  const perPara = opts.perPara ?? 5;
  const s = side(Array.from({ length: n }, (_, i) => en(i)), perPara);
  const t = side(Array.from({ length: n }, (_, i) => zh(i)), perPara);
  const target: TargetSentence[] = t.sentences.map((x) => ({ ...x, original: x.text }));
  const pairs = s.paragraphs.map((_, i) => ({ a: [i], b: [i], method: 'number' as const }));
  return {
    name: opts.name ?? `Test document ${n}`,
    source: { lang: 'en', ...s },
    target: { lang: 'zh', text: t.text, paragraphs: t.paragraphs, sentences: target },
    paragraphPairs: pairs,
    beads: Array.from({ length: n }, (_, i) => ({
      id: `b${i + 1}`,
      source: [i],
      target: [i],
      confidence: ((i * 7) % 10) / 10 + 0.05,
      status: 'automatic' as const,
      origin: 'lexical',
    })),
    issues: [],
    versions: [],
    model: 'lexical',
  };
}

/**
 * Follows a job's page (the answer of a form whose work runs as a job) until it lands: answers the
 * landing path (a finished import or re-align redirects there). Fails on a failed or cancelled job,
 * and after `timeoutMs`.
 */
export async function landingOf(agent: { get(url: string): PromiseLike<{ status: number; headers: Record<string, unknown>; text: string }> }, jobPage: string, timeoutMs = 30_000): Promise<string> {
  if (!/^\/jobs\/j[0-9a-f]{16}$/.test(jobPage)) throw new Error(`not a job page: ${jobPage}`);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await agent.get(jobPage);
    if (res.status === 303) return String(res.headers.location);
    const state = /data-state="(\w+)"/.exec(res.text)?.[1];
    if (state === 'failed' || state === 'cancelled') throw new Error(`job ${state}: ${/id="job-message"[^>]*>([^<]*)/.exec(res.text)?.[1] ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job did not finish in ${timeoutMs} ms`);
}

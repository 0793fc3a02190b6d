/** A small zh–en document (written for these tests) whose rows tests confirm and take back. */
import type { ReviewDocument, Sentence, TargetSentence } from '../../server/domain.js';

export const PAIRS: ReadonlyArray<readonly [string, string]> = [
  ['The old fisherman walked to the harbour at dawn.', '老渔夫天一亮就走到了港口。'],
  ['His boat was small and painted blue.', '他的船很小，漆成了蓝色。'],
  ['Li Ming was already waiting by the water.', '李明已经在水边等着了。'],
  ['"The wind is strong today," Li Ming said.', '"今天风很大，"李明说。'],
  ['The fisherman looked at the sky and laughed.', '渔夫看了看天，笑了。'],
  ['They pushed the boat into the sea together.', '他们一起把船推进了海里。'],
  ['By noon the nets were full of silver fish.', '到了中午，网里装满了银色的鱼。'],
  ['Li Ming sold the fish at the market in the evening.', '傍晚，李明在市场上卖了鱼。'],
  ['The fisherman counted the money twice.', '渔夫把钱数了两遍。'],
  ['Then he bought rice, salt and a new net.', '然后他买了米、盐和一张新网。'],
  ['At night the harbour was quiet again.', '夜里，港口又安静了下来。'],
  ['Li Ming dreamed of a bigger boat.', '李明梦想着一条更大的船。'],
];

/** Row i pairs English sentence i with Chinese sentence i; every row automatic. */
export function storyDocument(name = 'story', pairs: ReadonlyArray<readonly [string, string]> = PAIRS): Omit<ReviewDocument, 'id' | 'revision' | 'createdAt' | 'updatedAt'> {
  const side = (texts: string[], sep: string): { text: string; sentences: Sentence[] } => {
    const sentences: Sentence[] = [];
    let pos = 0;
    texts.forEach((text, index) => {
      sentences.push({ index, paragraph: 0, text, start: pos, end: pos + text.length });
      pos += text.length + sep.length;
    });
    return { text: texts.join(sep), sentences };
  };
  const en = side(pairs.map((p) => p[0]), ' ');
  const zh = side(pairs.map((p) => p[1]), '');
  const para = (text: string) => [{ index: 0, kind: 'plain' as const, number: null, text, spans: [{ start: 0, end: text.length }] }];
  return {
    name,
    source: { lang: 'en', text: en.text, paragraphs: para(en.text), sentences: en.sentences },
    target: { lang: 'zh', text: zh.text, paragraphs: para(zh.text), sentences: zh.sentences.map((s): TargetSentence => ({ ...s, original: s.text })) },
    paragraphPairs: [{ a: [0], b: [0], method: 'whole' }],
    beads: pairs.map((_, i) => ({ id: `b${i + 1}`, source: [i], target: [i], confidence: 0.9, status: 'automatic' as const, origin: 'test' })),
    issues: [],
    versions: [],
    model: 'test',
  };
}

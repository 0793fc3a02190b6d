/** The small zh/en text files the align command tests share, written into a test's folder. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** zh.txt / en.txt (two paragraphs, a date), zh2.txt / en2.txt (one paragraph), empty.txt. */
export function writeSampleTexts(dir: string): void {
  const files: Record<string, string> = {
    'zh.txt': '第一段：猫坐在垫子上。它看着狗。\n\n2020年9月4日，外长们举行了第六届会晤。\n',
    'en.txt': 'The cat sat on the mat. It looked at the dog.\n\nOn 4 September 2020, the ministers held their sixth meeting.\n',
    'zh2.txt': '另一篇中文。它有两句话。\n',
    'en2.txt': 'Another English text. It has two sentences.\n',
    'empty.txt': '',
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
}

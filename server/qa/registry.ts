/** Every QA check, in report order. A new check is one module in checks/ plus one line here. */
import { alignmentCheck } from './checks/alignment.js';
import { consistencyCheck } from './checks/consistency.js';
import { lengthRatioCheck } from './checks/length-ratio.js';
import { numbersCheck } from './checks/numbers.js';
import { omissionCheck } from './checks/omission.js';
import { punctuationCheck } from './checks/punctuation.js';
import { repetitionCheck } from './checks/repetition.js';
import { terminologyCheck } from './checks/terminology.js';
import { untranslatedCheck } from './checks/untranslated.js';
import type { BaseOptions, Check } from './types.js';

export const CHECKS: readonly Check<BaseOptions>[] = [
  numbersCheck,
  untranslatedCheck,
  punctuationCheck,
  repetitionCheck,
  terminologyCheck,
  consistencyCheck,
  lengthRatioCheck,
  omissionCheck,
  alignmentCheck,
];

export function getCheck(id: string): Check<BaseOptions> | undefined {
  return CHECKS.find((c) => c.id === id);
}

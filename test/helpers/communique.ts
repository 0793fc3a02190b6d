/**
 * The invented ministerial communiqué of test/fixtures/communique: an English original and its
 * French, Spanish and Russian translations, each with one sentence left out and one number changed.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const COMMUNIQUE_DIR = fileURLToPath(new URL('../fixtures/communique/', import.meta.url));

export type CommuniqueLang = 'en' | 'fr' | 'es' | 'ru';

export function communique(lang: CommuniqueLang): string {
  return readFileSync(`${COMMUNIQUE_DIR}${lang}.txt`, 'utf8');
}

/** What each translation leaves out and changes (the fixture's README says the same). */
export const PLANTED: Record<Exclude<CommuniqueLang, 'en'>, { omitted: string; source: string; target: string }> = {
  fr: { omitted: 'They recognised the contribution of local communities', source: '27', target: '29' },
  es: { omitted: 'They instructed the technical committee', source: '18', target: '15' },
  ru: { omitted: 'The next ministerial meeting will be held in Nairobi', source: '350', target: '530' },
};

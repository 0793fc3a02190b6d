/**
 * QA on pairs other than English–Chinese: the communiqué's French, Spanish and Russian translations
 * (each leaves out a sentence and changes a number), German–French, and a Chinese original with an
 * English translation. Every planted error is found, and nothing else is reported as a number.
 */
import { describe, expect, it } from 'vitest';
import { prepareImport } from '../../server/import/document.js';
import { checkDocument, loadQaConfig, runChecksOnPairs } from '../../server/qa/index.js';
import { communique, PLANTED } from '../helpers/communique.js';
import { pair } from './helpers.js';

describe('QA for any language pair', () => {
  for (const lang of ['fr', 'es', 'ru'] as const) {
    it(`finds the omitted sentence and the changed number of the ${lang} translation, and no other number`, async () => {
      const doc = await prepareImport({ name: lang, source: communique('en'), target: communique(lang), sourceLang: 'en', targetLang: lang, model: 'generic' });
      const { pairs, findings } = checkDocument(doc, loadQaConfig());
      const planted = PLANTED[lang];
      const omissions = findings.filter((f) => f.check === 'alignment' && f.category === 'Accuracy/Omission' && f.severity === 'major');
      expect(omissions).toHaveLength(1);
      const omitted = pairs.find((p) => p.id === omissions[0]?.beadId);
      expect(omitted?.source).toContain(planted.omitted);
      expect(omitted?.target).toBe('');
      const numbers = findings.filter((f) => f.check === 'numbers');
      expect(numbers.map((f) => f.message)).toEqual([
        expect.stringContaining(`Number "${planted.source}"`),
        expect.stringContaining(`Number "${planted.target}"`),
      ]);
      expect(new Set(numbers.map((f) => f.beadId)).size).toBe(1);
      expect(findings.filter((f) => f.check === 'untranslated')).toEqual([]);
    });
  }

  const run = (source: string, target: string, langs: { source: string; target: string }) => runChecksOnPairs([pair(source, target)], loadQaConfig(), { only: ['numbers', 'untranslated'], langs });

  it('reads numbers by value whatever the separators and scale words', () => {
    expect(run('Funding rose to 4.2 million euros for 1,500 engineers.', 'Le financement est passé à 4,2 millions d’euros pour 1 500 ingénieurs.', { source: 'en', target: 'fr' })).toEqual([]);
    expect(run('The fund holds 2.5 billion dollars.', 'El fondo tiene 2.500 millones de dólares.', { source: 'en', target: 'es' })).toEqual([]);
    expect(run('The fund holds 2.5 billion dollars.', 'Фонд располагает 2,5 млрд долларов.', { source: 'en', target: 'ru' })).toEqual([]);
    expect(run('Die Hütte liegt auf 2’850 m.', 'La cabane se trouve à 2850 m.', { source: 'de', target: 'fr' })).toEqual([]);
    const f = run('Die Hütte liegt auf 2’850 m.', 'La cabane se trouve à 2580 m.', { source: 'de', target: 'fr' });
    expect(f.map((x) => x.message)).toEqual(['Number "2’850" (2,850) in the source has no counterpart in the target', 'Number "2580" (2,580) in the target has no counterpart in the source']);
    expect(f.map((x) => x.category)).toEqual(['Accuracy/Mistranslation', 'Accuracy/Addition']);
  });

  it('compares a Chinese original with its English translation, sides kept as they are', () => {
    expect(run('会议于2020年9月4日举行，共有五个国家参加。', 'The meeting was held on 4 September 2020 with five countries taking part.', { source: 'zh', target: 'en' })).toEqual([]);
    const f = run('共有35亿美元。', 'A total of USD 3.6 billion.', { source: 'zh', target: 'en' });
    expect(f.map((x) => [x.category, x.message, x.sourceSpan !== null, x.targetSpan !== null])).toEqual([
      ['Accuracy/Mistranslation', expect.stringMatching(/^Number "35亿" .* in the source has no counterpart in the target$/), true, false],
      ['Accuracy/Addition', expect.stringMatching(/^Number "3\.6 billion" .* in the target has no counterpart in the source$/), false, true],
    ]);
  });

  it('reports a sentence left untranslated in a same-script pair, not shared names', () => {
    const f = run('The Ministers thanked the Government of Switzerland.', 'The Ministers thanked the Government of Switzerland.', { source: 'en', target: 'fr' });
    expect(f.map((x) => x.message)).toEqual(['Untranslated: the target repeats the source word for word']);
    expect(run('The Ministers met in Geneva.', 'Les ministres se sont réunis à Genève.', { source: 'en', target: 'fr' })).toEqual([]);
    expect(run('UNESCO, Nairobi.', 'UNESCO, Nairobi.', { source: 'en', target: 'fr' })).toEqual([]);
  });

  const entry = (english: string[], accepted: string[], forbidden: string[] = []) => ({ english, accepted, forbidden, note: '', unless: [] });
  const withGlossary = (pairs: ReturnType<typeof pair>[], langs: { source: string; target: string }, glossaryLangs: { source: string; target: string }, entries: ReturnType<typeof entry>[]) =>
    runChecksOnPairs(pairs, { ...loadQaConfig(), glossary: { entries, path: null, langs: glossaryLangs } }, { only: ['terminology', 'consistency'], langs });

  it('checks terminology with a glossary made for the pair, in any script, and skips a glossary of another pair', () => {
    const g = [entry(['water security'], ['sécurité de l’eau', "sécurité de l'eau"], ['sécurité hydrique'])];
    const enFr = { source: 'en', target: 'fr' };
    const wrong = pair('The programme for water security.', 'Le programme de Sécurité hydrique.');
    const f = withGlossary([wrong], enFr, enFr, g);
    expect(f.map((x) => [x.severity, x.message])).toEqual([['major', '"sécurité hydrique" is a wrong rendering of "water security"; use sécurité de l’eau / sécurité de l\'eau']]);
    expect(wrong.target.slice(f[0]!.targetSpan!.start, f[0]!.targetSpan!.end)).toBe('Sécurité hydrique');
    expect(wrong.source.slice(f[0]!.sourceSpan!.start, f[0]!.sourceSpan!.end)).toBe('water security');
    expect(withGlossary([pair('The programme for water security.', "Le programme de sécurité de l'eau.")], enFr, enFr, g)).toEqual([]);
    expect(withGlossary([pair('The programme for water security.', 'Le programme.')], enFr, enFr, g).map((x) => x.severity)).toEqual(['minor']);
    // The same glossary on an English–Spanish document, or en → zh's default on this one: not applied.
    expect(withGlossary([wrong], { source: 'en', target: 'es' }, enFr, g)).toEqual([]);
    expect(runChecksOnPairs([wrong], loadQaConfig(), { only: ['terminology'], langs: enFr })).toEqual([]);
    // Cyrillic, case-insensitive; a German original.
    const ru = withGlossary([pair('An early warning centre.', 'Центр Раннего оповещения.')], { source: 'en', target: 'ru-RU' }, { source: 'en', target: 'ru' }, [entry(['early warning'], ['раннего предупреждения'], ['раннего оповещения'])]);
    expect(ru.map((x) => x.message)).toEqual(['"раннего оповещения" is a wrong rendering of "early warning"; use раннего предупреждения']);
    const de = withGlossary([pair('Die Hütte liegt hoch.', 'La hutte est haute.')], { source: 'de', target: 'fr' }, { source: 'de', target: 'fr' }, [entry(['Hütte'], ['cabane'], ['hutte'])]);
    expect(de.map((x) => x.message)).toEqual(['"hutte" is a wrong rendering of "Hütte"; use cabane']);
  });

  it('finds inconsistent translations of one sentence in any pair, naming the sides as source and target', () => {
    const s = 'The Ministers thanked the Government of Switzerland for its hospitality.';
    const f = runChecksOnPairs(
      [pair(s, 'Les ministres ont remercié le Gouvernement suisse.'), pair(s, 'Les ministres ont remercié le Gouvernement suisse.'), pair(s, 'Les ministres remercient la Suisse.')],
      loadQaConfig(),
      { only: ['consistency'], langs: { source: 'en', target: 'fr' } },
    );
    expect(f.map((x) => x.message)).toEqual(['The same source sentence is translated differently elsewhere (2×: "Les ministres ont remercié le…")']);
  });
});

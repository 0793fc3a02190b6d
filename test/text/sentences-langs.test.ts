import { describe, expect, it } from 'vitest';
import { detectLang, splitSentences } from '../../server/text/index.js';
import { splitRulesFor } from '../../server/text/sentence-rules.js';

const split = (s: string, lang: string): string[] => splitSentences(s, lang).map((x) => x.text);

describe('sentences of languages other than English and Chinese', () => {
  const cases: Array<[string, string, string[]]> = [
    ['de', 'Wir gehen z. B. in die Berge. Das ist gut.', ['Wir gehen z. B. in die Berge.', 'Das ist gut.']],
    ['de', 'Wir sahen z. B. Gipfel, d. h. Berge. Dann nichts.', ['Wir sahen z. B. Gipfel, d. h. Berge.', 'Dann nichts.']],
    ['de', 'Am 9. September 1988 stiegen wir auf. Es war kalt.', ['Am 9. September 1988 stiegen wir auf.', 'Es war kalt.']],
    ['de', 'Eine Route im 10. Schwierigkeitsgrad. Dr. Müller kam mit.', ['Eine Route im 10. Schwierigkeitsgrad.', 'Dr. Müller kam mit.']],
    ['de', 'Gämsen, Steinböcke usw. Dann gingen wir heim.', ['Gämsen, Steinböcke usw.', 'Dann gingen wir heim.']],
    ['de', 'Er wurde der 3. Der 4. kam später.', ['Er wurde der 3.', 'Der 4. kam später.']],
    ['de', 'Die Wand ist ca. 600 m hoch. Sie ist steil.', ['Die Wand ist ca. 600 m hoch.', 'Sie ist steil.']],
    ['fr', 'M. Dupont est arrivé. Il pleuvait.', ['M. Dupont est arrivé.', 'Il pleuvait.']],
    ['fr', 'Il a dit p. ex. que tout allait bien. Mme Curie était là.', ['Il a dit p. ex. que tout allait bien.', 'Mme Curie était là.']],
    ['fr', 'Des chamois, des bouquetins, etc. Puis nous sommes rentrés.', ['Des chamois, des bouquetins, etc.', 'Puis nous sommes rentrés.']],
    ['fr', 'Voir p. 12 du livre. Fin.', ['Voir p. 12 du livre.', 'Fin.']],
    ['es', 'El Sr. García llegó. La Sra. López también.', ['El Sr. García llegó.', 'La Sra. López también.']],
    ['es', 'Hay frutas, p. ej. Manzanas y peras. Fin.', ['Hay frutas, p. ej. Manzanas y peras.', 'Fin.']],
    ['es', 'Ver pág. 5 del libro. ¿Qué más? Nada.', ['Ver pág. 5 del libro.', '¿Qué más?', 'Nada.']],
    ['pt', 'O Sr. Silva chegou. A Dra. Costa também.', ['O Sr. Silva chegou.', 'A Dra. Costa também.']],
    ['pt', 'Veja p. ex. Lisboa e Porto. Fim.', ['Veja p. ex. Lisboa e Porto.', 'Fim.']],
    ['ru', 'Это т. е. пример. Конец.', ['Это т. е. пример.', 'Конец.']],
    ['ru', 'Мы шли и т. д. Потом пришли.', ['Мы шли и т. д.', 'Потом пришли.']],
    ['ru', 'Иванов сказал, т. к. Было поздно. В 1988 г. Мы были там.', ['Иванов сказал, т. к. Было поздно.', 'В 1988 г. Мы были там.']],
    ['en', 'Mr. Smith met Dr. Jones. Then he left.', ['Mr. Smith met Dr. Jones.', 'Then he left.']],
  ];
  for (const [lang, text, want] of cases) {
    it(`${lang}: ${text}`, () => {
      expect(split(text, lang)).toEqual(want);
    });
  }

  it('keeps each language to its own abbreviations', () => {
    // "M." is Monsieur in French only; in English a capital initial before a name is no boundary either,
    // but "Sr." ends an English sentence before an opener ("Jr./Sr." are ambiguous there).
    expect(split('Il parle à M. Durand. Nous partons.', 'fr')).toEqual(['Il parle à M. Durand.', 'Nous partons.']);
    expect(split('He is John Smith Sr. The son came too.', 'en')).toEqual(['He is John Smith Sr.', 'The son came too.']);
    expect(split('Vino el Sr. Pérez. Luego se fue.', 'es')).toEqual(['Vino el Sr. Pérez.', 'Luego se fue.']);
  });

  it('falls back to the English rules for a language without its own, and by base language', () => {
    expect(splitRulesFor('pt-BR')).toBe(splitRulesFor('pt'));
    expect(splitRulesFor('pl')).toBe(splitRulesFor('en'));
  });
});

describe('detectLang beyond zh and en', () => {
  it('tells Latin-script languages apart by their function words', () => {
    expect(detectLang('Wir gehen heute in die Berge, und das Wetter ist nicht schlecht. Die Hütte ist auf dem Gipfel.')).toBe('de');
    expect(detectLang("La face nord est haute d'environ 600 m et nous sommes partis dans la nuit pour le sommet.")).toBe('fr');
    expect(detectLang('El perro come la comida en la casa y los niños juegan con el gato.')).toBe('es');
    expect(detectLang('O menino não quer comer a sopa que a mãe fez para ele e os irmãos.')).toBe('pt');
    expect(detectLang('Het is niet zo dat de man een hond heeft en van de kat houdt.')).toBe('nl');
    expect(detectLang('Il gatto è sul tavolo e il cane non vuole giocare con la palla della bambina.')).toBe('it');
  });
  it('keeps English for English and for short text without a clear winner', () => {
    expect(detectLang('The Ministers reaffirmed their commitment to the Charter and to the rule of law.')).toBe('en');
    expect(detectLang('Kingspitz Engelhörner')).toBe('en');
  });
  it('tells alphabets by their letters', () => {
    expect(detectLang('Мы шли по дороге к вершине.')).toBe('ru');
    expect(detectLang('Ми йшли дорогою, і їхали далі.')).toBe('uk');
    expect(detectLang('Περπατούσαμε στον δρόμο.')).toBe('el');
  });
});

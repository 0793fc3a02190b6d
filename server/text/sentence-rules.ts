/**
 * Per-language knowledge for splitting space-separated text into sentences (sentences-en.ts holds
 * the method): abbreviations after which a period ends no sentence, those that may end one, words
 * that typically open a sentence, two-part abbreviations written with a space ("z. B.", "p. ex.",
 * "т. е."), and whether a number with a dot is an ordinal ("am 9. September"). Lower case, without
 * the final dot. Languages not listed get the English rules (abbreviations of other languages are
 * rare there and the lower-case rule still holds).
 */
import type { Lang } from '../domain.js';

export interface SplitRules {
  /** A period after these never ends a sentence. */
  never: ReadonlySet<string>;
  /** Never before a number ("No. 5", "Nr. 5", "S. 12"); elsewhere only before an opener. */
  beforeNumber: ReadonlySet<string>;
  /** May end a sentence ("etc."): only before a typical opener. */
  ambiguous: ReadonlySet<string>;
  /** Words that typically open a sentence (lower case). */
  openers: ReadonlySet<string>;
  /** Two-part abbreviations written with a space, as "first second" ("z b" for "z. B."). */
  spaced: ReadonlySet<string>;
  /** Two-part abbreviations that may end a sentence ("и т. д."): as `ambiguous`. */
  spacedAmbiguous: ReadonlySet<string>;
  /** A number of 1–3 digits with a period is an ordinal ("9. September"): it ends a sentence only before an opener. */
  ordinalDot: boolean;
}

const set = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));
const pairs = (s: string): ReadonlySet<string> => new Set(s.split(',').map((p) => p.trim()).filter(Boolean));

const EN: SplitRules = {
  never: set(`mr mrs ms mx dr prof st mt ft gen col lt sgt capt cmdr adm rev hon sen rep gov pres amb messrs mme mlle
    e.g i.e vs cf viz al approx ca ibid op dept univ est`),
  beforeNumber: set('no nos art arts para paras p pp vol vols fig figs sec ch chap ed eds res doc op ser'),
  ambiguous: set('etc inc ltd co corp jr sr jan feb mar apr jun jul aug sep sept oct nov dec'),
  openers: set(`the this these that those they there it its in on at as we he she but however and a an for to if when
    while after before since with our their his her all some many most such moreover furthermore also then thus what who
    why how where you my no not yet so one both each every`),
  spaced: pairs(''),
  spacedAmbiguous: pairs(''),
  ordinalDot: false,
};

const DE: SplitRules = {
  never: set(`bzw ca dr prof hr nr str vgl ggf evtl inkl zzgl bspw jh jhd mio mrd abs bd hrsg sog geb gest tel ff
    z.b d.h u.a u.ä o.ä v.a z.t s.o s.u i.d.r u.u chr dipl ing mag bzgl gem lt allg urspr`),
  beforeNumber: set('nr art abs s bd kap abb tab ziff'),
  ambiguous: set('usw etc jan feb mär apr jun jul aug sep sept okt nov dez'),
  openers: set(`der die das den dem des ein eine er sie es wir ich ihr man dann aber doch und auch so da als wenn wie was
    wo warum dies diese dieser dieses im am in an auf bei mit nach nun noch schon nicht kein keine alle jetzt heute hier`),
  spaced: pairs('z b, d h, u a, u ä, o ä, v a, z t, s o, s u, i d, d r, u u, v chr, n chr, z zt, o g'),
  spacedAmbiguous: pairs(''),
  ordinalDot: true,
};

const FR: SplitRules = {
  never: set(`m mm mme mmes mlle mlles me mgr dr pr st ste cf env av bd chap vol éd ex fig resp hab min max vs
    c.-à-d c.à.d n.b p.ex`),
  beforeNumber: set('no n° p pp art chap vol fig t'),
  ambiguous: set('etc cie janv févr avr juil sept oct nov déc'),
  openers: set(`le la les l un une des il elle ils elles on nous vous je j c ce cette ces mais et puis alors ensuite
    en au aux dans pour par sur avec après avant quand si comme donc ainsi enfin pourtant cependant`),
  spaced: pairs('p ex, n b, c à'),
  spacedAmbiguous: pairs(''),
  ordinalDot: false,
};

const ES: SplitRules = {
  never: set(`sr sra srta sres dr dra dres d dña ud uds vd vds lic ing prof pág págs núm art cap vol av avda ej aprox
    atte sta sto fig tel p.ej`),
  beforeNumber: set('p pp núm n art cap vol fig'),
  ambiguous: set('etc cía ene feb abr jun jul ago sept oct nov dic'),
  openers: set(`el la los las un una unos unas él ella ellos ellas nosotros yo tú usted pero y entonces luego después
    en con para por si cuando como este esta estos estas ese esa eso también además sin embargo no`),
  spaced: pairs('p ej, ee uu'),
  spacedAmbiguous: pairs(''),
  ordinalDot: false,
};

const PT: SplitRules = {
  never: set(`sr sra srta dr dra prof profa exmo exma v av pág págs art cap vol fig aprox ltda cia sto sta p.ex`),
  beforeNumber: set('p pp n nº art cap vol fig'),
  ambiguous: set('etc jan fev abr jun jul ago set out nov dez'),
  openers: set(`o a os as um uma ele ela eles elas nós eu você mas e então depois em com para por se quando como este
    esta isto esse essa isso também além não`),
  spaced: pairs('p ex'),
  spacedAmbiguous: pairs(''),
  ordinalDot: false,
};

const RU: SplitRules = {
  never: set(`г гг им тыс млн млрд руб коп ул д кв стр см рис проф акад доц напр обл р вв ср и.о т.е т.к т.н`),
  beforeNumber: set('с стр рис т гл п'),
  ambiguous: set('др пр'),
  openers: set(`он она оно они мы я вы ты это этот эта эти в на но и а потом затем тогда когда если как так что не
    же уже все всё там здесь`),
  spaced: pairs('т е, т к, т н, т о, и о, н э, до н, с г, т ч'),
  spacedAmbiguous: pairs('т д, т п'),
  ordinalDot: false,
};

const RULES: Record<string, SplitRules> = { en: EN, de: DE, fr: FR, es: ES, pt: PT, ru: RU };

/** The rules for a language tag ('de', 'pt-BR' …); English for languages without their own. */
export function splitRulesFor(lang: Lang): SplitRules {
  const base = lang.toLowerCase().split(/[-_]/)[0] ?? 'en';
  return RULES[base] ?? EN;
}

export { EN as ENGLISH_RULES };

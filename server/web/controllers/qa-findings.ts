/**
 * What the QA report and the glossary editor share: the QA config (QA_CONFIG, else qa.config.json;
 * reloaded when it or its glossary changes on disk), the glossary file it names, and the findings of a
 * document per revision and config (recomputing is cheap, but not per click).
 */
import type { Finding, ReviewDocument } from '../../domain.js';
import { defaultQaConfig, GlossaryError, pairsFromDocument, runChecksOnPairs, type QaConfig, type QaPair } from '../../qa/index.js';
import { HttpError } from '../http-error.js';

export interface QaFindings {
  /** The config; a hand-edited config or glossary with a mistake is a 503 that says which line. */
  config(): QaConfig;
  /** The glossary file the editor works on (also when that file is what keeps the config from loading). */
  glossaryPath(): string;
  /** The document's QA rows and findings under the current config. */
  of(doc: ReviewDocument): { pairs: QaPair[]; findings: Finding[] };
  /** Forgets every computed finding (after the glossary changed). */
  forget(): void;
}

export function createQaFindings(): QaFindings {
  // The glossary file of a config that failed to load because of it: the editor must still open it.
  let brokenGlossary: string | null = null;
  const cache = new Map<string, { config: QaConfig; pairs: QaPair[]; findings: Finding[] }>();

  const config = (): QaConfig => {
    try {
      const c = defaultQaConfig();
      brokenGlossary = null;
      return c;
    } catch (e) {
      if (e instanceof GlossaryError) brokenGlossary = e.path;
      const err = e as Error;
      if (err.name === 'QaConfigError' || err.name === 'GlossaryError') throw new HttpError(503, `The QA configuration cannot be loaded: ${err.message}`);
      throw e;
    }
  };

  return {
    config,
    glossaryPath(): string {
      let p: string | null;
      try {
        p = config().glossaryPath;
      } catch (e) {
        if (!brokenGlossary) throw e;
        p = brokenGlossary;
      }
      if (!p) throw new HttpError(404, 'No glossary is configured (set "glossary" in qa.config.json).');
      return p;
    },
    of(doc: ReviewDocument): { pairs: QaPair[]; findings: Finding[] } {
      const key = `${doc.id}@${doc.revision}`;
      const current = config();
      let hit = cache.get(key);
      if (!hit || hit.config !== current) {
        const pairs = pairsFromDocument(doc);
        hit = { config: current, pairs, findings: runChecksOnPairs(pairs, current, { langs: { source: doc.source.lang, target: doc.target.lang } }) };
        if (cache.size > 50) cache.clear();
        cache.set(key, hit);
      }
      return hit;
    },
    forget(): void {
      cache.clear();
    },
  };
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CHECKS, loadQaConfig, qaConfigFromJson, QaConfigError, runChecksOnPairs, withGlossary } from '../../server/qa/index.js';
import { pair } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'qa-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const write = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('loadQaConfig', () => {
  it('registers every check with an id, an MQM category, a severity and enabled option', () => {
    const ids = CHECKS.map((c) => c.id);
    expect(ids).toEqual(expect.arrayContaining(['numbers', 'untranslated', 'punctuation', 'repetition', 'terminology', 'consistency', 'length-ratio', 'omission', 'alignment']));
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CHECKS) {
      expect(c.category).toMatch(/^(Accuracy|Terminology|Fluency|Style)/);
      expect(['minor', 'major', 'critical']).toContain(c.defaults.severity);
      expect(c.defaults.enabled).toBe(true);
    }
  });

  it('loads the repository config with the starter glossary', () => {
    const c = loadQaConfig();
    expect(c.glossary.entries.length).toBeGreaterThan(30);
    expect(Object.keys(c.checks).sort()).toEqual(CHECKS.map((x) => x.id).sort());
  });

  it('merges options over defaults and resolves the glossary relative to the config file', () => {
    write('g.tsv', 'UN\t联合国\n');
    const p = write('qa.json', JSON.stringify({ glossary: 'g.tsv', checks: { omission: { enabled: false }, 'length-ratio': { zThreshold: 2 } } }));
    const c = loadQaConfig(p);
    expect(c.path).toBe(p);
    expect(c.glossaryPath).toBe(join(dir, 'g.tsv'));
    expect(c.glossary.entries).toHaveLength(1);
    expect(c.checks.omission?.enabled).toBe(false);
    expect(c.checks['length-ratio']?.zThreshold).toBe(2);
    expect(c.checks['length-ratio']?.minChars).toBe(20);
  });

  it('turns a disabled check off and a severity change on', () => {
    const findings = (checks: object) => runChecksOnPairs([pair('x', '何地 and 由何人')], qaConfigFromJson({ glossary: null, checks }, dir), { only: ['untranslated'] });
    expect(findings({})).toHaveLength(1);
    expect(findings({ untranslated: { enabled: false } })).toEqual([]);
    expect(findings({ untranslated: { severity: 'critical' } })[0]?.severity).toBe('critical');
  });

  it('rejects unknown checks, unknown options, wrong types, bad severities and bad JSON with clear messages', () => {
    expect(() => qaConfigFromJson({ checks: { numbrs: {} } }, dir)).toThrow(/unknown check "numbrs"/);
    expect(() => qaConfigFromJson({ checks: { numbers: { treshold: 1 } } }, dir)).toThrow(/has no option "treshold"/);
    expect(() => qaConfigFromJson({ checks: { numbers: { enabled: 'yes' } } }, dir)).toThrow(/must be a boolean/);
    expect(() => qaConfigFromJson({ checks: { numbers: { severity: 'high' } } }, dir)).toThrow(/one of minor, major, critical/);
    expect(() => qaConfigFromJson({ extra: 1 }, dir)).toThrow(QaConfigError);
    expect(() => loadQaConfig(write('bad.json', '{ nope'))).toThrow(/invalid JSON/);
    expect(() => loadQaConfig(join(dir, 'missing.json'))).toThrow(/cannot read QA config/);
  });

  it('replaces the glossary (CLI --glossary)', () => {
    const g = write('g2.tsv', 'BRICS\t金砖国家\t金砖四国\n');
    const c = withGlossary(qaConfigFromJson({ glossary: null }, dir), g);
    expect(c.glossary.entries[0]?.english).toEqual(['BRICS']);
  });
});

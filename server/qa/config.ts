/**
 * The QA configuration: which checks run, with which severity and thresholds, and which glossary.
 * A JSON file (qa.config.json at the repository root by default):
 *
 *   {
 *     "glossary": "glossary/un-diplomatic.tsv",          // relative to the config file
 *     "checks": {
 *       "numbers":      { "enabled": true, "severity": "major", "reportExtra": true },
 *       "omission":     { "enabled": false },
 *       "length-ratio": { "zThreshold": 3.5 }
 *     },
 *     "scorecard": { "penalties": { "minor": 1, "major": 5, "critical": 25 }, "threshold": 10 }
 *   }
 *
 * Unknown check ids and options, and values of the wrong type, are errors (a typo must not silently
 * turn a check off). Options left out keep the check's defaults (see each module in checks/).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { SEVERITIES, type Severity } from '../domain.js';
import { projectRoot } from '../project-root.js';
import { EMPTY_GLOSSARY, loadGlossary, type Glossary } from './glossary.js';
import { CHECKS } from './registry.js';
import { DEFAULT_SCORECARD, type ScorecardConfig } from './scorecard.js';
import type { BaseOptions, OptionValue } from './types.js';

export interface QaConfig {
  /** Resolved options per check id (defaults merged with the file). */
  checks: Record<string, BaseOptions>;
  /** Penalty points per severity and the pass threshold of the quality scorecard (scorecard.ts). */
  scorecard: ScorecardConfig;
  glossary: Glossary;
  /** The glossary file (for the web editor), or null when none is configured. */
  glossaryPath: string | null;
  /** The config file it came from, or null for the built-in defaults. */
  path: string | null;
}

export class QaConfigError extends Error {
  override name = 'QaConfigError';
}

/** The repository root, where qa.config.json and glossary/ live. */
export const REPO_ROOT = projectRoot();
export const DEFAULT_CONFIG_PATH = resolve(REPO_ROOT, 'qa.config.json');
export const DEFAULT_GLOSSARY_PATH = resolve(REPO_ROOT, 'glossary', 'un-diplomatic.tsv');


function sameType(def: OptionValue, v: unknown): boolean {
  if (Array.isArray(def)) return Array.isArray(v) && v.every((x) => typeof x === 'string');
  return typeof v === typeof def && (typeof v !== 'number' || Number.isFinite(v));
}

/** Merges user options into a check's defaults, validating names and types. */
export function resolveOptions(id: string, user: unknown, where = 'config'): BaseOptions {
  const check = CHECKS.find((c) => c.id === id);
  if (!check) throw new QaConfigError(`${where}: unknown check "${id}" (known: ${CHECKS.map((c) => c.id).join(', ')})`);
  const out: BaseOptions = { ...check.defaults };
  if (user === undefined) return out;
  if (typeof user !== 'object' || user === null || Array.isArray(user)) throw new QaConfigError(`${where}: checks.${id} must be an object`);
  for (const [k, v] of Object.entries(user as Record<string, unknown>)) {
    const def = check.defaults[k];
    if (def === undefined) throw new QaConfigError(`${where}: check "${id}" has no option "${k}" (options: ${Object.keys(check.defaults).join(', ')})`);
    if (!sameType(def, v)) throw new QaConfigError(`${where}: checks.${id}.${k} must be ${Array.isArray(def) ? 'a list of strings' : `a ${typeof def}`}`);
    if (/severity$/i.test(k) && !SEVERITIES.includes(v as Severity)) {
      throw new QaConfigError(`${where}: checks.${id}.${k} must be one of ${SEVERITIES.join(', ')}`);
    }
    out[k] = v as OptionValue;
  }
  return out;
}

/** Builds a config from parsed JSON; `baseDir` resolves a relative glossary path. */
export function qaConfigFromJson(json: unknown, baseDir: string, where = 'config'): QaConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new QaConfigError(`${where}: must be a JSON object`);
  const obj = json as Record<string, unknown>;
  for (const k of Object.keys(obj)) if (k !== 'glossary' && k !== 'checks' && k !== 'scorecard' && k !== '$comment') throw new QaConfigError(`${where}: unknown key "${k}" (expected glossary, checks, scorecard)`);
  const userChecks = obj.checks ?? {};
  if (typeof userChecks !== 'object' || userChecks === null || Array.isArray(userChecks)) throw new QaConfigError(`${where}: "checks" must be an object`);
  for (const id of Object.keys(userChecks)) resolveOptions(id, undefined, where);
  const checks: Record<string, BaseOptions> = {};
  for (const c of CHECKS) checks[c.id] = resolveOptions(c.id, (userChecks as Record<string, unknown>)[c.id], where);
  let glossaryPath: string | null = DEFAULT_GLOSSARY_PATH;
  if (obj.glossary === null || obj.glossary === '') glossaryPath = null;
  else if (typeof obj.glossary === 'string') glossaryPath = isAbsolute(obj.glossary) ? obj.glossary : resolve(baseDir, obj.glossary);
  else if (obj.glossary !== undefined) throw new QaConfigError(`${where}: "glossary" must be a file path or null`);
  const glossary = glossaryPath ? loadGlossary(glossaryPath) : EMPTY_GLOSSARY;
  return { checks, scorecard: scorecardConfig(obj.scorecard, where), glossary, glossaryPath, path: null };
}

/** "scorecard": { "penalties": { "minor": 1, "major": 5, "critical": 25 }, "threshold": 10 }; what is left out keeps its default. */
function scorecardConfig(json: unknown, where: string): ScorecardConfig {
  if (json === undefined) return { penalties: { ...DEFAULT_SCORECARD.penalties }, threshold: DEFAULT_SCORECARD.threshold };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new QaConfigError(`${where}: "scorecard" must be an object`);
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'penalties' && k !== 'threshold') throw new QaConfigError(`${where}: scorecard has no option "${k}" (options: penalties, threshold)`);
  const number = (v: unknown, name: string): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new QaConfigError(`${where}: ${name} must be a number ≥ 0`);
    return v;
  };
  const penalties = { ...DEFAULT_SCORECARD.penalties };
  if (o.penalties !== undefined) {
    if (typeof o.penalties !== 'object' || o.penalties === null || Array.isArray(o.penalties)) throw new QaConfigError(`${where}: scorecard.penalties must be an object`);
    for (const [k, v] of Object.entries(o.penalties as Record<string, unknown>)) {
      if (!SEVERITIES.includes(k as Severity)) throw new QaConfigError(`${where}: scorecard.penalties has no severity "${k}" (severities: ${SEVERITIES.join(', ')})`);
      penalties[k as Severity] = number(v, `scorecard.penalties.${k}`);
    }
  }
  const threshold = o.threshold === undefined ? DEFAULT_SCORECARD.threshold : number(o.threshold, 'scorecard.threshold');
  return { penalties, threshold };
}

/** The config file used when none is given: $QA_CONFIG, else qa.config.json at the repository root. */
export function defaultConfigPath(): string {
  return process.env.QA_CONFIG || DEFAULT_CONFIG_PATH;
}

/**
 * Loads the QA config. With a path, that file must exist; without one, $QA_CONFIG or qa.config.json
 * at the repository root is used if present, else the built-in defaults with the starter glossary.
 */
export function loadQaConfig(path?: string): QaConfig {
  const file = path ?? (existsSync(defaultConfigPath()) ? defaultConfigPath() : null);
  if (!file) return qaConfigFromJson({}, REPO_ROOT, 'defaults');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new QaConfigError(`cannot read QA config ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new QaConfigError(`${file}: invalid JSON: ${(err as Error).message}`);
  }
  return { ...qaConfigFromJson(json, dirname(resolve(file)), file), path: resolve(file) };
}

/** The same config with another glossary (CLI --glossary, web editor). */
export function withGlossary(config: QaConfig, glossaryPath: string): QaConfig {
  return { ...config, glossary: loadGlossary(glossaryPath), glossaryPath };
}

/**
 * A validator for the subset of JSON Schema (2020-12) that schemas/alignment.schema.json uses:
 * type, properties, required, additionalProperties, items, enum, const, minimum, maximum,
 * minLength, pattern, $ref to "#/$defs/…", oneOf, anyOf. Annotations (title, description, format …)
 * are ignored. Small on purpose: no remote refs, nothing fetched.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root.js';

export type JsonSchema = {
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  pattern?: string;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  [annotation: string]: unknown;
};

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

/** Returns the problems found ('' path is the root), empty when `value` is valid. */
export function validateJson(schema: JsonSchema, value: unknown, root: JsonSchema = schema, path = '', out: string[] = []): string[] {
  if (out.length > 20) return out;
  if (schema.$ref) {
    const m = /^#\/\$defs\/(.+)$/.exec(schema.$ref);
    const target = m?.[1] !== undefined ? root.$defs?.[m[1]] : undefined;
    if (!target) throw new Error(`schema: unsupported $ref ${schema.$ref}`);
    validateJson(target, value, root, path, out);
  }
  const at = path || '(root)';
  const t = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    const ok = types.some((x) => x === t || (x === 'number' && t === 'integer'));
    if (!ok) {
      out.push(`${at}: expected ${types.join(' or ')}, got ${t}`);
      return out;
    }
  }
  if (schema.const !== undefined && value !== schema.const) out.push(`${at}: must be ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value)) out.push(`${at}: must be one of ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${at}: must be ≥ ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${at}: must be ≤ ${schema.maximum}`);
  }
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${at}: does not match ${schema.pattern}`);
  }
  if (t === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${at}: missing property "${r}"`);
    for (const [k, v] of Object.entries(obj)) {
      const p = schema.properties?.[k];
      if (p) validateJson(p, v, root, `${path}/${k}`, out);
      else if (schema.additionalProperties === false) out.push(`${at}: unexpected property "${k}"`);
      else if (typeof schema.additionalProperties === 'object') validateJson(schema.additionalProperties, v, root, `${path}/${k}`, out);
    }
  }
  if (t === 'array' && schema.items) {
    const arr = value as unknown[];
    for (let i = 0; i < arr.length && out.length <= 20; i++) validateJson(schema.items, arr[i], root, `${path}/${i}`, out);
  }
  for (const [kw, list] of [['oneOf', schema.oneOf], ['anyOf', schema.anyOf]] as const) {
    if (!list) continue;
    const passing = list.filter((s) => validateJson(s, value, root, path, []).length === 0).length;
    if (kw === 'oneOf' ? passing !== 1 : passing === 0) {
      out.push(`${at}: matches ${passing} of the ${kw} alternatives`);
    }
  }
  return out;
}

let cached: JsonSchema | null = null;

/** The export's schema, read from schemas/alignment.schema.json at the repository root. */
export function alignmentSchema(): JsonSchema {
  if (cached) return cached;
  const file = join(projectRoot(), 'schemas', 'alignment.schema.json');
  try {
    cached = JSON.parse(readFileSync(file, 'utf8')) as JsonSchema;
  } catch (e) {
    throw new Error(`${file}: cannot be read (${(e as Error).message})`);
  }
  return cached;
}

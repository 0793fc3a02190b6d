/**
 * The one parser of review operations arriving from outside: the JSON API posts an op object, the
 * review page's forms build the same object from their fields (server/web). Every kind has a
 * hand-written check; unknown kinds, unknown fields and wrong types are refused with a message that
 * names the field. Texts are normalised once, here (line ends to \n, Unicode NFC; a comment is also
 * trimmed), and the limits apply after that. Returns a clean op (only the known fields).
 */
import type { MqmCategory, ReviewBead, ReviewIssue, ReviewOp, Severity, Span } from '../domain.js';
import { ISSUE_STATUSES, MQM_CATEGORIES, SEVERITIES } from './ops.js';

export class OpValidationError extends Error {
  override name = 'OpValidationError';
}

/** Bead, issue and document ids: letters, digits, '.', '_', '-' (never a path). */
export const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/**
 * Characters of an edited sentence and of an issue comment, for both doors. 10,000 Chinese characters
 * still fit in a form post under the 100 kB body limit (9 bytes each, percent-encoded).
 */
export const MAX_EDIT_CHARS = 10_000;
export const MAX_COMMENT_CHARS = 2_000;

/** The fields each kind takes besides `kind` (the form door picks these out of its fields). */
export const OP_FIELDS: { readonly [K in ReviewOp['kind']]: readonly string[] } = {
  confirm: ['beadId'],
  unconfirm: ['beadId'],
  confirmAbove: ['beadId'],
  merge: ['beadId'],
  flag: ['beadId'],
  split: ['beadId', 'sourceAt', 'targetAt'],
  shiftUp: ['beadId', 'side'],
  shiftDown: ['beadId', 'side'],
  detach: ['beadId', 'side'],
  editTarget: ['sentence', 'text'],
  splitSentence: ['side', 'sentence', 'at'],
  joinSentence: ['side', 'sentence'],
  addIssue: ['beadId', 'category', 'severity', 'comment', 'targetSpan', 'check', 'status'],
  setIssueStatus: ['issueId', 'status'],
  realign: ['beads'],
};

/** Fields holding a whole number (a form sends them as text). */
export const NUMBER_FIELDS: ReadonlySet<string> = new Set(['sourceAt', 'targetAt', 'sentence', 'at']);

type Obj = Record<string, unknown>;

function isObj(x: unknown): x is Obj {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function onlyKeys(o: Obj, allowed: readonly string[], what: string): void {
  for (const k of Object.keys(o)) {
    if (!allowed.includes(k)) throw new OpValidationError(`${what}: unknown field "${k}" (allowed: ${allowed.join(', ')})`);
  }
}

function id(o: Obj, key: string, what: string): string {
  const v = o[key];
  if (typeof v !== 'string' || !ID_RE.test(v)) throw new OpValidationError(`${what}: "${key}" must be an id (letters, digits, . _ -)`);
  return v;
}

function int(o: Obj, key: string, what: string, min = 0, max = 10_000_000): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new OpValidationError(`${what}: "${key}" must be a whole number ≥ ${min}`);
  return v;
}

function side(o: Obj, what: string): 'source' | 'target' {
  const v = o.side;
  if (v !== 'source' && v !== 'target') throw new OpValidationError(`${what}: side must be source or target, not ${JSON.stringify(v)}`);
  return v;
}

function str(o: Obj, key: string, what: string, max: number): string {
  const v = o[key];
  if (typeof v !== 'string') throw new OpValidationError(`${what}: "${key}" must be a string`);
  if (v.length > max) throw new OpValidationError(`${what}: "${key}" is longer than ${max} characters`);
  return v;
}

/** Text typed by a reviewer: well formed (lone surrogates → U+FFFD), line ends as \n, Unicode NFC, at most `max` characters after that. */
function text(o: Obj, key: string, what: string, max: number, opts: { trim?: boolean } = {}): string {
  const v = o[key];
  if (typeof v !== 'string') throw new OpValidationError(`${what}: "${key}" must be a string`);
  let t = v.toWellFormed().replace(/\r\n?/g, '\n').normalize('NFC');
  if (opts.trim) t = t.trim();
  if (t.length > max) throw new OpValidationError(`${what}: "${key}" is too long (${t.length.toLocaleString('en')} characters; at most ${max.toLocaleString('en')})`);
  return t;
}

function oneOf<T extends string>(o: Obj, key: string, values: readonly T[], what: string, label = `one of ${values.join(', ')}`): T {
  const v = o[key];
  if (typeof v !== 'string' || !(values as readonly string[]).includes(v)) throw new OpValidationError(`${what}: "${key}" must be ${label}, not ${JSON.stringify(v)}`);
  return v as T;
}

function span(v: unknown, what: string): Span | null {
  if (v === undefined || v === null) return null;
  if (!isObj(v)) throw new OpValidationError(`${what}: "targetSpan" must be {start, end} or null`);
  onlyKeys(v, ['start', 'end'], `${what} targetSpan`);
  const start = int(v, 'start', `${what} targetSpan`);
  const end = int(v, 'end', `${what} targetSpan`);
  if (end < start) throw new OpValidationError(`${what}: targetSpan end is before start`);
  return { start, end };
}

function bead(v: unknown, i: number): ReviewBead {
  const what = `realign bead ${i + 1}`;
  if (!isObj(v)) throw new OpValidationError(`${what}: must be an object`);
  onlyKeys(v, ['id', 'source', 'target', 'confidence', 'status', 'origin'], what);
  const nums = (key: string): number[] => {
    const a = v[key];
    if (!Array.isArray(a) || a.length > 100 || !a.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
      throw new OpValidationError(`${what}: "${key}" must be an array of sentence indices`);
    }
    return a as number[];
  };
  const confidence = v.confidence;
  if (typeof confidence !== 'number' || !(confidence >= 0 && confidence <= 1)) throw new OpValidationError(`${what}: "confidence" must be a number in [0, 1]`);
  return {
    id: id(v, 'id', what),
    source: nums('source'),
    target: nums('target'),
    confidence,
    status: oneOf(v, 'status', ['automatic', 'confirmed', 'flagged'] as const, what),
    origin: str(v, 'origin', what, 200),
  };
}

const BEAD_OPS = ['confirm', 'unconfirm', 'confirmAbove', 'merge', 'flag'] as const;
export const OP_KINDS: readonly ReviewOp['kind'][] = [
  ...BEAD_OPS,
  'split',
  'shiftUp',
  'shiftDown',
  'detach',
  'editTarget',
  'splitSentence',
  'joinSentence',
  'addIssue',
  'setIssueStatus',
  'realign',
];

export function parseOp(input: unknown): ReviewOp {
  if (!isObj(input)) throw new OpValidationError('op must be an object with a "kind"');
  const kind = input.kind;
  if (typeof kind !== 'string' || !(OP_KINDS as readonly string[]).includes(kind)) {
    throw new OpValidationError(`unknown op kind ${JSON.stringify(kind)} (expected one of ${OP_KINDS.join(', ')})`);
  }
  const what = `op ${kind}`;
  const o = input;
  onlyKeys(o, ['kind', ...OP_FIELDS[kind as ReviewOp['kind']]], what);
  switch (kind as ReviewOp['kind']) {
    case 'confirm':
    case 'unconfirm':
    case 'confirmAbove':
    case 'merge':
    case 'flag':
      return { kind: kind as (typeof BEAD_OPS)[number], beadId: id(o, 'beadId', what) };
    case 'split':
      return { kind: 'split', beadId: id(o, 'beadId', what), sourceAt: int(o, 'sourceAt', what), targetAt: int(o, 'targetAt', what) };
    case 'shiftUp':
    case 'shiftDown':
    case 'detach':
      return { kind: kind as 'shiftUp' | 'shiftDown' | 'detach', beadId: id(o, 'beadId', what), side: side(o, what) };
    case 'editTarget':
      return { kind: 'editTarget', sentence: int(o, 'sentence', what), text: text(o, 'text', what, MAX_EDIT_CHARS) };
    case 'splitSentence':
      return { kind: 'splitSentence', side: side(o, what), sentence: int(o, 'sentence', what), at: int(o, 'at', what, 1) };
    case 'joinSentence':
      return { kind: 'joinSentence', side: side(o, what), sentence: int(o, 'sentence', what) };
    case 'addIssue': {
      const check = o.check;
      if (check !== undefined && check !== null && (typeof check !== 'string' || check.length > 100)) throw new OpValidationError(`${what}: "check" must be a check id or null`);
      return {
        kind: 'addIssue',
        beadId: id(o, 'beadId', what),
        category: oneOf<MqmCategory>(o, 'category', MQM_CATEGORIES, what, `an MQM category (${MQM_CATEGORIES.join(', ')})`),
        severity: oneOf<Severity>(o, 'severity', SEVERITIES, what),
        comment: o.comment === undefined ? '' : text(o, 'comment', what, MAX_COMMENT_CHARS, { trim: true }),
        targetSpan: span(o.targetSpan, what),
        check: typeof check === 'string' ? check : null,
        ...(o.status !== undefined ? { status: oneOf<ReviewIssue['status']>(o, 'status', ISSUE_STATUSES, what) } : {}),
      };
    }
    case 'setIssueStatus':
      return { kind: 'setIssueStatus', issueId: id(o, 'issueId', what), status: oneOf<ReviewIssue['status']>(o, 'status', ISSUE_STATUSES, what) };
    case 'realign': {
      if (!Array.isArray(o.beads) || o.beads.length > 200_000) throw new OpValidationError(`${what}: "beads" must be an array`);
      return { kind: 'realign', beads: o.beads.map(bead) };
    }
  }
}

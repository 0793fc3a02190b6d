/**
 * The review operation a form posts, read through the same parser as the JSON API (parseOp in
 * server/review/validate.ts): the form's fields become the op object the API would post, so both
 * doors share one set of limits, one normalisation and one id check.
 *
 * Buttons of the review table send `act=kind:beadId` (or `kind:side:beadId` for moves); the row
 * page's forms send `op` with the op's fields by name (numbers as text).
 */
import type { ReviewOp } from '../../domain.js';
import { InvalidOperationError, NUMBER_FIELDS, OP_FIELDS, OP_KINDS, OpValidationError, parseOp } from '../../review/index.js';

/** Kinds a table button can post, and whether its value names a side. */
const ACTIONS: Readonly<Record<string, 'row' | 'side'>> = {
  confirm: 'row',
  unconfirm: 'row',
  confirmAbove: 'row',
  merge: 'row',
  flag: 'row',
  shiftUp: 'side',
  shiftDown: 'side',
  detach: 'side',
};

/** The op object the JSON API would post for these form fields (not checked yet). */
export function opInputFromForm(body: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const act = typeof body.act === 'string' ? body.act : '';
  if (act) {
    const [kind = '', ...rest] = act.split(':');
    const form = ACTIONS[kind];
    if (!form) throw new InvalidOperationError(`unknown action: ${kind}`);
    if (form === 'row') return { kind, beadId: rest.join(':') };
    return { kind, side: rest[0] ?? '', beadId: rest.slice(1).join(':') };
  }
  const kind = typeof body.op === 'string' ? body.op : '';
  if (!kind) throw new InvalidOperationError('no operation given');
  if (!(OP_KINDS as readonly string[]).includes(kind)) return { kind };
  const input: Record<string, unknown> = { kind };
  for (const field of OP_FIELDS[kind as ReviewOp['kind']]) {
    const v = body[field];
    if (typeof v !== 'string') continue;
    input[field] = NUMBER_FIELDS.has(field) && /^\s*\d{1,15}\s*$/.test(v) ? Number(v) : v;
  }
  // A finding made an issue (or dismissed) names the span it points at as two fields.
  const start = body.targetSpanStart;
  const end = body.targetSpanEnd;
  if (kind === 'addIssue' && typeof start === 'string' && typeof end === 'string' && start !== '' && end !== '') {
    input.targetSpan = { start: /^\d{1,15}$/.test(start) ? Number(start) : start, end: /^\d{1,15}$/.test(end) ? Number(end) : end };
  }
  return input;
}

/** The operation a form posts; a refusal is an InvalidOperationError (the page says why, 422). */
export function opFromForm(body: Readonly<Record<string, unknown>>): ReviewOp {
  try {
    return parseOp(opInputFromForm(body));
  } catch (e) {
    if (e instanceof OpValidationError) throw new InvalidOperationError(e.message);
    throw e;
  }
}

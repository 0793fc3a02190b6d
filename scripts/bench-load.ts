/**
 * What the server benchmarks share (bench-server.ts, bench-team.ts): simulated reviewers doing random review operations over HTTP, and the check afterwards that every accepted
 * operation is in the history and the final state is the replay of the history.
 */
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import type { HistoryEntry, ReviewDocument, ReviewOp } from '../server/domain.js';
import { applyChange, replayHistory } from '../server/review/index.js';
import { seededBelow } from './seeded-random.js';

/**
 * CPU seconds (user + system) used so far by a process, from /proc (Linux); NaN elsewhere. With
 * `children`, also that of the children it has waited for (a server's ended workers).
 */
export function procCpu(pid: number | string | undefined, opts: { children?: boolean } = {}): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime + stime (and cutime + cstime) in clock ticks (USER_HZ = 100)
    return (Number(f[11]) + Number(f[12]) + (opts.children ? Number(f[13]) + Number(f[14]) : 0)) / 100;
  } catch {
    return NaN;
  }
}

export const oneDecimal = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
export const twoDecimals = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');

export function randomOp(doc: ReviewDocument, r: (n: number) => number, tag: string): ReviewOp | 'undo' | 'redo' {
  const b = doc.beads[r(doc.beads.length)]!;
  const side = r(2) ? 'source' : 'target';
  const k = r(100);
  if (k < 20) return { kind: 'confirm', beadId: b.id };
  if (k < 30) return { kind: 'merge', beadId: b.id };
  if (k < 40) return { kind: 'split', beadId: b.id, sourceAt: r(b.source.length + 1), targetAt: r(b.target.length + 1) };
  if (k < 47) return { kind: 'shiftUp', beadId: b.id, side };
  if (k < 54) return { kind: 'shiftDown', beadId: b.id, side };
  if (k < 58) return { kind: 'detach', beadId: b.id, side };
  if (k < 70) return { kind: 'editTarget', sentence: r(doc.target.sentences.length), text: `改动 ${tag} <b>&"` };
  if (k < 77) return { kind: 'flag', beadId: b.id };
  if (k < 84) return { kind: 'addIssue', beadId: b.id, category: 'Terminology', severity: 'minor', comment: `bench ${tag}` };
  if (k < 86) return { kind: 'unconfirm', beadId: b.id };
  if (k < 87) return { kind: 'confirmAbove', beadId: b.id };
  if (k < 95) return 'undo';
  return 'redo';
}

// ───────────────────────────── HTTP client ─────────────────────────────

/** A browser: its cookies and CSRF token, and the server it talks to (it may move to another one). */
export class Client {
  cookie = '';
  token = '';
  constructor(public base: string) {}

  static async create(base: string, name: string): Promise<Client> {
    const c = new Client(base);
    const res = await fetch(`${base}/api/csrf`);
    c.cookie = (res.headers.getSetCookie?.() ?? []).map((x) => x.split(';')[0]).join('; ');
    c.token = ((await res.json()) as { token: string }).token;
    const r2 = await c.post('/reviewer', { name });
    const set = r2.headers.getSetCookie?.() ?? [];
    if (set.length) c.cookie = [c.cookie, ...set.map((x) => x.split(';')[0])].join('; ');
    await r2.arrayBuffer();
    return c;
  }

  get(path: string): Promise<Response> {
    return fetch(`${this.base}${path}`, { headers: { cookie: this.cookie, accept: 'application/json' } });
  }

  post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.base}${path}`, {
      method: 'POST',
      headers: { cookie: this.cookie, 'x-csrf-token': this.token, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
  }
}

// ───────────────────────────── load ─────────────────────────────

export interface LoadStats {
  /** Server-side time of each request (Server-Timing), without queueing in the client. */
  serverMs: number[];
  latencies: number[];
  opLatencies: number[];
  byStatus: Map<string, number>;
  accepted: { seq: number; kind: string }[];
  /** Requests that got no answer (a server killed under them). */
  networkErrors: number;
  /** Reviewers who moved to another server after theirs stopped answering. */
  failovers: number;
}

export function newStats(): LoadStats {
  return { serverMs: [], latencies: [], opLatencies: [], byStatus: new Map(), accepted: [], networkErrors: 0, failovers: 0 };
}

export interface LoadOptions {
  /**
   * The servers: reviewer k starts on bases[k % n]; when its server stops answering it moves to the
   * next one, as a reverse proxy would send it there (its session works on every server of the store).
   */
  bases: string[];
  docId: string;
  reviewers: number;
  ms: number;
  seed: number;
  /** Mean pause of a reviewer between operations (uniform 0…2×think). */
  think: number;
  stop: { now: boolean };
  /** Requests started before this time (warm-up: JIT, connections, first copies) are not timed. */
  timedFrom: number;
}

export async function runReviewers(o: LoadOptions, stats: LoadStats): Promise<void> {
  const until = Date.now() + o.ms;
  const timed = (t0: number): boolean => t0 >= o.timedFrom;
  const serverTime = (res: Response): void => {
    if (performance.now() < o.timedFrom) return;
    const m = /dur=([\d.]+)/.exec(res.headers.get('server-timing') ?? '');
    if (m) stats.serverMs.push(Number(m[1]));
  };
  const count = (status: number): void => {
    const key = status >= 500 ? '5xx' : String(status);
    stats.byStatus.set(key, (stats.byStatus.get(key) ?? 0) + 1);
  };
  const one = async (k: number): Promise<void> => {
    const r = seededBelow(o.seed * 1000 + k + 1);
    let at = k % o.bases.length;
    let client: Client;
    try {
      client = await Client.create(o.bases[at]!, `reviewer ${k + 1}`);
    } catch {
      stats.networkErrors++;
      return;
    }
    let doc: ReviewDocument | null = null;
    let sinceRefresh = 0;
    for (let i = 0; i < 100_000 && Date.now() < until && !o.stop.now; i++) {
      try {
        if (!doc || sinceRefresh >= 6) {
          // Like the page script: catch up with the changes since the copy's revision, reload only
          // when there is no copy or the changes do not apply.
          const t0 = performance.now();
          const res = await client.get(doc ? `/api/documents/${o.docId}/history?since=${doc.revision}` : `/api/documents/${o.docId}`);
          const body = (await res.json()) as ReviewDocument | { revision: number; entries: HistoryEntry[] };
          if (timed(t0)) stats.latencies.push(performance.now() - t0);
          count(res.status);
          serverTime(res);
          if (doc && 'entries' in body) {
            try {
              for (const e of body.entries) if (e.before && e.after) doc = applyChange(doc, e.before, e.after);
              doc = { ...doc, revision: body.revision };
            } catch {
              doc = null;
              continue;
            }
          } else doc = body as ReviewDocument;
          sinceRefresh = 0;
        }
        if (o.think > 0) await new Promise((res) => setTimeout(res, r(2 * o.think + 1)));
        const op = randomOp(doc, r, `${k}.${i}`);
        const t0 = performance.now();
        const res =
          op === 'undo' || op === 'redo'
            ? await client.post(`/api/documents/${o.docId}/${op}`, { baseRevision: doc.revision })
            : await client.post(`/api/documents/${o.docId}/ops`, { op, baseRevision: doc.revision });
        const body = (await res.json()) as { entry?: HistoryEntry };
        const dt = performance.now() - t0;
        if (timed(t0)) {
          stats.latencies.push(dt);
          stats.opLatencies.push(dt);
        }
        count(res.status);
        serverTime(res);
        if (res.ok && body.entry) {
          stats.accepted.push({ seq: body.entry.seq, kind: body.entry.op.kind });
          sinceRefresh++;
        } else {
          sinceRefresh = 99; // refresh after a refusal
        }
      } catch {
        stats.networkErrors++;
        if (o.stop.now) return;
        if (o.bases.length > 1) {
          // The server did not answer: the next one (an operation cut off may or may not have been stored: reload).
          at = (at + 1) % o.bases.length;
          client.base = o.bases[at]!;
          stats.failovers++;
          doc = null;
        }
        await new Promise((res) => setTimeout(res, 20));
      }
    }
  };
  await Promise.all(Array.from({ length: o.reviewers }, (_, k) => one(k)));
}

export interface Verified {
  inHistory: boolean;
  missing: number;
  replayEqual: boolean;
  entries: number;
}

/** Every accepted operation (by seq and kind) is in the history, and the document is the replay of its history. */
export async function verify(base: string, docId: string, initial: ReviewDocument, accepted: { seq: number; kind: string }[]): Promise<Verified> {
  const c = await Client.create(base, 'verifier');
  const history = ((await (await c.get(`/api/documents/${docId}/history`)).json()) as { entries: HistoryEntry[] }).entries;
  const doc = (await (await c.get(`/api/documents/${docId}`)).json()) as ReviewDocument;
  const bySeq = new Map(history.map((h) => [h.seq, h]));
  let missing = 0;
  for (const a of accepted) if (bySeq.get(a.seq)?.op.kind !== a.kind) missing++;
  const replayed = replayHistory(initial, history);
  const replayEqual =
    isDeepStrictEqual(replayed.beads, doc.beads) && isDeepStrictEqual(replayed.issues, doc.issues) && isDeepStrictEqual(replayed.target.sentences, doc.target.sentences) && replayed.revision === doc.revision;
  return { inHistory: missing === 0, missing, replayEqual, entries: history.length - 1 };
}

/**
 * Imports stored in a real SQLite store through the path the CLI and the API use (storeImported,
 * POST /api/import/*), then exported again: foreign TMX props/notes and the project JSON's history
 * survive the store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportDocuments, importJson, importTmx, type ExportFormat } from '../../server/formats/index.js';
import { itemsFromStore, storeImported } from '../../server/formats/items.js';
import { alignmentSchema, validateJson } from '../../server/formats/json-schema.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { InvalidOperationError } from '../../server/store/store.js';
import { createApp } from '../../server/web/app.js';
import { isImportPath } from '../../server/web/security.js';
import { adversarialDoc, maskTimestamps, xmllint } from './fixtures.js';

let dir: string;
const stores: SqliteStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'store-roundtrip-'));
});
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  rmSync(dir, { recursive: true, force: true });
});
function newStore(name: string): SqliteStore {
  const s = openStore(join(dir, name));
  stores.push(s);
  return s;
}

/** The export the CLI and the routes make: items from the store (history, QA findings). */
async function exportFromStore(store: SqliteStore, id: string, format: ExportFormat): Promise<string> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  await exportDocuments(itemsFromStore(store, [id]), format, {}, out, false);
  out.end();
  return Buffer.concat(chunks).toString('utf8');
}

const FOREIGN = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4"><header creationtool="OmegaT" creationtoolversion="6" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="EN-US" datatype="plaintext"/>
<body>
<tu tuid="7" changeid="kim" changedate="20250101T120000Z"><prop type="x-project">Acme &amp; Co</prop><note>checked by Kim</note>
  <tuv xml:lang="EN-US"><seg>Press OK now.</seg></tuv>
  <tuv xml:lang="DE-DE"><seg>Drücken Sie OK.</seg></tuv>
  <tuv xml:lang="ZH-CN"><prop type="x-context">ui</prop><note>zh &lt;note&gt;</note><seg>现在按确定。</seg></tuv>
</tu>
<tu tuid="8"><prop type="x-project">Beta</prop><tuv xml:lang="EN-US"><seg>Second.</seg></tuv><tuv xml:lang="ZH-CN"><seg>第二。</seg></tuv></tu>
<tu tuid="9"><tuv xml:lang="EN-US"><seg>Third.</seg></tuv><tuv xml:lang="ZH-CN"><seg>第三。</seg></tuv></tu>
</body></tmx>`;

describe('foreign TMX → store → export keeps props and notes', () => {
  it('through storeImported (the CLI path): TMX and JSON exports carry them, valid; merge concatenates', async () => {
    const store = newStore('s');
    const [id] = await storeImported(store, [importTmx(FOREIGN, { targetLang: 'zh-CN' })], { format: 'tmx', author: 'me' });
    await store.close();
    stores.pop();
    const reopened = newStore('s'); // from the database, not a cache
    const tmx = await exportFromStore(reopened, id!, 'tmx');
    expect(xmllint(tmx, 'tmx')).toBe('');
    const tu7 = /<tu tuid="7"[\s\S]*?<\/tu>/.exec(tmx)![0];
    expect(tu7).toContain('<prop type="x-project">Acme &amp; Co</prop>');
    expect(tu7).toContain('<prop type="x-context">ui</prop>');
    expect(tu7).toContain('<note>checked by Kim</note>');
    expect(tu7).toContain('<note>zh &lt;note&gt;</note>');
    expect(/<tu tuid="8"[\s\S]*?<\/tu>/.exec(tmx)![0]).toContain('<prop type="x-project">Beta</prop>');
    expect(/<tu tuid="9"[\s\S]*?<\/tu>/.exec(tmx)![0]).not.toMatch(/x-project|<note>/);
    // Re-imported, the props and notes are the same (not doubled).
    const back = importTmx(tmx);
    expect(back.document.beads[0]!.meta).toEqual({
      props: [{ type: 'x-project', value: 'Acme & Co' }, { type: 'x-context', value: 'ui' }],
      notes: ['checked by Kim', 'zh <note>'],
    });
    const json = await exportFromStore(reopened, id!, 'json');
    expect(validateJson(alignmentSchema(), JSON.parse(json))).toEqual([]);
    expect((JSON.parse(json) as { beads: { meta?: unknown }[] }).beads.map((b) => b.meta)).toEqual([back.document.beads[0]!.meta, { props: [{ type: 'x-project', value: 'Beta' }], notes: [] }, undefined]);
    // A merge keeps both rows' props and notes; the JSON import restores them into another store.
    await reopened.apply(id!, { kind: 'merge', beadId: '7' }, { author: 'ann' });
    const merged = await exportFromStore(reopened, id!, 'tmx');
    expect(xmllint(merged, 'tmx')).toBe('');
    expect(/<tu tuid="7"[\s\S]*?<\/tu>/.exec(merged)![0].match(/<prop type="x-project">/g)).toHaveLength(2);
    const other = newStore('other');
    const [restored] = await storeImported(other, importJson(await exportFromStore(reopened, id!, 'json')), { format: 'json', author: 'me' });
    expect(maskTimestamps(await exportFromStore(other, restored!, 'tmx'))).toBe(maskTimestamps(merged));
  });

  it('through POST /api/import/tmx and the download route', async () => {
    const store = newStore('api');
    const agent = request.agent(createApp({ store, corpusDir: join(dir, 'none') }, { log: false }));
    const token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
    const res = await agent.post('/api/import/tmx?targetLang=zh').set('x-csrf-token', token).set('Prefer', 'wait=30').set('Content-Type', 'application/x-tmx+xml').send(FOREIGN).expect(201);
    const id = (res.body as { documents: { id: string }[] }).documents[0]!.id;
    const tmx = (await agent.get(`/documents/${id}/export.tmx`).buffer(true).expect(200)).text;
    expect(xmllint(tmx, 'tmx')).toBe('');
    expect(tmx).toContain('<prop type="x-project">Acme &amp; Co</prop>');
    expect(tmx).toContain('<note>checked by Kim</note>');
  });
});

describe('project JSON: export → import into a fresh store → export', () => {
  it('gives the same JSON and TMX (export timestamps aside); undo of imported entries is refused', async () => {
    const a = newStore('a');
    const { doc } = adversarialDoc();
    const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
    const id = await a.createDocument(rest, { author: 'importer' });
    await a.apply(id, { kind: 'confirm', beadId: 'b4' }, { author: 'ann' });
    await a.apply(id, { kind: 'flag', beadId: 'b5' }, { author: 'bob "the <reviewer>"' });
    await a.apply(id, { kind: 'editTarget', sentence: 0, text: '改过的 <译文> & 😀。' }, { author: 'ann' });
    await a.apply(id, { kind: 'addIssue', beadId: 'b1', category: 'Terminology', severity: 'critical', comment: 'term & <x>', targetSpan: { start: 0, end: 2 } }, { author: 'carol' });
    await a.apply(id, { kind: 'setIssueStatus', issueId: 'i1', status: 'dismissed' }, { author: 'carol' });
    await a.apply(id, { kind: 'merge', beadId: 'b6' }, { author: 'ann' });
    await a.undo(id, { author: 'ann' });
    await a.apply(id, { kind: 'confirm', beadId: 'b6' }, { author: 'dave' });
    const json1 = await exportFromStore(a, id, 'json');
    const tmx1 = await exportFromStore(a, id, 'tmx');
    expect(xmllint(tmx1, 'tmx')).toBe('');

    const b = newStore('b');
    const ids = await storeImported(b, importJson(json1), { format: 'json', author: 'restorer' });
    expect(ids).toEqual([id]);
    const json2 = await exportFromStore(b, id, 'json');
    const tmx2 = await exportFromStore(b, id, 'tmx');
    expect(maskTimestamps(json2)).toBe(maskTimestamps(json1));
    expect(maskTimestamps(tmx2)).toBe(maskTimestamps(tmx1));
    const parsed = JSON.parse(json2) as { history: { entries: { op: { kind: string }; undone?: boolean }[] }; beads: { status: string }[] };
    expect(parsed.history.entries.map((e) => e.op.kind)).toEqual(['import', 'confirm', 'flag', 'editTarget', 'addIssue', 'setIssueStatus', 'merge', 'undo', 'confirm']);
    expect(parsed.beads.map((x) => x.status)).toEqual(['confirmed', 'automatic', 'flagged', 'confirmed', 'flagged', 'confirmed', 'confirmed']);

    await expect(b.undo(id, { author: 'x' })).rejects.toThrow(InvalidOperationError);
    await expect(b.undo(id, { author: 'x' })).rejects.toThrow(/imported from a file .* cannot be undone/);
    expect((await b.apply(id, { kind: 'unconfirm', beadId: 'b1' }, { author: 'x' })).revision).toBe((await a.getDocument(id)).revision + 1);
  });
});

describe('POST /api/import/json with a large application/json body', () => {
  it('takes the import limit (> 100 kB is accepted) while other API routes keep the small one', async () => {
    const src = newStore('src');
    const { doc } = adversarialDoc();
    const { id: _i, revision: _r, createdAt: _c, updatedAt: _u, ...rest } = doc;
    const id = await src.createDocument({ ...rest, name: 'big' }, { author: 'importer' });
    await src.apply(id, { kind: 'editTarget', sentence: 0, text: '长'.repeat(60_000) }, { author: 'ann' });
    const json = await exportFromStore(src, id, 'json');
    expect(Buffer.byteLength(json)).toBeGreaterThan(200 * 1024);

    const store = newStore('api');
    const agent = request.agent(createApp({ store, corpusDir: join(dir, 'none') }, { log: false }));
    const token = ((await agent.get('/api/csrf').expect(200)).body as { token: string }).token;
    const res = await agent.post('/api/import/json').set('x-csrf-token', token).set('Prefer', 'wait=30').set('Content-Type', 'application/json').send(json).expect(201);
    expect((res.body as { documents: { id: string; name: string }[] }).documents).toEqual([{ id, name: 'big', beads: 7 }]);
    expect(await store.getDocument(id)).toEqual(await src.getDocument(id));
    expect(maskTimestamps(await exportFromStore(store, id, 'json'))).toBe(maskTimestamps(json));
    await agent.post(`/api/documents/${id}/ops`).set('x-csrf-token', token).send({ op: { kind: 'editTarget', sentence: 0, text: 'x'.repeat(150_000) } }).expect(413);
    expect(isImportPath('POST', '/api/import/json')).toBe(true);
    expect(isImportPath('POST', '/api/import/tmx')).toBe(true);
    expect(isImportPath('GET', '/api/import/json')).toBe(false);
  });
});

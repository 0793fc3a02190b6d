/**
 * Encoding detection that does not guess wrong (issue 12, item 4), end to end through every door
 * that takes bytes: the import page (uploads), the API (base64) and the CLI (files). "auto" (the
 * default) reads UTF-8, UTF-16 with a BOM and Chinese GB18030; Latin-1, Windows-1252, Shift-JIS and
 * UTF-16 without a BOM are refused with the list of encodings to choose from, and read exactly once
 * the encoding is chosen. Nothing is stored by a refusal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { align } from '../../scripts/align.js';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { runIn } from '../helpers/cli.js';
import { landingOf } from '../web/fixtures.js';

const utf16le = (s: string, bom: boolean): Buffer => Buffer.concat([bom ? Buffer.from([0xff, 0xfe]) : Buffer.alloc(0), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string): Buffer => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);

const SPANISH = 'Señor García dijo: «¿Qué pasa?» Todo está bien.';
const QUOTED = '“Hi,” she said – café… The end.';
const CHINESE = '中文测试。这是第二句。';
const JAPANESE = '日本語。';

interface Case {
  label: string;
  /** Which side the bytes are: Western texts the source, CJK texts the target. */
  side: 'source' | 'target';
  lang: string;
  bytes: Buffer;
  text: string;
  /** null: "auto" reads it; else the encoding to choose after auto refused. */
  choose: string | null;
}

const CASES: Case[] = [
  { label: 'Latin-1', side: 'source', lang: 'es', bytes: Buffer.from(SPANISH, 'latin1'), text: SPANISH, choose: 'windows-1252' },
  // “ ” – … are bytes 0x93 0x94 0x96 0x85 in Windows-1252 (not in Latin-1).
  { label: 'Windows-1252', side: 'source', lang: 'en', bytes: Buffer.from([0x93, ...Buffer.from('Hi,'), 0x94, ...Buffer.from(' she said '), 0x96, ...Buffer.from(' caf'), 0xe9, 0x85, ...Buffer.from(' The end.')]), text: QUOTED, choose: 'windows-1252' },
  { label: 'Shift-JIS', side: 'target', lang: 'ja', bytes: Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x8c, 0xea, 0x81, 0x42]), text: JAPANESE, choose: 'shift_jis' },
  { label: 'GB18030', side: 'target', lang: 'zh', bytes: Buffer.from('d6d0cec4b2e2cad4a1a3d5e2cac7b5dab6febee4a1a3', 'hex'), text: CHINESE, choose: null },
  { label: 'UTF-16 LE with BOM', side: 'target', lang: 'zh', bytes: utf16le(CHINESE, true), text: CHINESE, choose: null },
  { label: 'UTF-16 BE with BOM', side: 'target', lang: 'zh', bytes: utf16be(CHINESE), text: CHINESE, choose: null },
  // Chinese in UTF-16 has no NUL bytes (refused as undetected); English has one in every unit.
  { label: 'UTF-16 LE without BOM', side: 'target', lang: 'zh', bytes: utf16le(CHINESE, false), text: CHINESE, choose: 'utf-16le' },
  { label: 'UTF-16 LE without BOM, English', side: 'source', lang: 'en', bytes: utf16le('Hello there. Fine.', false), text: 'Hello there. Fine.', choose: 'utf-16le' },
  { label: 'UTF-8 with BOM', side: 'source', lang: 'es', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SPANISH)]), text: SPANISH, choose: null },
];

/** The other side of a case's document: plain UTF-8 text in a language the case's side is not. */
const other = (c: Case) => (c.side === 'source' ? { lang: 'zh', text: '你好。' } : { lang: 'en', text: 'Hello there.' });
const REFUSAL = /encoding could not be detected.*choose the encoding: .*gb18030.*shift_jis.*windows-1252.*utf-16le/;
const NO_BOM_REFUSAL = /contains NUL bytes: UTF-16 without a byte order mark.*choose the encoding: .*windows-1252.*utf-16le/;
/** What "auto" says: NUL bytes for UTF-16 without a BOM of Latin text, else "could not be detected". */
const refusalOf = (c: Case): RegExp => (c.label.endsWith('without BOM, English') ? NO_BOM_REFUSAL : REFUSAL);

let dir: string;
let store: SqliteStore;
let app: ReturnType<typeof createApp>;
let agent: ReturnType<typeof request.agent>;
let token: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'encodings-'));
  store = openStore(join(dir, 'data'));
  app = createApp({ store, corpusDir: join(dir, 'none') }, { log: false });
  agent = request.agent(app);
  token = ((await agent.get('/api/csrf')).body as { token: string }).token;
});
afterAll(async () => {
  await (app.locals.jobs as { close(): Promise<void> }).close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const docs = async (): Promise<number> => (await store.listDocuments()).length;
const storedText = async (id: string, c: Case): Promise<string> => {
  const d = await store.getDocument(id);
  return (c.side === 'source' ? d.source : d.target).text;
};

describe('"auto" through the API (base64 texts)', () => {
  for (const c of CASES) {
    it(`${c.label}: ${c.choose ? `refused, then read as ${c.choose}` : 'read'}`, async () => {
      const o = other(c);
      const body = (encoding?: string) => ({
        name: c.label,
        model: 'length',
        sourceLang: c.side === 'source' ? c.lang : o.lang,
        targetLang: c.side === 'target' ? c.lang : o.lang,
        [`${c.side}Base64`]: c.bytes.toString('base64'),
        [c.side === 'source' ? 'target' : 'source']: o.text,
        ...(encoding ? { encoding } : {}),
      });
      const post = (b: object) => agent.post('/api/documents').set('x-csrf-token', token).set('Prefer', 'wait=30').send(b);
      if (c.choose) {
        const before = await docs();
        const refused = await post(body()).expect(422);
        expect((refused.body as { error: string }).error).toMatch(refusalOf(c));
        expect(await docs()).toBe(before);
      }
      const ok = await post(body(c.choose ?? undefined)).expect(201);
      expect(await storedText((ok.body as { id: string }).id, c)).toBe(c.text);
    });
  }
});

describe('"auto" through the import page (uploaded files)', () => {
  for (const c of CASES.filter((x) => x.choose !== null || x.label === 'GB18030')) {
    it(`${c.label}`, async () => {
      const o = other(c);
      const form = (encoding: string) =>
        agent
          .post(`/import?_csrf=${encodeURIComponent(token)}`)
          .field('name', `page ${c.label}`)
          .field('model', 'length')
          .field('sourceLang', c.side === 'source' ? c.lang : o.lang)
          .field('targetLang', c.side === 'target' ? c.lang : o.lang)
          .field(`${c.side}Encoding`, encoding)
          .attach(`${c.side}File`, c.bytes, 'upload.txt')
          .field(`${c.side === 'source' ? 'target' : 'source'}Text`, o.text);
      if (c.choose) {
        const before = await docs();
        const refused = await form('auto').expect(422);
        expect(refused.text).toMatch(c.label.endsWith('without BOM, English') ? /contains NUL bytes/ : /encoding could not be detected/);
        expect(refused.text).toContain('windows-1252');
        expect(await docs()).toBe(before);
        // The form offers the encodings the message names.
        expect(refused.text).toContain(`<option value="${c.choose}"`);
      }
      const ok = await form(c.choose ?? 'auto').expect(303);
      const landing = await landingOf(agent, String(ok.headers.location));
      expect(await storedText(landing.replace('/documents/', ''), c)).toBe(c.text);
    });
  }
});

describe('"auto" through the CLI (files)', () => {
  it('aligns the files auto reads, refuses the others with the list, reads them with --encoding', async () => {
    for (const c of CASES) {
      const o = other(c);
      const fileA = join(dir, `${c.label.replace(/\W+/g, '_')}.txt`);
      const fileB = join(dir, `other-${c.side}.txt`);
      writeFileSync(fileA, c.bytes);
      // One --encoding names the encoding of both files: a UTF-8 file stays UTF-8 under a legacy
      // encoding, but UTF-16 is taken as asked, so the other file is UTF-16 too in that case.
      writeFileSync(fileB, c.choose?.startsWith('utf-16') ? utf16le(o.text, false) : o.text);
      const langs = ['--src-lang', c.lang, '--tgt-lang', o.lang, '--model', 'length', '--format', 'tsv'];
      const auto = await runIn('align', align, [fileA, fileB, ...langs]);
      if (c.choose) {
        expect(auto.code, c.label).toBe(1);
        expect(auto.stderr).toMatch(refusalOf(c));
        const chosen = await runIn('align', align, [fileA, fileB, ...langs, '--encoding', c.choose]);
        expect(chosen.code, `${c.label}: ${chosen.stderr}`).toBe(0);
        expect(chosen.stdout).toContain(c.text.slice(0, 4));
      } else {
        expect(auto.code, `${c.label}: ${auto.stderr}`).toBe(0);
        expect(auto.stdout).toContain(c.text.slice(0, 4));
      }
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type SqliteStore } from '../../server/store/sqlite.js';
import { createApp } from '../../server/web/app.js';
import { errorStatus } from '../../server/web/errors.js';
import { cleanReviewerName, isImportPath, parseCookies, parseMultipart, safeReturnTo } from '../../server/web/security.js';
import { ConflictError, InvalidOperationError, NotFoundError } from '../../server/store/store.js';

describe('security helpers', () => {
  it('parses multipart bodies into fields and files', () => {
    const b = '----x';
    const body = Buffer.from(
      `--${b}\r\nContent-Disposition: form-data; name="name"\r\n\r\n名 <x>\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="zh"; filename="zh.txt"\r\nContent-Type: text/plain\r\n\r\n中文\r\n第二行\r\n` +
        `--${b}\r\nContent-Disposition: form-data; name="empty"; filename=""\r\n\r\n\r\n` +
        `--${b}--\r\n`,
    );
    const { fields, files } = parseMultipart(body, `multipart/form-data; boundary=${b}`);
    expect(fields.name).toBe('名 <x>');
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ field: 'zh', filename: 'zh.txt', contentType: 'text/plain' });
    expect(files[0]!.data.toString('utf8')).toBe('中文\r\n第二行');
    expect(() => parseMultipart(body, 'multipart/form-data')).toThrow(/boundary/);
    expect(() => parseMultipart(Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end`), `multipart/form-data; boundary=${b}`)).toThrow(/unterminated/);
  });

  it('parses cookies, cleans reviewer names, keeps redirects local', () => {
    expect(parseCookies('a=1; b=%E5%90%8D; c="q"')).toEqual({ a: '1', b: '名', c: 'q' });
    expect(cleanReviewerName('  Ann   Lee ')).toBe('Ann Lee');
    expect(cleanReviewerName('x'.repeat(81))).toBeNull();
    expect(cleanReviewerName('a\u0000b')).toBeNull();
    expect(safeReturnTo('/docs/d1?x=1#b-b2')).toBe('/docs/d1?x=1#b-b2');
    for (const bad of ['//evil.example', 'https://evil.example/', '/\\evil', 'javascript:alert(1)', 5]) expect(safeReturnTo(bad)).toBe('/');
  });

  it('gives the large body limit to import routes only', () => {
    expect(isImportPath('POST', '/api/documents')).toBe(true);
    expect(isImportPath('POST', '/import')).toBe(true);
    expect(isImportPath('POST', '/docs/d1/versions/import')).toBe(true);
    expect(isImportPath('POST', '/api/documents/d1/versions')).toBe(true);
    expect(isImportPath('POST', '/import/file')).toBe(true);
    expect(isImportPath('POST', '/glossaries/import')).toBe(true);
    expect(isImportPath('POST', '/api/documents/d1/ops')).toBe(false);
    expect(isImportPath('GET', '/import')).toBe(false);
  });

  it('maps errors to statuses', () => {
    expect(errorStatus(new ConflictError('c', 1, []))).toBe(409);
    expect(errorStatus(new NotFoundError('n'))).toBe(404);
    expect(errorStatus(new InvalidOperationError('i'))).toBe(422);
    expect(errorStatus({ type: 'entity.too.large', status: 413 })).toBe(413);
    expect(errorStatus(new Error('boom'))).toBe(500);
  });
});

describe('app shell', () => {
  let dir: string;
  let store: SqliteStore;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'app-test-'));
    store = openStore(dir);
  });
  afterAll(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets the reviewer cookie from the form and redirects to a local page only', async () => {
    const app = createApp({ store, corpusDir: dir }, { log: false });
    const agent = request.agent(app);
    const token = ((await agent.get('/api/csrf')).body as { token: string }).token;
    const res = await agent.post('/reviewer').type('form').send({ _csrf: token, name: 'Bo', returnTo: '//evil.example/' }).expect(303);
    expect(res.headers.location).toBe('/');
    expect(String(res.headers['set-cookie'])).toMatch(/bt_reviewer=Bo;.*HttpOnly; SameSite=Strict/);
    const ok = await agent.post('/reviewer').type('form').send({ _csrf: token, name: 'Bo', returnTo: '/docs/x' }).expect(303);
    expect(ok.headers.location).toBe('/docs/x');
    await agent.post('/reviewer').type('form').send({ name: 'Bo' }).expect(403);
  });

  it('answers HTML errors escaped, with the security headers', async () => {
    const app = createApp({ store, corpusDir: dir }, { log: false });
    const res = await request(app).get('/no/<script>alert(1)</script>').set('Accept', 'text/html').expect(404);
    expect(res.headers['content-type']).toMatch(/html/);
    expect(res.text).not.toContain('<script>alert(1)</script>');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
  });


  it('keeps the CSRF secret across restarts (the server key is kept in the store)', async () => {
    const a = request.agent(createApp({ store, corpusDir: dir }, { log: false }));
    const res = await a.get('/api/csrf');
    const cookie = String(res.headers['set-cookie']).split(';')[0]!;
    const token = (res.body as { token: string }).token;
    const b = createApp({ store, corpusDir: dir }, { log: false });
    const again = await request(b).get('/api/csrf').set('Cookie', cookie);
    expect((again.body as { token: string }).token).toBe(token);
  });
});

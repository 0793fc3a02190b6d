/** route(): each route's params, query and body parsed once from its schemas; what does not fit is a 400 or 422 naming the field. */
import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { errorHandler } from '../../server/web/errors.js';
import { documentParams, formRevision, jsonRevision } from '../../server/web/schemas.js';
import { fields, required, route } from '../../server/web/validate.js';

function app(): express.Express {
  const a = express();
  a.use(express.json());
  a.use(express.urlencoded({ extended: false }));
  a.post(
    '/things/:id',
    route(
      {
        params: documentParams,
        query: z.object({ n: z.string().regex(/^\d+$/, '"n" must be digits').transform(Number).optional() }),
        body: fields({ name: required(z.string().max(5, '"name" is longer than 5 characters.'), 'The thing needs a name (field "name").'), baseRevision: jsonRevision }),
      },
      ({ params, query, body }, _req, res) => {
        // The handler sees parsed values: a number stays a number, the id is checked.
        res.json({ id: params.id, n: query.n ?? null, name: body.name, baseRevision: body.baseRevision ?? null });
      },
    ),
  );
  a.post(
    '/form',
    route({ body: z.object({ baseRevision: formRevision }) }, ({ body }, _req, res) => {
      res.json({ baseRevision: body.baseRevision ?? null });
    }),
  );
  a.get(
    '/fails',
    route({}, async () => {
      throw new Error('boom');
    }),
  );
  a.use(errorHandler({ log: false }));
  return a;
}

const errorOf = (res: request.Response): string => (res.body as { error: string }).error;
/** A POST asking for JSON answers (errors included). */
const post = (url: string) => request(app()).post(url).set('Accept', 'application/json');

describe('route()', () => {
  it('hands the parsed params, query and body to the handler', async () => {
    const res = await post('/things/d1?n=7').send({ name: 'ab', baseRevision: 3 }).expect(200);
    expect(res.body).toEqual({ id: 'd1', n: 7, name: 'ab', baseRevision: 3 });
    const form = await post('/form').type('form').send({ baseRevision: '12' }).expect(200);
    expect(form.body).toEqual({ baseRevision: 12 });
    expect((await post('/form').type('form').send({ baseRevision: '' }).expect(200)).body).toEqual({ baseRevision: null });
  });

  it('answers 400 naming the field for a wrong type, an unknown field, a bad id or query', async () => {
    expect(errorOf(await post('/things/d1').send({ name: 'ab', baseRevision: 'x' }).expect(400))).toBe('"baseRevision" must be a non-negative integer.');
    expect(errorOf(await post('/things/d1').send({ name: 'ab', color: 'red' }).expect(400))).toBe('Unknown field "color" (allowed: name, baseRevision).');
    expect(errorOf(await post('/things/..%2Fetc').send({ name: 'ab' }).expect(400))).toBe('Invalid document id.');
    expect(errorOf(await post('/things/d1?n=x').send({ name: 'ab' }).expect(400))).toBe('"n" must be digits');
    expect(errorOf(await post('/things/d1').send({ name: 'abcdefg' }).expect(400))).toBe('"name" is longer than 5 characters.');
    expect(errorOf(await post('/form').type('form').send({ baseRevision: '1x' }).expect(400))).toBe('"baseRevision" must be a whole number.');
    expect(errorOf(await post('/things/d1').send([1, 2]).expect(400))).toBe('The request body must be a JSON object or a form.');
  });

  it('answers 422 when only a required value is missing or empty, 400 when something is also malformed', async () => {
    expect(errorOf(await post('/things/d1').send({}).expect(422))).toBe('The thing needs a name (field "name").');
    await post('/things/d1').send({ name: '' }).expect(422);
    await post('/things/d1').send({ name: null }).expect(422);
    await post('/things/d1').send({ baseRevision: -1 }).expect(400);
  });

  it('passes a rejected handler to the error handler (Express 5)', async () => {
    await request(app()).get('/fails').set('Accept', 'application/json').expect(500);
  });
});

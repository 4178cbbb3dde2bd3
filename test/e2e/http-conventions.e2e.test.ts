import { randomUUID } from 'node:crypto';
import { TestApp, expectProblem } from '../support/test-app.js';

/** The bad-input table of the API conventions: each gets its status and a problem+json body, and stores nothing. */
describe('HTTP conventions', () => {
  let t: TestApp;
  let keysBefore: string[];

  beforeAll(async () => {
    t = await TestApp.start({ bodyLimitBytes: 2048 });
  });
  afterAll(() => t.close());
  beforeEach(async () => {
    keysBefore = await t.storedKeys();
  });

  const register = () => t.http().post('/v1/auth/register');

  async function expectNothingStored() {
    expect(await t.storedKeys()).toEqual(keysBefore);
  }

  it('rejects unknown properties with 400 naming the field', async () => {
    const res = await register().send({ email: 'a@example.com', password: 'long enough', name: 'A', isAdmin: true });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'isAdmin', message: expect.stringContaining('should not exist') }]);
    await expectNothingStored();
  });

  it('rejects wrong types with 400 naming each field', async () => {
    const res = await register().send({ email: 42, password: ['x'], name: {} });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const fields = new Set(res.body.errors.map((e: { field: string }) => e.field));
    expect(fields).toEqual(new Set(['email', 'password', 'name']));
    await expectNothingStored();
  });

  it('rejects missing required fields', async () => {
    const res = await register().send({});
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining(['email', 'password', 'name']),
    );
  });

  it('rejects malformed JSON with 400', async () => {
    const res = await register().set('Content-Type', 'application/json').send('{"email": "a@example.com",');
    expectProblem(res, 400, 'MALFORMED_REQUEST');
    await expectNothingStored();
  });

  it.each([
    ['an array', '[1,2]'],
    ['null', 'null'],
    ['a string', '"text"'],
  ])('rejects %s as a body with 400', async (_, body) => {
    const res = await register().set('Content-Type', 'application/json').send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('rejects __proto__ and constructor keys (prototype poisoning) with 400', async () => {
    for (const body of ['{"__proto__": {"role": "admin"}}', '{"constructor": {"prototype": {"role": "admin"}}}']) {
      const res = await register().set('Content-Type', 'application/json').send(body);
      expectProblem(res, 400, 'MALFORMED_REQUEST');
    }
    await expectNothingStored();
  });

  it('treats an empty JSON body as no body: a 400 naming the body, not a parse error', async () => {
    const res = await register().set('Content-Type', 'application/json').send('');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: 'body', message: 'must be a JSON object' }]);
  });

  it('rejects deeply nested JSON with 400 instead of overflowing a validator', async () => {
    const deep = '['.repeat(900) + ']'.repeat(900);
    const res = await t
      .http()
      .post('/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(`{"email":"a@example.com","password":${deep}}`);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors[0].field).toBe('body');
  });

  it('rejects a body over the limit with 413', async () => {
    const res = await register().send({ email: 'a@example.com', password: 'long enough', name: 'x'.repeat(4096) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
    await expectNothingStored();
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml'])(
    'rejects %s bodies with 415',
    async (type) => {
      const res = await register().set('Content-Type', type).send('email=a@example.com');
      expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
      await expectNothingStored();
    },
  );

  it('rejects non-UUID path ids with 400 naming the parameter, never 500', async () => {
    const admin = await t.register('admin');
    for (const id of ['123', 'not-a-uuid', `${randomUUID()}x`, "1' OR '1'='1", '%00']) {
      const res = await t
        .http()
        .get(`/v1/users/${encodeURIComponent(id)}`)
        .set(admin.auth);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'userId', message: 'must be a UUID' }]);
    }
  });

  it('answers an over-long path segment with 414 problem+json (the router refuses it before any route)', async () => {
    const res = await t.http().get(`/v1/users/${'a'.repeat(300)}`);
    expectProblem(res, 414, 'URI_TOO_LONG');
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await t.http().get('/v1/no-such-thing');
    expectProblem(res, 404, 'NOT_FOUND');
    expect(res.body.instance).toBe('/v1/no-such-thing');
  });

  it('echoes a given X-Request-Id and makes one when absent or unsafe', async () => {
    const given = await t.http().get('/health/live').set('X-Request-Id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.http().get('/health/live');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await t.http().get('/health/live').set('X-Request-Id', 'a b\tc{}');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const problem = await t.http().get('/v1/auth/me').set('X-Request-Id', 'req-42');
    expect(problem.body.requestId).toBe('req-42');
  });

  it('reports liveness and readiness', async () => {
    expect((await t.http().get('/health/live')).body).toEqual({ status: 'ok' });
    expect((await t.http().get('/health/ready')).body).toEqual({ status: 'ok', redis: 'up' });
  });
});

import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

/**
 * A body nested thousands of levels deep (a few KB) on an @Idempotent route with an Idempotency-Key: the JSON body
 * parser refuses anything deeper than 16 levels (app.factory.ts) before the idempotency hook fingerprints the body
 * with its recursive canonical(), so the recursion never sees such a body (without that limit this answers 500).
 */
describe('Idempotency-Key with a deeply nested body (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const DEPTH = 5000;

  it('answers 400 problem+json, not 500, and a retry with the key answers the same', async () => {
    const body = `{"name":"Deep","numberOfSeats":10,"extra":${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}}`;
    const send = () =>
      t
        .http()
        .post('/v1/events')
        .set(manager.auth)
        .set('Idempotency-Key', 'deep-body-1')
        .set('content-type', 'application/json')
        .send(body);
    const res = await send();
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await send()).status).toBe(400);
    // And the key is free for a good request after the refusal.
    const ok = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .set('Idempotency-Key', 'deep-body-1')
      .send({ name: 'Shallow', numberOfSeats: 10 });
    expect(ok.status).toBe(201);
  });
});

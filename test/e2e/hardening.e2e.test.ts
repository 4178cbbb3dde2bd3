import { randomUUID } from 'node:crypto';
import { TestApp, expectProblem } from '../support/test-app.js';

describe('hardening: security headers, CORS, brute-force limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({
      authRateLimitPerMinute: 3,
      corsOrigins: ['https://app.example.com'],
      trustProxyHops: 1,
    });
  });
  afterAll(() => t.close());

  it('sends helmet’s security headers on answers and errors alike', async () => {
    for (const res of [await t.http().get('/health/live'), await t.http().get('/v1/no-such-route')]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('allows only the configured browser origins', async () => {
    const allowed = await t
      .http()
      .options('/v1/events')
      .set('Origin', 'https://app.example.com')
      .set('Access-Control-Request-Method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await t.http().get('/v1/events').set('Origin', 'https://evil.example.com');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits login attempts per client address, with Retry-After, across the login and register routes', async () => {
    const client = { 'X-Forwarded-For': '203.0.113.7' };
    const attempt = () =>
      t
        .http()
        .post('/v1/auth/login')
        .set(client)
        .send({ email: `${randomUUID()}@example.com`, password: 'wrong password' });
    for (let i = 0; i < 3; i++) expectProblem(await attempt(), 401, 'INVALID_CREDENTIALS');
    const limited = await attempt();
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    const register = await t
      .http()
      .post('/v1/auth/register')
      .set(client)
      .send({ email: `${randomUUID()}@example.com`, password: 'long enough', name: 'X' });
    expectProblem(register, 429, 'RATE_LIMITED');
    // Another address has its own budget.
    const other = await t
      .http()
      .post('/v1/auth/login')
      .set('X-Forwarded-For', '203.0.113.8')
      .send({ email: 'a@example.com', password: 'wrong password' });
    expectProblem(other, 401, 'INVALID_CREDENTIALS');
  });
});

describe('hardening: fields that are not the client’s to set', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const id = randomUUID();
  const cases: [string, string, Record<string, unknown>, string][] = [
    [
      'POST',
      '/v1/auth/register',
      { email: 'x@example.com', password: 'long enough pw', name: 'X', role: 'admin' },
      'role',
    ],
    [
      'POST',
      '/v1/auth/register',
      { email: 'y@example.com', password: 'long enough pw', name: 'Y', role: 'manager' },
      'role',
    ],
    ['POST', '/v1/auth/register', { email: 'z@example.com', password: 'x'.repeat(129), name: 'Z' }, 'password'],
    ['POST', '/v1/appointments', { slotId: id, status: 'confirmed' }, 'status'],
    ['POST', '/v1/appointments', { slotId: id, userId: id }, 'userId'],
    ['POST', `/v1/events/${id}/holds`, { seatIds: [id], userId: id }, 'userId'],
    [
      'POST',
      `/v1/restaurants/${id}/reservations`,
      { start: '2030-02-01T19:00:00Z', partySize: 2, status: 'booked' },
      'status',
    ],
    [
      'POST',
      `/v1/restaurants/${id}/reservations`,
      { start: '2030-02-01T19:00:00Z', partySize: 2, userId: id },
      'userId',
    ],
  ];

  it.each(cases)('%s %s refuses %j naming %s, and stores nothing', async (method, path, body, field) => {
    const res = await t.http()[method.toLowerCase() as 'post'](path).set(t.bearer().auth).send(body);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(res.body)).toContain(field);
    expect(await t.storedKeys()).toEqual([]);
  });
});

import { randomUUID } from 'node:crypto';
import { TestApp, expectProblem } from '../support/test-app.js';

describe('auth (HTTP)', () => {
  let t: TestApp;
  const password = 'correct horse battery';

  beforeAll(async () => {
    // Strict rotation, so that a replayed refresh token is theft at once; the reuse grace has its own file
    // (refresh-reuse-grace.e2e.test.ts).
    t = await TestApp.start({ accessTokenTtlSeconds: 60, refreshReuseGraceSeconds: 0 });
  });
  afterAll(() => t.close());

  const newEmail = () => `${randomUUID()}@Example.com`;

  async function register(email = newEmail(), role?: string) {
    return t
      .http()
      .post('/v1/auth/register')
      .send({ email, password, name: 'Ada', ...(role ? { role } : {}) });
  }

  it('registers a customer and answers like login', async () => {
    const email = newEmail();
    const res = await register(email);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      tokenType: 'Bearer',
      expiresIn: 60,
      user: {
        id: expect.any(String),
        email: email.toLowerCase(),
        name: 'Ada',
        role: 'customer',
        createdAt: expect.any(String),
      },
    });
    expect(res.body.user).not.toHaveProperty('passwordHash');
  });

  it('registers a provider when asked', async () => {
    const res = await register(newEmail(), 'provider');
    expect(res.status).toBe(201);
    expect(res.body.user.role).toBe('provider');
  });

  it.each(['manager', 'admin', 'root'])('refuses to self-register as %s', async (role) => {
    const email = newEmail();
    const res = await register(email, role);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'role' })]);
    const login = await t.http().post('/v1/auth/login').send({ email, password });
    expectProblem(login, 401, 'INVALID_CREDENTIALS');
  });

  it('refuses a duplicate email, whatever its case', async () => {
    const email = newEmail();
    expect((await register(email)).status).toBe(201);
    expectProblem(await register(email.toUpperCase()), 409, 'EMAIL_TAKEN');
  });

  it('lets exactly one of many concurrent registrations of one email win', async () => {
    const email = newEmail();
    const results = await Promise.all(Array.from({ length: 20 }, () => register(email)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
  });

  it('logs in, and fails alike for an unknown email and a wrong password', async () => {
    const email = newEmail();
    await register(email);
    const ok = await t.http().post('/v1/auth/login').send({ email, password });
    expect(ok.status).toBe(200);
    expect(ok.body.user.email).toBe(email.toLowerCase());

    const wrong = await t.http().post('/v1/auth/login').send({ email, password: 'not the password' });
    const unknown = await t.http().post('/v1/auth/login').send({ email: newEmail(), password });
    expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
    expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('refuses passwords shorter than 8 or longer than 128 characters', async () => {
    for (const bad of ['short', 'x'.repeat(129)]) {
      const res = await t.http().post('/v1/auth/register').send({ email: newEmail(), password: bad, name: 'Ada' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain('password');
    }
  });

  it('GET /auth/me needs a valid access token', async () => {
    const { body } = await register();
    const me = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${body.accessToken}`);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: body.user.id, role: 'customer' });

    expectProblem(await t.http().get('/v1/auth/me'), 401, 'UNAUTHORIZED');
    expectProblem(await t.http().get('/v1/auth/me').set('Authorization', 'Bearer nonsense'), 401, 'UNAUTHORIZED');
    expectProblem(await t.http().get('/v1/auth/me').set('Authorization', body.accessToken), 401, 'UNAUTHORIZED');
    // A refresh token is never an access token.
    const asAccess = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${body.refreshToken}`);
    expectProblem(asAccess, 401, 'UNAUTHORIZED');
  });

  it('refuses an access token once it has expired (clock moved past exp)', async () => {
    const { body } = await register();
    t.clock.advance(59_000);
    expect((await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${body.accessToken}`)).status).toBe(200);
    t.clock.advance(2_000);
    const res = await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${body.accessToken}`);
    expectProblem(res, 401, 'UNAUTHORIZED');
  });

  it('refuses a token signed with another secret or with alg none', async () => {
    const { body } = await register();
    const [header, payload] = body.accessToken.split('.');
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    expectProblem(await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${none}`), 401, 'UNAUTHORIZED');
    const forged = `${header}.${payload}.${Buffer.from('x'.repeat(32)).toString('base64url')}`;
    expectProblem(await t.http().get('/v1/auth/me').set('Authorization', `Bearer ${forged}`), 401, 'UNAUTHORIZED');
  });

  it('rotates refresh tokens: each refresh returns a new token that works in turn', async () => {
    const { body } = await register();
    const first = await t.http().post('/v1/auth/refresh').send({ refreshToken: body.refreshToken });
    expect(first.status).toBe(200);
    expect(first.body.refreshToken).not.toBe(body.refreshToken);
    expect(first.body.user.id).toBe(body.user.id);

    const second = await t.http().post('/v1/auth/refresh').send({ refreshToken: first.body.refreshToken });
    expect(second.status).toBe(200);
  });

  it('revokes the whole family when a used refresh token comes back', async () => {
    const { body } = await register();
    const rotated = await t.http().post('/v1/auth/refresh').send({ refreshToken: body.refreshToken });
    expect(rotated.status).toBe(200);

    const replay = await t.http().post('/v1/auth/refresh').send({ refreshToken: body.refreshToken });
    expectProblem(replay, 401, 'INVALID_REFRESH_TOKEN');
    // The newest token of that family is dead too.
    const newest = await t.http().post('/v1/auth/refresh').send({ refreshToken: rotated.body.refreshToken });
    expectProblem(newest, 401, 'INVALID_REFRESH_TOKEN');
  });

  it('lets at most one of many concurrent refreshes of one token succeed', async () => {
    const { body } = await register();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => t.http().post('/v1/auth/refresh').send({ refreshToken: body.refreshToken })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 401)).toHaveLength(19);
  });

  it('logs out: the refresh token stops working', async () => {
    const { body } = await register();
    const out = await t.http().post('/v1/auth/logout').send({ refreshToken: body.refreshToken });
    expect(out.status).toBe(204);
    const res = await t.http().post('/v1/auth/refresh').send({ refreshToken: body.refreshToken });
    expectProblem(res, 401, 'INVALID_REFRESH_TOKEN');
  });

  it('refuses malformed or unknown refresh tokens', async () => {
    for (const refreshToken of ['garbage', `${randomUUID()}.${'A'.repeat(43)}`, '']) {
      expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken }), 401, 'INVALID_REFRESH_TOKEN');
    }
    expectProblem(await t.http().post('/v1/auth/refresh').send({ refreshToken: 5 }), 400, 'VALIDATION_FAILED');
  });

  describe('roles', () => {
    it('lets an admin grant a role, which shows after a refresh', async () => {
      const admin = await t.register('admin');
      const { body } = await register();
      const res = await t.http().patch(`/v1/users/${body.user.id}`).set(admin.auth).send({ role: 'manager' });
      expect(res.status).toBe(200);
      expect(res.body.role).toBe('manager');
      const refreshed = await t.http().post('/v1/auth/refresh').send({ refreshToken: body.refreshToken });
      expect(refreshed.body.user.role).toBe('manager');
    });

    it('answers 403 to a customer and 401 to anonymous on admin routes', async () => {
      const customer = await t.register('customer');
      const target = randomUUID();
      const forbidden = await t.http().patch(`/v1/users/${target}`).set(customer.auth).send({ role: 'admin' });
      expectProblem(forbidden, 403, 'FORBIDDEN');
      expectProblem(await t.http().patch(`/v1/users/${target}`).send({ role: 'admin' }), 401, 'UNAUTHORIZED');
    });

    it('answers 404 for an unknown user and 400 for an unknown role', async () => {
      const admin = await t.register('admin');
      const missing = await t.http().patch(`/v1/users/${randomUUID()}`).set(admin.auth).send({ role: 'manager' });
      expectProblem(missing, 404, 'NOT_FOUND');
      const badRole = await t.http().patch(`/v1/users/${admin.id}`).set(admin.auth).send({ role: 'king' });
      expectProblem(badRole, 400, 'VALIDATION_FAILED');
    });
  });
});

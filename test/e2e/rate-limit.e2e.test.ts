import { RateLimitsRepository } from '../../src/auth/rate-limits.repository.js';
import { RequestRateLimiter } from '../../src/auth/request-rate-limiter.js';
import { ManualClock } from '../../src/common/clock.js';
import { TestApp, expectProblem } from '../support/test-app.js';

/** The general per-client limit, shared by two instances through Redis (synced by hand here, on a timer in service). */
describe('general rate limit across instances', () => {
  const T0 = Date.parse('2030-01-01T10:00:00Z');
  const clock = new ManualClock(T0);
  let a: TestApp;
  let b: TestApp;
  const limit = 10;
  const sync = (t: TestApp) => t.app.get(RequestRateLimiter).sync();

  beforeAll(async () => {
    const config = { rateLimitPerMinute: limit, rateLimitSyncMs: 0, accessTokenTtlSeconds: 86_400 };
    a = await TestApp.start(config, clock);
    b = await TestApp.start({ ...config, redisKeyPrefix: a.config.redisKeyPrefix }, clock);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });
  beforeEach(() => clock.set(clock.now() - (clock.now() % 60_000) + 60_000 + 15_000));

  it('counts a signed-in user over both instances and answers 429 problem+json with Retry-After', async () => {
    const user = a.bearer();
    const get = (t: TestApp) => t.http().get('/v1/users/me/holds').set(user.auth);
    for (let i = 0; i < 6; i++) expect((await get(a)).status).toBe(200);
    await sync(a);
    for (let i = 0; i < 4; i++) expect((await get(b)).status).toBe(200);
    await sync(b);

    // b now knows the total (10): refused, with the seconds until the minute ends (45 s in).
    const refused = await get(b);
    expectProblem(refused, 429, 'RATE_LIMITED');
    expect(refused.headers['retry-after']).toBe('45');
    // a learns it at its next sync: what it let through meanwhile is the bounded overshoot.
    expect((await get(a)).status).toBe(200);
    await sync(a);
    expectProblem(await get(a), 429, 'RATE_LIMITED');

    // Another user is not affected, and the next minute starts afresh.
    expect((await a.http().get('/v1/users/me/holds').set(a.bearer().auth)).status).toBe(200);
    clock.advance(60_000);
    expect((await get(b)).status).toBe(200);
  });

  it('counts anonymous callers by address; health checks and metrics are not counted', async () => {
    for (let i = 0; i < limit; i++) expect((await a.http().get('/v1/events')).status).toBe(200);
    expectProblem(await a.http().get('/v1/events'), 429, 'RATE_LIMITED');
    for (let i = 0; i < limit * 2; i++) expect((await a.http().get('/health/live')).status).toBe(200);
    // A signed-in caller from the same address has its own count.
    expect((await a.http().get('/v1/events').set(a.bearer().auth)).status).toBe(200);
  });

  it('keeps limiting on what an instance sees when Redis cannot be reached for the sync', async () => {
    const user = a.bearer();
    const down = await TestApp.start(
      { rateLimitPerMinute: limit, rateLimitSyncMs: 0, redisUrl: 'redis://127.0.0.1:1', redisCommandTimeoutMs: 100 },
      clock,
    );
    try {
      const token = { Authorization: `Bearer ${down.bearer(user.id).auth.Authorization.slice(7)}` };
      // Health is not limited; a route that needs no Redis shows the limit working without it.
      for (let i = 0; i < limit; i++) await down.http().get('/v1/users/me/holds').set(token);
      await sync(down);
      expectProblem(await down.http().get('/v1/users/me/holds').set(token), 429, 'RATE_LIMITED');
    } finally {
      await down.close();
    }
  });

  it('counts a report delivered twice or late once (ioredis re-sends after a reconnect)', async () => {
    const counters = a.app.get(RateLimitsRepository);
    const report = (instance: string, count: number) => counters.report('api:test', 'client', instance, count, 60_000);
    expect(await report('i1', 5)).toBe(5);
    expect(await report('i1', 5)).toBe(5);
    expect(await report('i2', 3)).toBe(8);
    expect(await report('i1', 4)).toBe(8); // an older report arriving late
    expect(await report('i1', 7)).toBe(10);
  });
});

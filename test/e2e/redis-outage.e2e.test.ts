import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import type { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

/** A Redis of this file's own, so it can be missing, started late and frozen without disturbing other files. */
describe('Redis outages', () => {
  let t: TestApp;
  let port: number;
  let redis: EmbeddedRedis | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'outage-'));

  beforeAll(async () => {
    port = await freePort();
    t = await TestApp.start({
      redisUrl: `redis://127.0.0.1:${port}`,
      redisCommandTimeoutMs: 300,
      retryAfterSeconds: 3,
    });
  });
  afterAll(async () => {
    await t.close();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const login = () =>
    t.http().post('/v1/auth/login').timeout(5000).send({ email: 'nobody@example.com', password: 'whatever1' });

  it('answers 503 with Retry-After while Redis is not running, and stays live', async () => {
    expect((await t.http().get('/health/live')).status).toBe(200);
    const ready = await t.http().get('/health/ready').timeout(5000);
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'unavailable', redis: 'down' });

    const res = await login();
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('3');
    expect(JSON.stringify(res.body)).not.toMatch(/ECONNREFUSED|ioredis|127\.0\.0\.1/);
  });

  it('recovers by itself once Redis comes up, without a restart', async () => {
    redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, port);
    await eventually(async () => expect((await t.http().get('/health/ready')).status).toBe(200), 8000);
    const account = await t.register();
    expect(account.id).toBeDefined();
  });

  it('answers 503 instead of hanging while Redis is frozen, and recovers after', async () => {
    const account = await t.register();
    redis!.process.kill('SIGSTOP');
    try {
      const res = await t.http().get('/v1/auth/me').set(account.auth).timeout(5000);
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    } finally {
      redis!.process.kill('SIGCONT');
    }
    await eventually(async () => expect((await t.http().get('/v1/auth/me').set(account.auth)).status).toBe(200), 8000);
  });
});

import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort, startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import type { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { ROOT, builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { killService, spawnService } from '../support/service.js';
import { testRedisUrl } from '../support/test-app.js';

/** The built service started as it is in production, with a first admin to create. */
describe('readiness of a fresh start with ADMIN_EMAIL', () => {
  const admin = { email: `admin-${randomUUID().slice(0, 8)}@startup.test`, password: 'startup admin password' };
  const dataDir = mkdtempSync(join(tmpdir(), 'startup-'));
  const services: ChildProcess[] = [];
  let redis: EmbeddedRedis | undefined;

  beforeAll(() => builtMain(), 180_000);
  afterAll(async () => {
    await Promise.all(services.map(killService));
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Starts the service; `log()` is what it wrote so far. */
  async function start(redisUrl: string) {
    const port = await freePort();
    let output = '';
    const service = spawnService(
      join(ROOT, 'dist', 'main.js'),
      {
        PORT: String(port),
        REDIS_URL: redisUrl,
        REDIS_KEY_PREFIX: `startup:${randomUUID().slice(0, 8)}:`,
        ADMIN_EMAIL: admin.email,
        ADMIN_PASSWORD: admin.password,
        LOG_LEVEL: 'info',
      },
      (chunk) => (output += chunk),
    );
    services.push(service);
    return { http: () => request(`http://127.0.0.1:${port}`), log: () => output };
  }

  /** Waits for the first 200 from /health/ready, asking as often as a tight orchestrator would. */
  async function firstReady(service: Awaited<ReturnType<typeof start>>): Promise<void> {
    await eventually(async () => expect((await service.http().get('/health/ready')).status).toBe(200), 60_000, 5).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nservice output:\n${service.log()}`);
      },
    );
  }

  async function expectAdminLogin(service: Awaited<ReturnType<typeof start>>): Promise<void> {
    const login = await service.http().post('/v1/auth/login').send(admin);
    expect({ status: login.status, role: login.body.user?.role }).toEqual({ status: 200, role: 'admin' });
  }

  it('says 200 only once the configured admin can log in', async () => {
    const service = await start(testRedisUrl());
    await firstReady(service);
    await expectAdminLogin(service);
  }, 90_000);

  it('started before its Redis: stays 503 after Redis comes up until the admin exists', async () => {
    const port = await freePort();
    const service = await start(`redis://127.0.0.1:${port}`);
    // The first attempt to create the admin has failed (nothing listens on that port yet) ...
    await eventually(async () => expect(service.log()).toMatch(/admin bootstrap failed/), 60_000);
    const early = await service.http().get('/health/ready');
    expect({ status: early.status, body: early.body }).toEqual({
      status: 503,
      body: { status: 'unavailable', redis: 'down' },
    });
    // ... then Redis comes up: readiness must not turn 200 before the next attempt has created the admin.
    redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, port, false);
    await firstReady(service);
    await expectAdminLogin(service);
  }, 90_000);
});

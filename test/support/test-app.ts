import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import type { Response } from 'supertest';
import { createApp } from '../../src/app.factory.js';
import { AccessTokens } from '../../src/auth/access-tokens.js';
import { AdminBootstrap } from '../../src/auth/admin-bootstrap.js';
import { ManualClock } from '../../src/common/clock.js';
import { AppConfig } from '../../src/config/app-config.js';
import { RedisClient, masterNodes } from '../../src/redis/redis-client.js';
import type { Role } from '../../src/users/user.js';
import { UsersRepository } from '../../src/users/users.repository.js';

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256';

/** The one Redis of the run (also under `npm run test:cluster`, for tests about a single Redis). */
/** The password `TestApp.register` gives every account. */
export const TEST_PASSWORD = 'correct horse battery';

export function testRedisUrl(): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run the tests through npm test');
  return url;
}

/** Set under `npm run test:cluster`: the seed nodes of the local Redis Cluster the suites run against. */
export function testClusterNodes(): string[] {
  return process.env.TEST_REDIS_CLUSTER_NODES?.split(',') ?? [];
}

/** A config for one test file: its own key prefix on the shared Redis, quiet logs, a fixed secret. */
export function testConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  // A test that brings its own redis-server (redisUrl) gets it even in the cluster run.
  const clusterNodes = overrides.redisUrl ? [] : testClusterNodes();
  return AppConfig.from({
    redisUrl: overrides.redisUrl ?? (clusterNodes.length > 0 ? undefined : testRedisUrl()),
    redisClusterNodes: clusterNodes,
    redisKeyPrefix: `test:${randomUUID().slice(0, 8)}:`,
    jwtSecret: TEST_JWT_SECRET,
    // TEST_LOG_LEVEL=error npm test -- <file> shows what the app logs while a test fails.
    logLevel: (process.env.TEST_LOG_LEVEL as AppConfig['logLevel'] | undefined) ?? 'silent',
    // Background work is off unless a test asks for it, so that what a test observes is what it caused.
    holdSweepIntervalMs: 0,
    appointmentSweepIntervalMs: 0,
    reminderWorker: 'off',
    outboxRelay: false,
    // Every test registers its users from 127.0.0.1; the brute-force limit has its own test.
    authRateLimitPerMinute: 100_000,
    // Likewise the general limit: races send hundreds of requests from one address; it has its own test.
    rateLimitPerMinute: 0,
    // Tests share two cores with other work: a slow answer is not an outage. Fault tests set their own timeout.
    redisCommandTimeoutMs: 10_000,
    ...overrides,
  });
}

export interface Account {
  readonly id: string;
  readonly email: string;
  readonly token: string;
  readonly refreshToken: string;
  readonly auth: { Authorization: string };
}

/** The real application listening on a loopback port, with a clock the test can move. */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly url: string,
    readonly config: AppConfig,
    readonly clock: ManualClock,
  ) {}

  static async start(overrides: Partial<AppConfig> = {}, clock = new ManualClock()): Promise<TestApp> {
    const config = testConfig(overrides);
    const app = await createApp(config, { clock });
    // The start-up work (email migration, admin) writes to the keyspace: let it end first, so that what a test
    // observes is what it caused. When Redis is down it fails fast and retries in the background.
    await app.get(AdminBootstrap).firstAttempt;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address();
    if (!address || typeof address === 'string') throw new Error('no address');
    return new TestApp(app, `http://127.0.0.1:${address.port}`, config, clock);
  }

  http() {
    return request(this.url);
  }

  get redis(): RedisClient {
    return this.app.get(RedisClient);
  }

  /** Registers through the API; roles above provider are granted through the repository, as an admin would. */
  async register(role: Role = 'customer', name = 'Test User'): Promise<Account> {
    const email = `${randomUUID()}@example.com`;
    const password = TEST_PASSWORD;
    const selfService = role === 'customer' || role === 'provider';
    const res = await this.http()
      .post('/v1/auth/register')
      .send({ email, password, name, role: selfService ? role : 'customer' });
    if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
    let session = res.body as { accessToken: string; refreshToken: string; user: { id: string } };
    if (!selfService) {
      await this.app.get(UsersRepository).setRole(session.user.id, role);
      session = (await this.http().post('/v1/auth/login').send({ email, password })).body;
    }
    return {
      id: session.user.id,
      email,
      token: session.accessToken,
      refreshToken: session.refreshToken,
      auth: { Authorization: `Bearer ${session.accessToken}` },
    };
  }

  /** A signed access token for a user id that needs no account (race tests with hundreds of distinct users). */
  bearer(userId: string = randomUUID(), role: Role = 'customer'): { id: string; auth: { Authorization: string } } {
    const token = this.app.get(AccessTokens).sign({ id: userId, role });
    return { id: userId, auth: { Authorization: `Bearer ${token}` } };
  }

  /** The Redis commands the app sends while `work` runs (names only): proves how many round trips a route costs. */
  async commandsDuring(work: () => Promise<unknown>): Promise<string[]> {
    const redis = this.redis;
    const send = redis.sendCommand.bind(redis);
    const seen: string[] = [];
    // Every argument is passed on: a cluster client routes a transaction's commands by the extra ones.
    redis.sendCommand = ((command: { name: string }, ...rest: unknown[]) => {
      seen.push(command.name);
      return (send as (...args: unknown[]) => unknown)(command, ...rest);
    }) as typeof redis.sendCommand;
    try {
      await work();
    } finally {
      redis.sendCommand = send;
    }
    return seen;
  }

  /** Every key this test file wrote, without the prefix: lets a test prove bad input stored nothing. */
  async storedKeys(): Promise<string[]> {
    const prefix = this.config.redisKeyPrefix;
    const found = await Promise.all(masterNodes(this.redis).map((node) => node.call('KEYS', `${prefix}*`)));
    // BullMQ's own bookkeeping keys ({jobs}) come and go by themselves, rate counters count every attempt, refused
    // ones included (that is their job), and start-up writes its migration markers before any request.
    return (found as string[][])
      .flat()
      .map((k) => k.slice(prefix.length))
      .filter((k) => !k.startsWith('{jobs}') && !k.startsWith('{rate:') && !k.startsWith('{migrations}'))
      .sort();
  }

  async close(): Promise<void> {
    await this.app.close();
  }
}

/** Asserts an RFC 9457 answer: status, media type, and the stable code. */
export function expectProblem(res: Response, status: number, code: string): void {
  const summary = `${res.status} ${JSON.stringify(res.body)}`;
  expect({ status: res.status, summary }).toEqual({ status, summary });
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  // `type` leads to the code's problem page (relative: the test apps have no PUBLIC_BASE_URL).
  expect(res.body).toMatchObject({ status, code, type: `/problems/${code.toLowerCase().replace(/_/g, '-')}` });
  expect(typeof res.body.title).toBe('string');
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.requestId).toBe(res.headers['x-request-id']);
}

import { randomUUID } from 'node:crypto';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys, sortableTime } from '../../src/redis/keys.js';
import { SEARCH_INDEX_MIGRATION } from '../../src/users/search-index-migration.js';
import { TestApp, testConfig } from '../support/test-app.js';

/**
 * Accounts stored the way the code before the search index wrote them (hash, email key, role index), into a keyspace
 * no app has started on yet; then two apps start on it at once and index them, once.
 */
describe('the search index of accounts stored before it existed is built once, at start', () => {
  const prefix = testConfig().redisKeyPrefix;
  let writer: RedisClient;
  let a: TestApp;
  let b: TestApp;
  const legacy: { id: string; email: string; name: string; role: string }[] = [];

  async function legacyAccount(email: string, name: string, role: string, createdAt: number): Promise<void> {
    const id = randomUUID();
    await writer.hset(keys.user(id), { id, email, name, role, passwordHash: 'x', createdAt: String(createdAt) });
    await writer.set(keys.userEmail(email), id);
    await writer.zadd(keys.usersByRole(role), 0, `${sortableTime(createdAt)}:${id}`);
    legacy.push({ id, email, name, role });
  }

  beforeAll(async () => {
    writer = createRedisClient(redisOptionsFrom(testConfig({ redisKeyPrefix: prefix })));
    const base = Date.parse('2025-01-01T00:00:00Z');
    await legacyAccount('old-ada@example.com', 'Ada Lovelace', 'customer', base);
    await legacyAccount('old-admin@example.com', 'Old Admin', 'admin', base + 1000);
    for (let i = 0; i < 30; i++) {
      await legacyAccount(`old-${i}@example.com`, `Old Provider ${i}`, 'provider', base + 2000 + i);
    }
    [a, b] = await Promise.all([TestApp.start({ redisKeyPrefix: prefix }), TestApp.start({ redisKeyPrefix: prefix })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    writer?.disconnect();
  });

  const find = (t: TestApp, query: Record<string, string | number>) =>
    t.http().get('/v1/users').query(query).set(t.bearer(undefined, 'admin').auth);

  it('finds the old accounts by email and by name, under their roles, once ready', async () => {
    for (const t of [a, b]) expect((await t.http().get('/health/ready')).body).toEqual({ status: 'ok', redis: 'up' });
    expect((await find(a, { query: 'lovelace' })).body.items.map((u: { id: string }) => u.id)).toEqual([legacy[0].id]);
    expect((await find(b, { query: 'old-admin', role: 'admin' })).body.items.map((u: { id: string }) => u.id)).toEqual([
      legacy[1].id,
    ]);
    const providers = (await find(a, { query: 'old provider', role: 'provider', limit: 100 })).body.items;
    expect(providers).toHaveLength(30);
  });

  it('leaves the indexes exact (both instances ran it) and marks the keyspace done', async () => {
    expect(await writer.exists(keys.migrationDone(SEARCH_INDEX_MIGRATION))).toBe(1);
    const report = await new IntegrityChecker(a.redis, INTEGRITY_CHECKS, { now: () => a.clock.now() }).run();
    expect(report.findings).toEqual([]);
  });

  it('does not run again: an entry removed after it stays removed when an instance starts', async () => {
    const [entry] = await writer.zrange(keys.usersSearch('customer'), '0', '0');
    await writer.zrem(keys.usersSearch('customer'), entry);
    const c = await TestApp.start({ redisKeyPrefix: prefix });
    try {
      expect(await writer.zscore(keys.usersSearch('customer'), entry)).toBeNull();
    } finally {
      await c.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys, sortableTime } from '../../src/redis/keys.js';
import { SEARCH_INDEX_MIGRATION } from '../../src/users/search-index-migration.js';
import { eventually } from '../support/eventually.js';
import { TestApp, testConfig } from '../support/test-app.js';

const ids = (res: { body: { items: { id: string }[] } }) => res.body.items.map((u) => u.id);

/** Review of issue 18, item 6: every cursor GET /v1/users hands out is one it takes back. */
describe('GET /v1/users with names NFKC expands', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(() => t.close());

  it('pages through accounts named 100 × U+FDFA (18 characters each once normalized)', async () => {
    const name = '\uFDFA'.repeat(100);
    const accounts = [await t.register('customer', name), await t.register('customer', name)];
    const admin = t.bearer(undefined, 'admin').auth;
    const first = await t.http().get('/v1/users').query({ query: name, limit: 1 }).set(admin);
    expect(first.status).toBe(200);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t
      .http()
      .get('/v1/users')
      .query({ query: name, limit: 1, cursor: first.body.nextCursor })
      .set(admin);
    expect({ status: second.status, body: second.body.code }).toEqual({ status: 200, body: undefined });
    expect([...ids(first), ...ids(second)].sort()).toEqual(accounts.map((a) => a.id).sort());
  });
});

/** Review of issue 18, item 7: a malformed account (no name, no email) breaks neither the search nor the migration. */
describe('malformed accounts', () => {
  const prefix = testConfig().redisKeyPrefix;
  let writer: RedisClient;
  let t: TestApp | undefined;
  beforeAll(() => {
    writer = createRedisClient(redisOptionsFrom(testConfig({ redisKeyPrefix: prefix })));
  });
  afterAll(async () => {
    await t?.close();
    writer.disconnect();
  });

  it('the search index migration skips them, so the instance gets ready; the search answers 200', async () => {
    // Stored before the search index existed, without a name or email (a hand edit, a bug).
    const id = randomUUID();
    const createdAt = Date.parse('2025-01-01T00:00:00Z');
    await writer.hset(keys.user(id), { id, role: 'customer', passwordHash: 'x', createdAt: String(createdAt) });
    await writer.zadd(keys.usersByRole('customer'), 0, `${sortableTime(createdAt)}:${id}`);
    t = await TestApp.start({ redisKeyPrefix: prefix });
    await eventually(async () => {
      expect((await t!.http().get('/health/ready')).status).toBe(200);
      expect(await writer.exists(keys.migrationDone(SEARCH_INDEX_MIGRATION))).toBe(1);
    }, 20_000);

    // An indexed account whose hash then loses its name and email: its entries are stale, not a 500.
    const victim = await t.register('customer', 'Malformed Later');
    await writer.hdel(keys.user(victim.id), 'name', 'email');
    const admin = t.bearer(undefined, 'admin').auth;
    const search = await t.http().get('/v1/users').query({ query: 'malformed' }).set(admin);
    expect({ status: search.status, ids: search.body.items }).toEqual({ status: 200, ids: [] });
    const list = await t.http().get('/v1/users').query({ role: 'customer', limit: 100 }).set(admin);
    expect(list.status).toBe(200);
    expect(ids(list)).toEqual(expect.arrayContaining([id, victim.id]));
  }, 60_000);
});

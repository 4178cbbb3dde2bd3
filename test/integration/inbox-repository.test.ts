import { inboxScripts } from '../../src/notifications/inbox.scripts.js';
import { RedisInboxRepository } from '../../src/notifications/redis-inbox.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys, lexMember } from '../../src/redis/keys.js';
import { MINUTE, newId, notification } from '../support/factories.js';
import { deliveredTwice } from '../support/redelivery.js';
import { testConfig } from '../support/test-app.js';

/** The inbox's add script against Redis: a notification is delivered once, however often its job runs. */
describe('RedisInboxRepository', () => {
  let redis: RedisClient;
  let inbox: RedisInboxRepository;
  const config = testConfig();

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    inbox = new RedisInboxRepository(redis);
  });
  afterAll(() => redis.quit());

  it('stores the notification, its inbox member and its unread mark', async () => {
    const userId = newId();
    const n = notification();
    expect(await inbox.add(userId, n)).toBe(true);

    expect(await redis.hgetall(keys.notification(userId, n.id))).toEqual({
      id: n.id,
      type: n.type,
      title: n.title,
      data: JSON.stringify(n.data),
      createdAt: String(n.createdAt),
      addedBy: expect.any(String),
    });
    expect(await redis.zrange(keys.inbox(userId), '0', '-1')).toEqual([lexMember(n.createdAt, n.id)]);
    expect(await redis.smembers(keys.inboxUnread(userId))).toEqual([n.id]);
    expect(await inbox.list(userId, { unreadOnly: false, after: null, limit: 10 })).toEqual({
      notifications: [{ ...n, read: false }],
      next: null,
    });
  });

  it('an add delivered again changes nothing: not the content, nor a read mark', async () => {
    const userId = newId();
    const n = notification();
    await inbox.add(userId, n);
    await inbox.markRead(userId, n.id);
    expect(await inbox.add(userId, n)).toBe(false);
    expect(await inbox.add(userId, { ...n, title: 'changed', createdAt: n.createdAt + MINUTE })).toBe(false);

    expect(await redis.hget(keys.notification(userId, n.id), 'title')).toBe(n.title);
    expect(await redis.zrange(keys.inbox(userId), '0', '-1')).toEqual([lexMember(n.createdAt, n.id)]);
    expect(await redis.scard(keys.inboxUnread(userId))).toBe(0);
  });

  it('an add re-sent after a lost reply answers added, as the first delivery did (the live push keys off it)', async () => {
    const userId = newId();
    const n = notification();
    expect(await deliveredTwice(redis, inboxScripts.add, () => inbox.add(userId, n))).toBe(true);
    expect(await redis.zcard(keys.inbox(userId))).toBe(1);
    // Another call with the same notification (a second run of the job) is still told it was there.
    expect(await inbox.add(userId, n)).toBe(false);
  });

  it('of many concurrent adds of one notification exactly one adds it', async () => {
    const userId = newId();
    const n = notification();
    const added = await Promise.all(Array.from({ length: 25 }, () => inbox.add(userId, n)));
    expect(added.filter(Boolean)).toHaveLength(1);
    expect(await redis.zcard(keys.inbox(userId))).toBe(1);
    expect(await redis.scard(keys.inboxUnread(userId))).toBe(1);
  });

  it("lists newest first in exact pages, and keeps one user's notifications from another's", async () => {
    const userId = newId();
    const ns = Array.from({ length: 5 }, (_, i) => notification({ createdAt: notification().createdAt + i * MINUTE }));
    await Promise.all(ns.map((n) => inbox.add(userId, n)));
    await inbox.add(newId(), notification());
    const first = await inbox.list(userId, { unreadOnly: false, after: null, limit: 3 });
    expect(first.notifications.map((n) => n.id)).toEqual([ns[4].id, ns[3].id, ns[2].id]);
    const second = await inbox.list(userId, { unreadOnly: false, after: first.next, limit: 3 });
    expect(second).toEqual({ notifications: [ns[1], ns[0]].map((n) => ({ ...n, read: false })), next: null });
  });
});

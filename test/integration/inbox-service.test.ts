import type { AuthUser } from '../../src/auth/auth-user.js';
import { CursorCodec } from '../../src/common/cursor.js';
import { NotFoundError } from '../../src/common/domain-error.js';
import { InboxService } from '../../src/notifications/inbox.service.js';
import { RedisInboxRepository } from '../../src/notifications/redis-inbox.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { MINUTE, NOW, newId, notification } from '../support/factories.js';
import { testConfig } from '../support/test-app.js';

/** InboxService with its real Redis repository: pages, unread-only pages, and marking read. */
describe('InboxService', () => {
  let redis: RedisClient;
  let repo: RedisInboxRepository;
  let inbox: InboxService;
  const config = testConfig();

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    repo = new RedisInboxRepository(redis);
    inbox = new InboxService(repo, new CursorCodec(config.jwtSecret!));
  });
  afterAll(() => redis.quit());

  /** A user with `count` notifications, one a minute, oldest first. */
  async function withNotifications(count: number) {
    const me: AuthUser = { id: newId(), role: 'customer' };
    const ns = Array.from({ length: count }, (_, i) => notification({ createdAt: NOW + i * MINUTE }));
    for (const n of ns) await repo.add(me.id, n);
    return { me, ns };
  }

  it('pages newest first with exact cursors', async () => {
    const { me, ns } = await withNotifications(5);
    const first = await inbox.list({ limit: 2 }, me);
    const second = await inbox.list({ limit: 2, cursor: first.nextCursor! }, me);
    const third = await inbox.list({ limit: 2, cursor: second.nextCursor! }, me);
    expect([...first.items, ...second.items, ...third.items].map((v) => v.id)).toEqual(
      [...ns].reverse().map((n) => n.id),
    );
    expect(third.nextCursor).toBeNull();
    expect(first.items[0]).toMatchObject({ read: false, createdAt: new Date(ns[4].createdAt).toISOString() });
  });

  it('unread-only pages skip what was read; marking all read empties them', async () => {
    const { me, ns } = await withNotifications(6);
    for (const n of [ns[5], ns[3], ns[2]]) await inbox.markRead(n.id, me);
    const page = await inbox.list({ unread: true, limit: 2 }, me);
    expect(page.items.map((v) => v.id)).toEqual([ns[4].id, ns[1].id]);
    const rest = await inbox.list({ unread: true, limit: 2, cursor: page.nextCursor! }, me);
    expect(rest).toEqual({ items: [expect.objectContaining({ id: ns[0].id })], nextCursor: null, unreadCount: 3 });

    await inbox.markAllRead(me);
    expect(await inbox.list({ unread: true }, me)).toEqual({ items: [], nextCursor: null, unreadCount: 0 });
    expect(await redis.exists(keys.inboxUnread(me.id))).toBe(0);
    expect((await inbox.list({}, me)).items).toHaveLength(6);
  });

  it("another user's notification is not found, like a missing one, and stays unread", async () => {
    const { me, ns } = await withNotifications(1);
    const other: AuthUser = { id: newId(), role: 'customer' };
    await expect(inbox.markRead(ns[0].id, other)).rejects.toThrow(NotFoundError);
    await expect(inbox.markRead(newId(), me)).rejects.toThrow(NotFoundError);
    expect(await redis.sismember(keys.inboxUnread(me.id), ns[0].id)).toBe(1);
  });
});

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { markOutbox } from '../outbox/outbox-mark.js';
import { RedisClient, readAll } from '../redis/redis-client.js';
import { keys, lexMember, parseLexMember } from '../redis/keys.js';
import { InboxRepository } from './inbox.repository.js';
import { inboxScripts } from './inbox.scripts.js';
import type { Notification } from './inbox.repository.js';

/** Unread-ness is membership in the unread set, so "read all" is one DEL. */
@Injectable()
export class RedisInboxRepository extends InboxRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async add(
    userId: string,
    n: Omit<Notification, 'read'>,
    event?: { readonly type: string; readonly data: object },
  ): Promise<boolean> {
    const { add } = inboxScripts;
    const added = add.outcome(
      await add.run(this.redis, [
        keys.notification(userId, n.id),
        keys.inbox(userId),
        keys.inboxUnread(userId),
        keys.userOutbox(userId),
        n.id,
        lexMember(n.createdAt, n.id),
        n.type,
        n.title,
        JSON.stringify(n.data),
        n.createdAt,
        // Tells this call's re-delivery (same token) from another add of the same notification.
        randomUUID(),
        event?.type ?? '',
        event ? JSON.stringify(event.data) : '',
        userId,
      ]),
    );
    if (added && event) markOutbox(this.redis, keys.userOutbox(userId));
    return added;
  }

  async list(
    userId: string,
    query: { unreadOnly: boolean; after: string | null; limit: number },
  ): Promise<{ notifications: Notification[]; next: string | null }> {
    const notifications: Notification[] = [];
    let after = query.after;
    // With unreadOnly, read ones are skipped; a few batches keep pages full without scanning a whole inbox.
    for (let batch = 0; batch < 5 && notifications.length < query.limit; batch++) {
      const members = await this.redis.zrevrangebylex(
        keys.inbox(userId),
        after ? `(${after}` : '+',
        '-',
        'LIMIT',
        0,
        query.limit + 1,
      );
      if (members.length === 0) return { notifications, next: null };
      const ids = members.map((m) => parseLexMember(m).ref);
      const pipeline = this.redis.pipeline().smismember(keys.inboxUnread(userId), ...ids);
      for (const id of ids) pipeline.hgetall(keys.notification(userId, id));
      const [unread, ...rows] = await readAll(pipeline);
      for (const [i, fields] of rows.entries()) {
        after = members[i];
        const f = fields as Record<string, string>;
        const read = (unread as number[])[i] === 0;
        if (f.id && !(query.unreadOnly && read)) {
          notifications.push({
            id: f.id,
            type: f.type,
            title: f.title,
            data: JSON.parse(f.data),
            createdAt: Number(f.createdAt),
            read,
          });
        }
        if (notifications.length === query.limit) return { notifications, next: i < members.length - 1 ? after : null };
      }
      if (members.length <= query.limit) return { notifications, next: null };
    }
    return { notifications, next: after };
  }

  unreadCount(userId: string): Promise<number> {
    return this.redis.scard(keys.inboxUnread(userId));
  }

  async markRead(userId: string, notificationId: string): Promise<boolean> {
    const [[, exists]] = (await this.redis
      .multi()
      .exists(keys.notification(userId, notificationId))
      .srem(keys.inboxUnread(userId), notificationId)
      .exec()) as [[unknown, number]];
    return exists === 1;
  }

  async markAllRead(userId: string): Promise<void> {
    await this.redis.del(keys.inboxUnread(userId));
  }
}

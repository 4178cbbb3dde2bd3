import { Injectable } from '@nestjs/common';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError } from '../common/domain-error.js';
import type { AuthUser } from '../auth/auth-user.js';
import { notificationView } from './inbox.dto.js';
import type { InboxQuery, NotificationsPage } from './inbox.dto.js';
import { InboxRepository } from './inbox.repository.js';

/** A user's own notification inbox: reading it and marking it read. */
@Injectable()
export class InboxService {
  constructor(
    private readonly inbox: InboxRepository,
    private readonly cursors: CursorCodec,
  ) {}

  /** The caller's notifications, newest first, optionally unread only. */
  async list(query: InboxQuery, user: AuthUser): Promise<NotificationsPage> {
    const [page, unreadCount] = await Promise.all([
      this.inbox.list(user.id, {
        unreadOnly: query.unread === true,
        after: query.cursor ? this.cursors.decodePosition(query.cursor) : null,
        limit: query.limit ?? 20,
      }),
      this.inbox.unreadCount(user.id),
    ]);
    return {
      items: page.notifications.map(notificationView),
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
      unreadCount,
    };
  }

  markAllRead(user: AuthUser): Promise<void> {
    return this.inbox.markAllRead(user.id);
  }

  /** Another user's notification is not found, like a missing one. */
  async markRead(notificationId: string, user: AuthUser): Promise<void> {
    if (!(await this.inbox.markRead(user.id, notificationId))) throw new NotFoundError('The notification');
  }
}

export interface Notification {
  readonly id: string;
  readonly type: string;
  readonly title: string;
  readonly data: Record<string, unknown>;
  readonly createdAt: number;
  readonly read: boolean;
}

/** A user's notification inbox, newest first. */
export abstract class InboxRepository {
  /**
   * Adds the notification unless one with its id exists; true when it was added (so exactly-once delivery can key off
   * it). With `event`, the add appends that event to the user's outbox in the same step (once, like the add).
   */
  abstract add(
    userId: string,
    notification: Omit<Notification, 'read'>,
    event?: { readonly type: string; readonly data: object },
  ): Promise<boolean>;

  abstract list(
    userId: string,
    query: { unreadOnly: boolean; after: string | null; limit: number },
  ): Promise<{ notifications: Notification[]; next: string | null }>;

  /** How many of the user's notifications are unread. */
  abstract unreadCount(userId: string): Promise<number>;

  /** false when the user has no such notification. */
  abstract markRead(userId: string, notificationId: string): Promise<boolean>;

  abstract markAllRead(userId: string): Promise<void>;
}

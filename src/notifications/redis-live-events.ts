import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { RedisClient, duplicateClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { LiveEvents, encodeUserEvent } from './live-events.js';
import type { SeatUpdate, Unsubscribe, UserEvent } from './live-events.js';

const SEAT_CHANNEL = /\{event:([0-9a-f-]{36})\}:seat-changes$/;

/**
 * One pattern subscription per instance for all seat channels and all user channels, dispatched to the listeners of
 * this instance. Pub/sub messages reach every instance (and every node of a Redis Cluster), which is what lets a
 * change made through instance A reach a socket connected to instance B.
 */
@Injectable()
export class RedisLiveEvents extends LiveEvents implements OnModuleDestroy {
  private readonly logger = new Logger('LiveEvents');
  private readonly prefix: string;
  private readonly seatListeners = new Map<string, Set<(update: SeatUpdate) => void>>();
  private readonly userListeners = new Map<string, Set<(event: UserEvent) => void>>();
  private subscriber: RedisClient | undefined;
  private subscribed: Promise<void> = Promise.resolve();
  private retry: NodeJS.Timeout | undefined;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    private readonly clock: Clock,
  ) {
    super();
    this.prefix = redis.options.keyPrefix ?? '';
  }

  async toUser(userId: string, type: string, data: Record<string, unknown>): Promise<void> {
    const event = encodeUserEvent(type, new Date(this.clock.now()).toISOString(), data);
    await this.redis.publish(this.prefix + keys.userChannel(userId), event).catch((error: Error) => {
      this.logger.warn(`could not publish ${type} to user ${userId}: ${error.message}`);
    });
  }

  onSeatUpdate(eventId: string, listener: (update: SeatUpdate) => void): Unsubscribe {
    return this.listen(this.seatListeners, eventId, listener);
  }

  onUserEvent(userId: string, listener: (event: UserEvent) => void): Unsubscribe {
    return this.listen(this.userListeners, userId, listener);
  }

  async currentSeq(eventId: string): Promise<number> {
    return Number((await this.redis.get(keys.seatSeq(eventId))) ?? 0);
  }

  async missedSince(eventId: string, seq: number): Promise<SeatUpdate[] | 'resync'> {
    const log = keys.seatLog(eventId);
    const [entries, [oldest]] = await Promise.all([
      this.redis.xrange(log, `(${seq}-0`, '+'),
      this.redis.xrange(log, '-', '+', 'COUNT', 1),
    ]);
    const current = await this.currentSeq(eventId);
    // The sequence only grows: a client ahead of it saw changes this Redis does not know, and would drop every
    // later change up to its number as already seen.
    if (seq > current) return 'resync';
    if (seq === current) return [];
    // Kept entries must start right after `seq`; a gap means some changes were trimmed away.
    const oldestSeq = oldest ? Number(oldest[0].split('-')[0]) : current + 1;
    if (oldestSeq > seq + 1) return 'resync';
    return entries.map(([, fields]) => JSON.parse(fields[1]) as SeatUpdate);
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.retry);
    this.subscriber?.disconnect();
  }

  private listen<T>(
    registry: Map<string, Set<(value: T) => void>>,
    id: string,
    listener: (value: T) => void,
  ): Unsubscribe {
    this.ensureSubscribed();
    let set = registry.get(id);
    if (!set) registry.set(id, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) registry.delete(id);
    };
  }

  /** The subscriber connection is made on first use, so instances without listeners hold no extra connection. */
  private ensureSubscribed(): void {
    if (this.subscriber) return;
    const subscriber = duplicateClient(this.redis, { keyPrefix: '', lazyConnect: false });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.logger.debug(`subscriber: ${error.message}`));
    subscriber.on('pmessage', (_pattern: string, channel: string, message: string) => this.dispatch(channel, message));
    this.subscribed = subscriber
      .psubscribe(`${this.prefix}{event:*}:seat-changes`, `${this.prefix}${keys.userChannel('*')}`)
      .then(
        () => undefined,
        (error: Error) => {
          // ioredis re-subscribes after a reconnect only what Redis confirmed: a subscription that failed is gone.
          // Start over with a new connection, now if listeners are waiting (and again until it works).
          this.logger.warn(`could not subscribe (${error.message}); retrying in 1 s`);
          subscriber.disconnect();
          this.subscriber = undefined;
          this.retry = setTimeout(() => {
            if (this.seatListeners.size + this.userListeners.size > 0) this.ensureSubscribed();
          }, 1000);
          this.retry.unref();
        },
      );
  }

  listening(): Promise<void> {
    return this.subscribed;
  }

  private dispatch(channel: string, message: string): void {
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch {
      return;
    }
    const seat = SEAT_CHANNEL.exec(channel);
    if (seat) {
      for (const listener of this.seatListeners.get(seat[1]) ?? []) listener(payload as SeatUpdate);
      return;
    }
    const userId = channel.slice((this.prefix + keys.userChannel('')).length);
    for (const listener of this.userListeners.get(userId) ?? []) listener(payload as UserEvent);
  }
}

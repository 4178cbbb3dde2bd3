import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ChannelSubscriber, ListenersById } from '../redis/channel-subscriber.js';
import { RedisClient } from '../redis/redis-client.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { LiveEvents, encodeUserEvent } from './live-events.js';
import type { Unsubscribe, UserEvent } from './live-events.js';

const userChannel = keyMatcher(keys.userChannel);

/** The user channels: published here, received through the instance's one pattern subscription. */
@Injectable()
export class RedisLiveEvents extends LiveEvents {
  private readonly logger = new Logger('LiveEvents');
  private readonly prefix: string;
  private readonly userListeners = new ListenersById<UserEvent>();

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    private readonly subscriber: ChannelSubscriber,
    private readonly clock: Clock,
  ) {
    super();
    this.prefix = redis.options.keyPrefix ?? '';
    subscriber.route(
      keys.userChannel('*'),
      (channel, message) => this.dispatch(channel, message),
      () => {
        return this.userListeners.size > 0;
      },
    );
  }

  async publish(userId: string, type: string, data: Record<string, unknown>): Promise<void> {
    const event = encodeUserEvent(type, new Date(this.clock.now()).toISOString(), data);
    await this.redis.publish(this.prefix + keys.userChannel(userId), event);
  }

  async toUser(userId: string, type: string, data: Record<string, unknown>): Promise<void> {
    await this.publish(userId, type, data).catch((error: Error) => {
      this.logger.warn(`could not publish ${type} to user ${userId}: ${error.message}`);
    });
  }

  onUserEvent(userId: string, listener: (event: UserEvent) => void): Unsubscribe {
    this.subscriber.ensureSubscribed();
    return this.userListeners.add(userId, listener);
  }

  listening(): Promise<void> {
    return this.subscriber.listening();
  }

  private dispatch(channel: string, message: string): void {
    const user = userChannel(channel);
    if (!user) return;
    let event: UserEvent;
    try {
      event = JSON.parse(message) as UserEvent;
    } catch {
      return;
    }
    this.userListeners.emit(user[0], event);
  }
}

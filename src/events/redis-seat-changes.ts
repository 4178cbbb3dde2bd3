import { Inject, Injectable } from '@nestjs/common';
import { ChannelSubscriber, ListenersById } from '../redis/channel-subscriber.js';
import { RedisClient } from '../redis/redis-client.js';
import { keyMatcher } from '../redis/key-match.js';
import { keys } from '../redis/keys.js';
import { SeatChanges } from './seat-changes.js';
import type { SeatUpdate, StopListening } from './seat-changes.js';

const seatChannel = keyMatcher(keys.seatChannel);

/** The seat channels through the instance's one pattern subscription; the sequence and the log from the event's slot. */
@Injectable()
export class RedisSeatChanges extends SeatChanges {
  private readonly seatListeners = new ListenersById<SeatUpdate>();

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    private readonly subscriber: ChannelSubscriber,
  ) {
    super();
    subscriber.route(
      keys.seatChannel('*'),
      (channel, message) => this.dispatch(channel, message),
      () => {
        return this.seatListeners.size > 0;
      },
    );
  }

  onSeatUpdate(eventId: string, listener: (update: SeatUpdate) => void): StopListening {
    this.subscriber.ensureSubscribed();
    return this.seatListeners.add(eventId, listener);
  }

  listening(): Promise<void> {
    return this.subscriber.listening();
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

  private dispatch(channel: string, message: string): void {
    const event = seatChannel(channel);
    if (!event) return;
    let update: SeatUpdate;
    try {
      update = JSON.parse(message) as SeatUpdate;
    } catch {
      return;
    }
    this.seatListeners.emit(event[0], update);
  }
}

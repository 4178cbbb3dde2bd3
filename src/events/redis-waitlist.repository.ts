import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import { parseWaitlistEntry, waitlistLineOf, parseSeatOffer } from './waitlist.codec.js';
import { WaitlistRepository } from './waitlist.repository.js';
import type { JoinOutcome, JoinRequest, WaitlistPlace } from './waitlist.repository.js';
import { joinWaitlistArgs, leaveWaitlistArgs, waitlistScripts } from './waitlist.scripts.js';

/** The most seats one entry may ask for (the per-quantity lines exist for 1..MAX_WAITLIST_QUANTITY). */
export const MAX_WAITLIST_QUANTITY = 10;

@Injectable()
export class RedisWaitlistRepository extends WaitlistRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async join(eventId: string, request: JoinRequest, now: number, startsAt: number | null): Promise<JoinOutcome> {
    const outcome = waitlistScripts.join.outcome(
      await waitlistScripts.join.run(this.redis, joinWaitlistArgs(eventId, request, now, startsAt)),
    );
    // The user's own index (their slot) names the events only; the place is read from the event's line each time.
    if (outcome.outcome === 'joined') await this.redis.zadd(keys.userWaitlistEvents(request.userId), now, eventId);
    return outcome;
  }

  async offeredTo(eventId: string, userId: string, now: number): Promise<string[]> {
    const offers = await this.redis.hgetall(keys.seatOffers(eventId));
    return Object.entries(offers)
      .filter(([, value]) => {
        const offer = parseSeatOffer(value);
        return offer !== undefined && offer.userId === userId && offer.expiresAt > now;
      })
      .map(([seatId]) => seatId);
  }

  async leave(eventId: string, userId: string): Promise<boolean> {
    const left = waitlistScripts.leave.outcome(
      await waitlistScripts.leave.run(this.redis, leaveWaitlistArgs(eventId, userId)),
    );
    await this.redis.zrem(keys.userWaitlistEvents(userId), eventId);
    return left;
  }

  async placesOf(userId: string): Promise<WaitlistPlace[]> {
    const index = keys.userWaitlistEvents(userId);
    const eventIds = await this.redis.zrange(index, '0', '-1');
    // One event at a time per command, not a pipeline: on Redis Cluster the events live on different nodes.
    const places = await Promise.all(eventIds.map((eventId) => this.placeIn(eventId, userId)));
    // An entry that was offered seats (or left) is no longer in the line: its event leaves the index.
    const gone = eventIds.filter((_, i) => places[i] === null);
    if (gone.length > 0) await this.redis.zrem(index, ...gone);
    return places.filter((p) => p !== null);
  }

  private async placeIn(eventId: string, userId: string): Promise<WaitlistPlace | null> {
    const entryId = await this.redis.hget(keys.waitlistUsers(eventId), userId);
    if (!entryId) return null;
    const [value, rank] = await Promise.all([
      this.redis.hget(keys.waitlistEntries(eventId), entryId),
      this.redis.zrank(keys.waitlist(eventId), entryId),
    ]);
    const entry = value === null ? undefined : parseWaitlistEntry(value);
    if (!entry || rank === null) return null;
    return { ...entry, eventId, entryId, position: rank + 1 };
  }

  async lengths(eventId: string): Promise<Map<string, number>> {
    const categories = ['', ...(await this.redis.hkeys(keys.eventCategories(eventId)))];
    const counts = await Promise.all(
      categories.map(async (categoryId) => {
        const lines = Array.from({ length: MAX_WAITLIST_QUANTITY }, (_, i) =>
          this.redis.zcard(keys.waitlistLine(eventId, waitlistLineOf(i + 1, categoryId || null))),
        );
        return (await Promise.all(lines)).reduce((sum, n) => sum + n, 0);
      }),
    );
    return new Map(categories.map((categoryId, i) => [categoryId, counts[i]]));
  }
}

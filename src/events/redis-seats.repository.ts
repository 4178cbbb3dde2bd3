import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { RedisClient } from '../redis/redis-client.js';
import { keys } from '../redis/keys.js';
import type { SeatStates, StoredSeatState } from './event.js';
import { SeatsRepository } from './seats.repository.js';
import type { HoldOutcome, HoldTerms, ReserveOutcome, UserSeat } from './seats.repository.js';
import { markOutbox } from '../outbox/outbox-mark.js';
import { expireHoldsArgs, holdSeatsArgs, releaseHoldArgs, reserveSeatsArgs, seatScripts } from './seat-script-args.js';
import { encodeSeatReservation, parseSeatReservation, parseSeatState } from './seat-state.codec.js';

/**
 * The seat-state hash as HGETALL answered it (ioredis gives an object of field -> value). Values are parsed when asked
 * for, so a read whose seat map is already known (sameAs an earlier read) parses nothing.
 */
class StoredSeatStates implements SeatStates {
  constructor(private readonly raw: Readonly<Record<string, string>>) {}

  get(seatId: string): StoredSeatState | undefined {
    const value = Object.hasOwn(this.raw, seatId) ? this.raw[seatId] : undefined;
    return value === undefined ? undefined : parseSeatState(value);
  }

  *values(): Iterable<StoredSeatState> {
    for (const seatId in this.raw) {
      const state = parseSeatState(this.raw[seatId]);
      if (state) yield state;
    }
  }

  sameAs(other: SeatStates): boolean {
    if (!(other instanceof StoredSeatStates)) return false;
    if (other === this) return true;
    const mine = this.raw;
    const theirs = other.raw;
    let fields = 0;
    for (const seatId in mine) {
      if (!Object.hasOwn(theirs, seatId) || mine[seatId] !== theirs[seatId]) return false;
      fields++;
    }
    // Every field of mine is in theirs with the same value: equal when theirs has no more.
    return Object.keys(theirs).length === fields;
  }
}

@Injectable()
export class RedisSeatsRepository extends SeatsRepository {
  private readonly channelPrefix: string;
  /** Request tokens of holds: unique per process and call, so the hold script tells a re-sent command from a new one. */
  private readonly tokenPrefix = randomBytes(6).toString('base64url');
  private holdsSent = 0;

  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    this.channelPrefix = redis.options.keyPrefix ?? '';
  }

  async states(eventId: string): Promise<SeatStates> {
    return new StoredSeatStates(await this.redis.hgetall(keys.seatState(eventId)));
  }

  async hold(eventId: string, userId: string, seatIds: readonly string[], terms: HoldTerms): Promise<HoldOutcome> {
    const { expiresAt } = terms;
    const token = `${this.tokenPrefix}${(++this.holdsSent).toString(36)}`;
    const outcome = seatScripts.hold.outcome(
      await seatScripts.hold.run(this.redis, holdSeatsArgs(this.channelPrefix, eventId, userId, seatIds, terms, token)),
    );
    if (outcome.outcome !== 'held') return outcome;
    // The per-user index lives in the user's slot, so it is written after the event's script: it is only a hint
    // that holdsOf() checks against the event state, and losing this write loses nothing that matters.
    // Which events to look in for GET /users/me/holds; the seats themselves are in the event's own per-user set.
    // GT: a shorter hold in the same event never shortens the entry.
    // And which events the expiry sweeper must visit, by their earliest expiry (LT: never postpones a visit).
    await Promise.all([
      this.redis.zadd(keys.userHoldEvents(userId), 'GT', expiresAt, eventId),
      this.redis.zadd(keys.expiringEvents(), 'LT', expiresAt, eventId),
    ]);
    return outcome;
  }

  async reserve(
    eventId: string,
    userId: string,
    seatIds: readonly string[],
    now: number,
    startsAt: number | null,
  ): Promise<ReserveOutcome> {
    const outcome = seatScripts.reserve.outcome(
      await seatScripts.reserve.run(
        this.redis,
        reserveSeatsArgs(this.channelPrefix, eventId, userId, seatIds, now, startsAt),
      ),
    );
    if (outcome.outcome !== 'reserved') return outcome;
    if (outcome.newlyReserved > 0) markOutbox(this.redis, keys.eventOutbox(eventId));
    const times = outcome.reservedAt;
    // Written on every successful answer, also for a repeated reserve: a retry repairs an index write that a crash
    // or a lost connection skipped the first time. ZADD of the same member is a no-op.
    await this.redis.zadd(
      keys.userSeatReservations(userId),
      ...seatIds.flatMap((seatId, i) => [0, encodeSeatReservation({ eventId, seatId, at: times[i] })]),
    );
    return outcome;
  }

  async release(eventId: string, userId: string, seatId: string, now: number, notice = ''): Promise<boolean> {
    return seatScripts.release.outcome(
      await seatScripts.release.run(
        this.redis,
        releaseHoldArgs(this.channelPrefix, eventId, userId, seatId, now, notice),
      ),
    );
  }

  async holdsOf(userId: string, now: number): Promise<UserSeat[]> {
    const index = keys.userHoldEvents(userId);
    await this.redis.zremrangebyscore(index, '-inf', now);
    const eventIds = await this.redis.zrangebyscore(index, `(${now}`, '+inf');
    // The event's per-user set is exact (hold adds, release and reserve remove, a takeover needs the score to have
    // passed). One command per event, not a pipeline: on Redis Cluster the events live on different nodes.
    const perEvent = await Promise.all(
      eventIds.map((eventId) =>
        this.redis.zrangebyscore(keys.userHoldsInEvent(eventId, userId), `(${now}`, '+inf', 'WITHSCORES'),
      ),
    );
    const holds: UserSeat[] = [];
    perEvent.forEach((flat, i) => {
      for (let j = 0; j < flat.length; j += 2)
        holds.push({ eventId: eventIds[i], seatId: flat[j], at: Number(flat[j + 1]) });
    });
    return holds.sort((a, b) => a.at - b.at);
  }

  async reservationsOf(
    userId: string,
    after: string | null,
    limit: number,
  ): Promise<{ seats: UserSeat[]; next: string | null }> {
    const members = await this.redis.zrange(
      keys.userSeatReservations(userId),
      after ? `(${after}` : '-',
      '+',
      'BYLEX',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = members.slice(0, limit);
    const seats = page.map(parseSeatReservation);
    return { seats, next: members.length > limit ? page[page.length - 1] : null };
  }

  async expireDue(now: number, maxEvents: number): Promise<number> {
    const registry = keys.expiringEvents();
    const due = await this.redis.zrangebyscore(registry, '-inf', now, 'LIMIT', 0, maxEvents);
    let visited = 0;
    for (const eventId of due) {
      const next = await seatScripts.expire.run(this.redis, expireHoldsArgs(this.channelPrefix, eventId, now, 500));
      markOutbox(this.redis, keys.eventOutbox(eventId));
      if (next === -1) await this.redis.zrem(registry, eventId);
      else await this.redis.zadd(registry, next, eventId);
      // A hold placed between the script and the line above may have lost its registry entry: look once more.
      const [, earliest] = await this.redis.zrange(keys.holdExpiries(eventId), '0', '0', 'WITHSCORES');
      if (earliest !== undefined) await this.redis.zadd(registry, 'LT', earliest, eventId);
      visited++;
    }
    return visited;
  }
}

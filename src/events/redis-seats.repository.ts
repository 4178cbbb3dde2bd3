import { Inject, Injectable } from '@nestjs/common';
import type { Result } from 'ioredis';
import { RedisClient, defineLuaScripts } from '../redis/redis-client.js';
import { keys, sortableTime } from '../redis/keys.js';
import type { StoredSeatState } from './event.js';
import { SeatsRepository } from './seats.repository.js';
import type { HoldOutcome, ReserveOutcome, UserSeat } from './seats.repository.js';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    holdSeats(state: string, userHolds: string, ...args: (string | number)[]): Result<(number | string)[], Context>;
    reserveSeats(state: string, userHolds: string, ...args: (string | number)[]): Result<(number | string)[], Context>;
    releaseHold(state: string, userHolds: string, ...args: (string | number)[]): Result<number, Context>;
  }
}

const STATE = /^([HR])\|([^|]+)\|(\d+)$/;

export function parseSeatState(value: string): StoredSeatState | undefined {
  const match = STATE.exec(value);
  if (!match) return undefined;
  const time = Number(match[3]);
  return match[1] === 'H'
    ? { kind: 'held', userId: match[2], until: time }
    : { kind: 'reserved', userId: match[2], at: time };
}

@Injectable()
export class RedisSeatsRepository extends SeatsRepository {
  private readonly channelPrefix: string;

  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
    defineLuaScripts(redis, new URL('./lua/', import.meta.url));
    this.channelPrefix = redis.options.keyPrefix ?? '';
  }

  async states(eventId: string): Promise<Map<string, StoredSeatState>> {
    const raw = await this.redis.hgetall(keys.seatState(eventId));
    const states = new Map<string, StoredSeatState>();
    for (const seatId in raw) {
      const state = parseSeatState(raw[seatId]);
      if (state) states.set(seatId, state);
    }
    return states;
  }

  async hold(
    eventId: string,
    userId: string,
    seatIds: readonly string[],
    now: number,
    expiresAt: number,
    maxHolds: number,
  ): Promise<HoldOutcome> {
    const [status, ...rest] = await this.redis.holdSeats(
      keys.seatState(eventId),
      keys.userHoldsInEvent(eventId, userId),
      now,
      expiresAt,
      maxHolds,
      userId,
      this.channel(eventId),
      eventId,
      new Date(now).toISOString(),
      ...seatIds,
    );
    if (status === -1) return { outcome: 'taken', seatIds: rest as string[] };
    if (status === -2) return { outcome: 'limit', liveHolds: Number(rest[0]) };
    // The per-user index lives in the user's slot, so it is written after the event's script: it is only a hint
    // that holdsOf() checks against the event state, and losing this write loses nothing that matters.
    // The index spans events with different hold times: its expiry may only grow (NX sets a first one, GT extends).
    const userIndex = keys.userSeatHolds(userId);
    const expireAt = expiresAt + 60_000;
    await this.redis
      .multi()
      .zadd(userIndex, ...seatIds.flatMap((seatId) => [expiresAt, `${eventId}/${seatId}`]))
      .pexpireat(userIndex, expireAt, 'NX')
      .pexpireat(userIndex, expireAt, 'GT')
      .exec();
    return { outcome: 'held' };
  }

  async reserve(eventId: string, userId: string, seatIds: readonly string[], now: number): Promise<ReserveOutcome> {
    const [status, ...rest] = await this.redis.reserveSeats(
      keys.seatState(eventId),
      keys.userHoldsInEvent(eventId, userId),
      now,
      userId,
      this.channel(eventId),
      eventId,
      new Date(now).toISOString(),
      ...seatIds,
    );
    if (status === -1) return { outcome: 'not-held', seatIds: rest as string[] };
    const [newlyReserved, ...times] = rest.map(Number);
    // Written on every successful answer, also for a repeated reserve: a retry repairs an index write that a crash
    // or a lost connection skipped the first time. ZADD of the same member is a no-op.
    const refs = seatIds.map((seatId) => `${eventId}/${seatId}`);
    await this.redis
      .multi()
      .zadd(keys.userSeatReservations(userId), ...refs.flatMap((ref, i) => [0, `${sortableTime(times[i])}:${ref}`]))
      .zrem(keys.userSeatHolds(userId), ...refs)
      .exec();
    return { outcome: 'reserved', newlyReserved, reservedAt: times };
  }

  async release(eventId: string, userId: string, seatId: string, now: number): Promise<boolean> {
    const released = await this.redis.releaseHold(
      keys.seatState(eventId),
      keys.userHoldsInEvent(eventId, userId),
      seatId,
      userId,
      now,
      this.channel(eventId),
      eventId,
      new Date(now).toISOString(),
    );
    if (released !== 1) return false;
    await this.redis.zrem(keys.userSeatHolds(userId), `${eventId}/${seatId}`);
    return true;
  }

  async holdsOf(userId: string, now: number): Promise<UserSeat[]> {
    const index = keys.userSeatHolds(userId);
    await this.redis.zremrangebyscore(index, '-inf', now);
    const members = await this.redis.zrange(index, '0', '-1');
    const entries = members.map((member) => {
      const [eventId, seatId] = member.split('/');
      return { eventId, seatId };
    });
    // One command per event state, not a pipeline: on Redis Cluster the events live on different nodes.
    const states = await Promise.all(
      entries.map(({ eventId, seatId }) => this.redis.hget(keys.seatState(eventId), seatId)),
    );
    const holds: UserSeat[] = [];
    entries.forEach((entry, i) => {
      const state = parseSeatState(states[i] ?? '');
      if (state?.kind === 'held' && state.userId === userId && state.until > now)
        holds.push({ ...entry, at: state.until });
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
    const seats = page.map((member) => {
      const [time, path] = member.split(':');
      const [eventId, seatId] = path.split('/');
      return { eventId, seatId, at: Number(time) };
    });
    return { seats, next: members.length > limit ? page[page.length - 1] : null };
  }

  private channel(eventId: string): string {
    return this.channelPrefix + keys.seatChannel(eventId);
  }
}

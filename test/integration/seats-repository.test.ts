import { randomUUID } from 'node:crypto';
import calculateSlot from 'cluster-key-slot';
import { RedisSeatsRepository } from '../../src/events/redis-seats.repository.js';
import type { HoldTerms } from '../../src/events/seats.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { testConfig } from '../support/test-app.js';

const TERMS: HoldTerms = { now: 0, offerUntil: 0, expiresAt: 0, maxHolds: 10, maxRenewals: 4, startsAt: null };

/** The Lua scripts straight against Redis: re-delivery safety and one hash slot per script. */
describe('RedisSeatsRepository', () => {
  let redis: RedisClient;
  let seats: RedisSeatsRepository;
  const config = testConfig();

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    seats = new RedisSeatsRepository(redis);
  });
  afterAll(() => redis.quit());

  const now = 1_800_000_000_000;

  it('gives every key of an event script the same cluster slot, prefix included', () => {
    const eventId = randomUUID();
    const slotOf = (key: string) => calculateSlot(config.redisKeyPrefix + key);
    const slots = new Set([
      slotOf(keys.event(eventId)),
      slotOf(keys.eventSeats(eventId)),
      slotOf(keys.seatState(eventId)),
      slotOf(keys.userHoldsInEvent(eventId, randomUUID())),
      slotOf(keys.userHoldsInEvent(eventId, randomUUID())),
    ]);
    expect(slots.size).toBe(1);
    expect(slotOf(keys.seatState(randomUUID()))).not.toBe(-1);
  });

  it('a hold delivered twice holds once, with the same expiry', async () => {
    const [eventId, userId, seatId] = [randomUUID(), randomUUID(), randomUUID()];
    expect(await seats.hold(eventId, userId, [seatId], { ...TERMS, now, expiresAt: now + 60_000 })).toEqual({
      outcome: 'held',
      seatIds: [],
      offers: [],
    });
    expect(await seats.hold(eventId, userId, [seatId], { ...TERMS, now, expiresAt: now + 60_000 })).toEqual({
      outcome: 'held',
      seatIds: [],
      offers: [],
    });
    const states = await seats.states(eventId);
    expect(states.get(seatId)).toEqual({ kind: 'held', userId, until: now + 60_000 });
    expect(await redis.zcard(keys.userHoldsInEvent(eventId, userId))).toBe(1);
  });

  it('a reserve delivered twice reserves once and answers the same time', async () => {
    const [eventId, userId, seatId] = [randomUUID(), randomUUID(), randomUUID()];
    await seats.hold(eventId, userId, [seatId], { ...TERMS, now, expiresAt: now + 60_000 });
    const first = await seats.reserve(eventId, userId, [seatId], now + 10, null);
    const again = await seats.reserve(eventId, userId, [seatId], now + 20, null);
    // The event was never created here: no seat-meta, so no category or price to snapshot.
    expect(first).toEqual({ outcome: 'reserved', newlyReserved: 1, reservedAt: [now + 10], prices: [undefined] });
    expect(again).toEqual({ outcome: 'reserved', newlyReserved: 0, reservedAt: [now + 10], prices: [undefined] });
    expect(await redis.zcard(keys.userSeatReservations(userId))).toBe(1);
  });

  it('counts a hold only while it lasts: at expiresAt it is gone', async () => {
    const [eventId, alice, bob, seatId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await seats.hold(eventId, alice, [seatId], { ...TERMS, now, expiresAt: now + 1000 });
    expect(await seats.hold(eventId, bob, [seatId], { ...TERMS, now: now + 999, expiresAt: now + 2000 })).toEqual({
      outcome: 'taken',
      seatIds: [seatId],
      offers: [],
    });
    expect(await seats.reserve(eventId, alice, [seatId], now + 1000, null)).toEqual({
      outcome: 'not-held',
      seatIds: [seatId],
    });
    expect(await seats.hold(eventId, bob, [seatId], { ...TERMS, now: now + 1000, expiresAt: now + 2000 })).toEqual({
      outcome: 'held',
      seatIds: [],
      offers: [],
    });
  });

  it('lists a user’s live holds across events with different hold times', async () => {
    const [userId, longEvent, shortEvent, seat] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    await seats.hold(longEvent, userId, [seat], { ...TERMS, now, expiresAt: now + 3_600_000 });
    await seats.hold(longEvent, userId, [randomUUID()], { ...TERMS, now, expiresAt: now + 1_000 });
    await seats.hold(shortEvent, userId, [randomUUID()], { ...TERMS, now, expiresAt: now + 1_000 });
    expect(await seats.holdsOf(userId, now + 2_000)).toEqual([
      { eventId: longEvent, seatId: seat, at: now + 3_600_000 },
    ]);
    expect(await redis.zscore(keys.userHoldEvents(userId), longEvent)).toBe(String(now + 3_600_000));
  });
});

import { randomUUID } from 'node:crypto';
import type { Cluster } from 'ioredis';
import type { Booking } from '../../src/bookings/booking.js';
import { RedisBookingsRepository } from '../../src/bookings/redis-bookings.repository.js';
import { RedisEventsRepository } from '../../src/events/redis-events.repository.js';
import { RedisSeatsRepository } from '../../src/events/redis-seats.repository.js';
import type { HoldTerms } from '../../src/events/seats.repository.js';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { startCluster } from '../support/test-cluster.js';
import type { TestCluster } from '../support/test-cluster.js';

/** The outbox note the repository's writes take (what the outbox gets is not what these tests look at). */
const NOTE = { at: 0, data: {} };

const TERMS: HoldTerms = { now: 0, expiresAt: 0, maxHolds: 10, maxRenewals: 4, startsAt: null };

/** The check on Redis Cluster: keys spread over three masters, read with MULTI only within one hash tag. */
describe('IntegrityChecker on Redis Cluster', () => {
  let cluster: TestCluster;
  let redis: Cluster;
  const now = Date.parse('2030-01-07T09:00:00Z');
  const [eventId, alice, bob] = [randomUUID(), randomUUID(), randomUUID()];
  const seatIds = Array.from({ length: 10 }, () => randomUUID());

  beforeAll(async () => {
    cluster = await startCluster(3);
    redis = cluster.client('bk:');
    // The repositories take the one-node client type; an ioredis Cluster has the same commands.
    const client = redis as unknown as RedisClient;
    await new RedisEventsRepository(client).create(
      { id: eventId, name: 'Gala', totalSeats: 10, holdSeconds: 60, startsAt: null, createdAt: now, createdBy: alice },
      seatIds,
    );
    const seats = new RedisSeatsRepository(client);
    await seats.hold(eventId, alice, seatIds.slice(0, 3), { ...TERMS, now, expiresAt: now + 60_000 });
    await seats.reserve(eventId, alice, [seatIds[0]], now, null);
    await seats.hold(eventId, bob, [seatIds[5]], { ...TERMS, now, expiresAt: now + 60_000 });
    const bookings = new RedisBookingsRepository(client);
    for (let i = 0; i < 20; i++) {
      const booking: Booking = {
        id: randomUUID(),
        userId: i % 2 ? alice : bob,
        type: 'apartment',
        title: `Flat ${i}`,
        startTime: now + i * 86_400_000,
        endTime: now + (i + 1) * 86_400_000,
        location: null,
        notes: null,
        reminderMinutesBefore: null,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await bookings.create(booking, NOTE);
      if (i % 5 === 0) await bookings.delete(booking, NOTE);
    }
  }, 30_000);
  afterAll(() => cluster?.stop());

  const check = () =>
    new IntegrityChecker(redis as unknown as RedisClient, INTEGRITY_CHECKS, { now: () => now, settleMs: 0 }).run();

  it('finds nothing wrong in clean data spread over every master', async () => {
    const perMaster = await Promise.all(redis.nodes('master').map((node) => node.dbsize()));
    expect(perMaster.every((n) => n > 0)).toBe(true);
    const report = await check();
    expect(report.findings).toEqual([]);
    expect(report.keysScanned).toBe(perMaster.reduce((a, b) => a + b));
  });

  it('finds a violation on whichever master it is', async () => {
    await redis.zadd(keys.userHoldsInEvent(eventId, bob), now + 60_000, seatIds[0]);
    await redis.set(keys.bookingOwner(randomUUID()), alice);
    const { findings } = await check();
    expect(findings.map((f) => f.invariant).sort()).toEqual(['booking-owner-orphan', 'seat-reserved-and-held']);
    expect(findings.find((f) => f.invariant === 'seat-reserved-and-held')!.keys).toEqual([
      `bk:${keys.userHoldsInEvent(eventId, bob)}`,
      `bk:${keys.seatState(eventId)}`,
    ]);
  });
});

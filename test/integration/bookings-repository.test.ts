import { randomUUID } from 'node:crypto';
import type { Booking } from '../../src/bookings/booking.js';
import { RedisBookingsRepository } from '../../src/bookings/redis-bookings.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { booking } from '../support/factories.js';
import { testConfig } from '../support/test-app.js';

/** The outbox note the repository's writes take (what the outbox gets is not what these tests look at). */
const NOTE = { at: 0, data: {} };

/** The booking scripts against Redis: stale writes, and commands delivered twice (ioredis re-sends after reconnects). */
describe('RedisBookingsRepository', () => {
  let redis: RedisClient;
  let bookings: RedisBookingsRepository;
  const config = testConfig();

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    bookings = new RedisBookingsRepository(redis);
  });
  afterAll(() => redis.quit());

  const indexOf = (b: Booking) => redis.zrange(keys.userBookings(b.userId), '0', '-1');

  it('a create delivered twice is one booking, answered as created both times', async () => {
    const b = booking();
    expect(await bookings.create(b, NOTE)).toEqual({ outcome: 'created' });
    expect(await bookings.create(b, NOTE)).toEqual({ outcome: 'created' });
    expect(await indexOf(b)).toHaveLength(1);
    expect(await redis.get(keys.bookingOwner(b.id))).toBe(b.userId);
  });

  it('a delete from a stale read is refused and leaves the edited booking and its indexes whole', async () => {
    const v1 = booking();
    await bookings.create(v1, NOTE);
    const v2 = { ...v1, startTime: v1.startTime + 86_400_000, title: 'Ballet', version: 2 };
    expect(await bookings.update(v1, v2, NOTE)).toEqual({ outcome: 'done' });
    expect(await bookings.delete(v1, NOTE)).toEqual({ outcome: 'stale', currentVersion: 2 });
    expect(await bookings.find(v1.userId, v1.id)).toEqual(v2);
    expect(await indexOf(v1)).toHaveLength(1);
    // Deleting the current version removes everything: an identical booking can be created again, for real.
    expect(await bookings.delete(v2, NOTE)).toEqual({ outcome: 'done' });
    expect(await indexOf(v1)).toEqual([]);
    const again = booking({ userId: v1.userId, title: 'Ballet', startTime: v2.startTime });
    expect(await bookings.create(again, NOTE)).toEqual({ outcome: 'created' });
    expect(await bookings.find(again.userId, again.id)).toEqual(again);
  });

  it('a delete delivered twice answers deleted both times', async () => {
    const b = booking();
    await bookings.create(b, NOTE);
    expect(await bookings.delete(b, NOTE)).toEqual({ outcome: 'done' });
    expect(await bookings.delete(b, NOTE)).toEqual({ outcome: 'done' });
    expect(await bookings.delete({ ...b, id: randomUUID() }, NOTE)).toEqual({ outcome: 'missing' });
  });

  it('an update delivered twice applies once', async () => {
    const v1 = booking();
    await bookings.create(v1, NOTE);
    const v2 = { ...v1, title: 'Jazz', version: 2 };
    expect(await bookings.update(v1, v2, NOTE)).toEqual({ outcome: 'done' });
    expect(await bookings.update(v1, v2, NOTE)).toEqual({ outcome: 'done' });
    const v2b = { ...v1, title: 'Other', version: 2 };
    expect(await bookings.update(v1, v2b, NOTE)).toEqual({ outcome: 'stale', currentVersion: 2 });
  });
});

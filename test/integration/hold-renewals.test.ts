import { randomUUID } from 'node:crypto';
import { RedisSeatsRepository } from '../../src/events/redis-seats.repository.js';
import type { HoldTerms } from '../../src/events/seats.repository.js';
import { createRedisClient, redisOptionsFrom } from '../../src/redis/redis-client.js';
import type { RedisClient } from '../../src/redis/redis-client.js';
import { keys } from '../../src/redis/keys.js';
import { holdSeatsArgs, seatScripts } from '../../src/events/seat-script-args.js';
import { testConfig } from '../support/test-app.js';

/** The renewal count of the hold script when ioredis re-sends a command after a reconnect. */
describe('hold script: renewals in a row', () => {
  let redis: RedisClient;
  let seats: RedisSeatsRepository;
  const config = testConfig();
  const now = 1_800_000_000_000;
  const terms: HoldTerms = {
    now,
    offerUntil: now,
    expiresAt: now + 60_000,
    maxHolds: 10,
    maxRenewals: 4,
    startsAt: null,
  };

  beforeAll(() => {
    redis = createRedisClient(redisOptionsFrom(config));
    seats = new RedisSeatsRepository(redis);
  });
  afterAll(() => redis.quit());

  /** One hold command exactly as the repository sends it, with a request token of our choosing. */
  const send = (eventId: string, userId: string, seatId: string, token: string) =>
    seatScripts.hold.run(redis, holdSeatsArgs('', eventId, userId, [seatId], terms, token));

  it('counts a re-sent hold once: the same command ten times is one hold, and four renewals remain', async () => {
    const [eventId, userId, seatId] = [randomUUID(), randomUUID(), randomUUID()];
    for (let i = 0; i < 10; i++) expect(await send(eventId, userId, seatId, 'request-0')).toEqual([1]);
    for (let n = 1; n <= 4; n++) expect(await send(eventId, userId, seatId, `request-${n}`)).toEqual([1]);
    // The fourth renewal, re-sent, answers as it did; a fifth is refused.
    expect(await send(eventId, userId, seatId, 'request-4')).toEqual([1]);
    expect(await send(eventId, userId, seatId, 'request-5')).toEqual([-3, seatId]);
    expect(await seats.hold(eventId, userId, [seatId], terms)).toEqual({
      outcome: 'renewal-limit',
      seatIds: [seatId],
      offers: [],
    });
  });

  it('keeps the counts in one expiring key of the event’s slot', async () => {
    const [eventId, userId, seatId] = [randomUUID(), randomUUID(), randomUUID()];
    await seats.hold(eventId, userId, [seatId], terms);
    // One hold time after the newest hold ends, in Redis' own clock terms (PEXPIRETIME is absolute).
    expect(await redis.pexpiretime(keys.holdRenewals(eventId))).toBe(now + 120_000);
  });
});

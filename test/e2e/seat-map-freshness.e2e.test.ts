import { ManualClock } from '../../src/common/clock.js';
import { keys } from '../../src/redis/keys.js';
import { SeatsRepository } from '../../src/events/seats.repository.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { createEvent, seatMap } from '../support/events.js';
import type { SeatRow } from '../support/events.js';

/**
 * The seat map is reused between reads (SeatMapCache) only while it is exactly what a fresh read gives: every change
 * made anywhere, and every hold that runs out by time alone, shows in the very next read. Two instances share one
 * Redis and one clock; A reads first each time, so that A has a seat map it could wrongly reuse.
 */
describe('seat map freshness across instances', () => {
  const clock = new ManualClock();
  let a: TestApp;
  let b: TestApp;
  let manager: Account;
  let alice: Account;
  let bob: Account;
  let event: { id: string; seats: SeatRow[] };

  beforeAll(async () => {
    a = await TestApp.start({ accessTokenTtlSeconds: 86_400 }, clock);
    b = await TestApp.start({ accessTokenTtlSeconds: 86_400, redisKeyPrefix: a.config.redisKeyPrefix }, clock);
    manager = await a.register('manager');
    alice = await a.register();
    bob = await a.register();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });
  beforeEach(async () => {
    event = await createEvent(a, manager, { numberOfSeats: 10, holdSeconds: 5 });
  });

  const seatUrl = (n: number, action: string) => `/v1/events/${event.id}/seats/${event.seats[n - 1].id}/${action}`;
  /** The numbers of the seats listed by GET /seats (available ones only). */
  const available = async (t: TestApp) =>
    (await t.http().get(`/v1/events/${event.id}/seats`).expect(200)).body.map((s: SeatRow) => s.number);
  const counts = async (t: TestApp) => (await t.http().get(`/v1/events/${event.id}`).expect(200)).body.counts;

  it('shows a hold, its release and a reservation made on the other instance in the next read', async () => {
    expect((await seatMap(a, event.id))[2]).toBe('available');
    expect(await available(a)).toContain(2);

    await b.http().post(seatUrl(2, 'hold')).set(alice.auth).expect(200);
    expect((await seatMap(a, event.id))[2]).toBe('held');
    expect(await available(a)).not.toContain(2);
    expect(await counts(a)).toEqual({ available: 9, held: 1, reserved: 0 });

    await b.http().delete(seatUrl(2, 'hold')).set(alice.auth).expect(204);
    expect((await seatMap(a, event.id))[2]).toBe('available');
    expect(await available(a)).toContain(2);

    // Held, then reserved: the same seat has a stored state both times, only its value changes.
    await b.http().post(seatUrl(2, 'hold')).set(alice.auth).expect(200);
    expect((await seatMap(a, event.id))[2]).toBe('held');
    await b.http().post(seatUrl(2, 'reserve')).set(alice.auth).expect(201);
    expect((await seatMap(a, event.id))[2]).toBe('reserved');
    expect(await counts(a)).toEqual({ available: 9, held: 0, reserved: 1 });
  });

  it('shows a hold running out by time in the first read after it ended, with nothing stored changing', async () => {
    await b.http().post(seatUrl(3, 'hold')).set(alice.auth).expect(200);
    const stored = await a.redis.hget(keys.seatState(event.id), event.seats[2].id);
    expect((await seatMap(a, event.id))[3]).toBe('held');
    expect(await available(a)).not.toContain(3);

    clock.advance(4_999);
    expect((await seatMap(a, event.id))[3]).toBe('held');
    clock.advance(1); // the hold's expiresAt: from now on it no longer counts
    expect((await seatMap(a, event.id))[3]).toBe('available');
    expect(await available(a)).toContain(3);
    expect(await counts(a)).toEqual({ available: 10, held: 0, reserved: 0 });
    // Nothing announced the expiry (the sweeper is off in tests): the time alone made the difference.
    expect(await a.redis.hget(keys.seatState(event.id), event.seats[2].id)).toBe(stored);
  });

  it('shows a lapsed hold taken over by someone else, and the sweeper freeing a hold, in the next read', async () => {
    await a.http().post(seatUrl(4, 'hold')).set(alice.auth).expect(200);
    clock.advance(5_000);
    expect((await seatMap(a, event.id))[4]).toBe('available');
    await b.http().post(seatUrl(4, 'hold')).set(bob.auth).expect(200);
    expect((await seatMap(a, event.id))[4]).toBe('held');

    clock.advance(5_000);
    expect(await b.app.get(SeatsRepository).expireDue(clock.now(), 100)).toBeGreaterThan(0);
    expect(await a.redis.hget(keys.seatState(event.id), event.seats[3].id)).toBeNull();
    expect((await seatMap(a, event.id))[4]).toBe('available');
    await b.http().post(seatUrl(4, 'hold')).set(alice.auth).expect(200);
    expect((await seatMap(a, event.id))[4]).toBe('held');
  });
});

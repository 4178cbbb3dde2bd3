import { encodeSeatReservation } from '../../src/events/seat-state.codec.js';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

/** Prices on reservations where the stored data is not what the reserve script expects, and stale index entries. */
describe('reservation prices: stale entries and stored data the script cannot use (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  async function theatre(): Promise<{ eventId: string; seatIds: string[] }> {
    const res = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Hamlet', layout: THEATRE });
    expect(res.status).toBe(201);
    const eventId = res.body.id as string;
    const seats = await t.http().get(`/v1/events/${eventId}/seats`);
    return { eventId, seatIds: seats.body.map((s: { id: string }) => s.id) };
  }
  const hold = (eventId: string, who: { auth: { Authorization: string } }, seatIds: string[]) =>
    t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send({ seatIds }).expect(200);
  const reserve = (eventId: string, who: { auth: { Authorization: string } }, seatIds: string[]) =>
    t.http().post(`/v1/events/${eventId}/reservations`).set(who.auth).send({ seatIds });

  // Review 4 (seats-final): a stale index entry is no longer listed with price null; it is dropped and forgotten.
  it('drops an index entry whose seat is now someone else’s reservation, and leaves it out of the totals', async () => {
    const { eventId, seatIds } = await theatre();
    const alice = t.bearer();
    const bob = t.bearer();
    await hold(eventId, bob, [seatIds[0], seatIds[4]]);
    expect((await reserve(eventId, bob, [seatIds[0], seatIds[4]])).status).toBe(201);
    // Alice's index still names seat 1 from a reservation that is gone (a stale hint); seat 1 is Bob's now.
    const at = t.clock.now() - 60_000;
    await t.redis.zadd(
      keys.userSeatReservations(alice.id),
      0,
      encodeSeatReservation({ eventId, seatId: seatIds[0], at }),
    );
    const mine = await t.http().get('/v1/users/me/reservations').set(alice.auth);
    expect(mine.status).toBe(200);
    expect(mine.body.items).toEqual([]);
    expect(mine.body.totals).toEqual([]);
    expect(await t.redis.zcard(keys.userSeatReservations(alice.id))).toBe(0);
    // Bob's own listing still shows his prices.
    const his = await t.http().get('/v1/users/me/reservations').set(bob.auth);
    expect(his.body.totals).toEqual([{ currency: 'EUR', amount: 12_500 }]);
  });

  it('refuses the whole reservation, writing nothing, when one seat’s stored category cannot be read', async () => {
    const { eventId, seatIds } = await theatre();
    const carol = t.bearer();
    // Seat 1 is premium (readable), seat 5 standard: its stored category is corrupt.
    await hold(eventId, carol, [seatIds[0], seatIds[4]]);
    await t.redis.hset(keys.eventCategories(eventId), 'standard', '{"name":"Standard","price":');
    const before = await t.redis.hgetall(keys.seatState(eventId));
    const seqBefore = await t.redis.get(keys.seatSeq(eventId));
    const res = await reserve(eventId, carol, [seatIds[0], seatIds[4]]);
    expect(res.status).not.toBe(201);
    expect(res.status).not.toBe(200);
    expect(await t.redis.hgetall(keys.seatState(eventId))).toEqual(before);
    expect(await t.redis.get(keys.seatSeq(eventId))).toBe(seqBefore);
    const status = (await t.http().get(`/v1/events/${eventId}/seat-status`)).body.status as string;
    expect([status[0], status[4]]).toEqual(['h', 'h']);
  });

  it('stores the three-field reservation for a seat without seat-meta (an event not migrated yet), never an empty category', async () => {
    const { eventId, seatIds } = await theatre();
    const dave = t.bearer();
    await hold(eventId, dave, [seatIds[0]]);
    await t.redis.hdel(keys.seatMeta(eventId), seatIds[0]);
    const res = await reserve(eventId, dave, [seatIds[0]]);
    expect(res.status).toBe(201);
    const stored = await t.redis.hget(keys.seatState(eventId), seatIds[0]);
    expect(stored).toMatch(new RegExp(`^R\\|${dave.id}\\|\\d+$`));
    expect(res.body.seats[0]).toMatchObject({ categoryId: 'premium', price: null });
    expect(res.body.totals).toEqual([]);
  });
});

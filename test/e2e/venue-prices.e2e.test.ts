import { encodeSeatReservation } from '../../src/events/seat-state.codec.js';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

const EUR = (amount: number) => ({ amount, currency: 'EUR' });

describe('prices on reservations (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  let eventId: string;
  let seatIds: string[];

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
    const categories = [...THEATRE.categories, { id: 'box', name: 'Box', price: { amount: 300, currency: 'GBP' } }];
    const sections = [...THEATRE.sections, { name: 'Boxes', categoryId: 'box', rows: [{ label: '1', count: 2 }] }];
    const res = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: 'Hamlet', layout: { categories, sections } });
    expect(res.status).toBe(201);
    eventId = res.body.id;
    seatIds = (await t.http().get(`/v1/events/${eventId}/seats`)).body.map((s: { id: string }) => s.id);
  });
  afterAll(() => t.close());

  const holdAndReserve = async (who: { auth: { Authorization: string } }, ids: string[]) => {
    await t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send({ seatIds: ids }).expect(200);
    return t.http().post(`/v1/events/${eventId}/reservations`).set(who.auth).send({ seatIds: ids });
  };
  const setPrice = (categoryId: string, price: unknown) =>
    t.http().patch(`/v1/events/${eventId}/categories/${categoryId}`).set(manager.auth).send({ price }).expect(200);

  it('records each seat’s category and price at reserve time, with totals per currency; a later price change alters neither', async () => {
    const alice = t.bearer();
    // Seat 1 (premium), seat 5 (standard), seat 13 (box, GBP).
    const picked = [seatIds[0], seatIds[4], seatIds[12]];
    const first = await holdAndReserve(alice, picked);
    expect(first.status).toBe(201);
    expect(first.body.seats.map((s: object) => ({ ...s, reservedAt: undefined }))).toEqual([
      expect.objectContaining({ seatId: picked[0], categoryId: 'premium', price: EUR(8000) }),
      expect.objectContaining({ seatId: picked[1], categoryId: 'standard', price: EUR(4500) }),
      expect.objectContaining({ seatId: picked[2], categoryId: 'box', price: { amount: 300, currency: 'GBP' } }),
    ]);
    expect(first.body.totals).toEqual([
      { currency: 'EUR', amount: 12_500 },
      { currency: 'GBP', amount: 300 },
    ]);

    // The six-field value is a reservation to every seat script: nobody else can hold the seat, nor release it.
    const mallory = t.bearer();
    const taken = await t.http().post(`/v1/events/${eventId}/seats/${picked[0]}/hold`).set(mallory.auth);
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('SEAT_UNAVAILABLE');
    expect((await t.http().get(`/v1/events/${eventId}/seat-status`)).body.status.slice(0, 1)).toBe('r');

    await setPrice('premium', EUR(9900));
    await setPrice('standard', null);

    // A retry of the same reservation answers as the first time, prices included.
    const again = await t.http().post(`/v1/events/${eventId}/reservations`).set(alice.auth).send({ seatIds: picked });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);

    const mine = await t.http().get('/v1/users/me/reservations').set(alice.auth);
    // Same reservedAt: listed by seat id.
    const listed = mine.body.items.map((i: { categoryId: string; price: unknown }) => [i.categoryId, i.price]);
    expect(listed).toHaveLength(3);
    expect(listed).toEqual(
      expect.arrayContaining([
        ['premium', EUR(8000)],
        ['standard', EUR(4500)],
        ['box', { amount: 300, currency: 'GBP' }],
      ]),
    );
    expect(mine.body.totals).toEqual(first.body.totals);

    // Seats reserved after the change get the new prices (and none where the category has none now).
    const bob = t.bearer();
    const later = await holdAndReserve(bob, [seatIds[1], seatIds[5]]);
    expect(later.body.seats.map((s: { price: unknown }) => s.price)).toEqual([EUR(9900), null]);
    expect(later.body.totals).toEqual([{ currency: 'EUR', amount: 9900 }]);
  });

  it('shows a reservation stored before prices existed with its seat’s category and no price', async () => {
    const carol = t.bearer();
    const seatId = seatIds[2];
    const at = t.clock.now();
    // What a reservation of an earlier release left: the three-field value and its index member.
    await t.redis.hset(keys.seatState(eventId), seatId, `R|${carol.id}|${at}`);
    await t.redis.zadd(keys.userSeatReservations(carol.id), 0, encodeSeatReservation({ eventId, seatId, at }));
    const mine = await t.http().get('/v1/users/me/reservations').set(carol.auth);
    expect(mine.body).toEqual({
      items: [
        {
          eventId,
          seatId,
          number: 3,
          reservedAt: new Date(at).toISOString(),
          categoryId: 'premium',
          price: null,
        },
      ],
      nextCursor: null,
      totals: [],
    });
    // Reserving it again (a retry) answers the stored reservation, also without a price.
    const retry = await t.http().post(`/v1/events/${eventId}/seats/${seatId}/reserve`).set(carol.auth);
    expect(retry.status).toBe(200);
    expect(retry.body).toMatchObject({ categoryId: 'premium', price: null });
  });
});

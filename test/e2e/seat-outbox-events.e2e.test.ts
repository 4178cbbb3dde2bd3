import { SeatsRepository } from '../../src/events/seats.repository.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { outboxOf } from '../support/outbox.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

type Who = { id: string; auth: Record<string, string> };

/**
 * The seat scripts of the waiting-line branch append their outbox events in the same step as the change (the relay
 * is off in tests, so the stream keeps what the scripts wrote): seat.reserved, hold.expired wherever a lapsed hold is
 * freed (the sweeper and best-available on its way), waitlist.offered with what mail's template reads, and
 * seat.reservation-cancelled.
 */
describe('outbox events of the seat and waiting-line scripts', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 50, waitlistOfferSeconds: 300, accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const path = (eventId: string, rest = '') => `/v1/events/${eventId}${rest}`;
  const hold = (eventId: string, who: Who, seatIds: string[]) =>
    t.http().post(path(eventId, '/holds')).set(who.auth).send({ seatIds }).expect(200);
  const typesOf = async (eventId: string) => (await outboxOf(t.redis, keys.eventOutbox(eventId))).map((e) => e.type);

  it('reserve appends seat.reserved once; a cancel appends seat.reservation-cancelled', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const alice = t.bearer();
    const seat = event.seats[0].id;
    await hold(event.id, alice, [seat]);
    const reserve = () =>
      t
        .http()
        .post(path(event.id, '/reservations'))
        .set(alice.auth)
        .send({ seatIds: [seat] });
    expect((await reserve()).status).toBe(201);
    expect((await reserve()).status).toBe(200);
    await t
      .http()
      .delete(path(event.id, `/seats/${seat}/reservation`))
      .set(manager.auth)
      .expect(204);
    const entries = await outboxOf(t.redis, keys.eventOutbox(event.id));
    expect(entries.map((e) => e.type)).toEqual(['seat.reserved', 'seat.reservation-cancelled']);
    expect(entries[0]).toMatchObject({ userId: alice.id, owners: [manager.id], data: { seatIds: [seat] } });
    expect(entries[1]).toMatchObject({
      userId: alice.id,
      owners: [manager.id],
      data: { eventId: event.id, seatId: seat, userId: alice.id, cancelledBy: manager.id },
    });
  });

  it('a lapsed hold freed by the sweeper or by best-available is a hold.expired', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10, holdSeconds: 60 });
    const [a, b] = [t.bearer(), t.bearer()];
    await hold(event.id, a, [event.seats[0].id]);
    t.clock.advance(61_000);
    await t.http().post(path(event.id, '/holds')).set(b.auth).send({ quantity: 1 }).expect(200);
    expect(await typesOf(event.id)).toEqual(['hold.expired']);
    t.clock.advance(61_000);
    await t.app.get(SeatsRepository).expireDue(t.clock.now(), 100);
    const entries = await outboxOf(t.redis, keys.eventOutbox(event.id));
    expect(entries.map((e) => e.type)).toEqual(['hold.expired', 'hold.expired']);
    expect(entries[0]).toMatchObject({ userId: a.id, data: { seatId: event.seats[0].id, userId: a.id } });
    expect(entries[1]).toMatchObject({ userId: b.id, owners: [manager.id] });
  });

  it('an offer is a waitlist.offered with the seats, their category and price, and until when', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const [holder, waiting] = [t.bearer(), t.bearer()];
    const seatIds = event.seats.map((s) => s.id);
    await hold(event.id, holder, seatIds);
    await t.http().post(path(event.id, '/waitlist')).set(waiting.auth).send({ quantity: 1 }).expect(201);
    await t
      .http()
      .delete(path(event.id, `/seats/${seatIds[1]}/hold`))
      .set(holder.auth)
      .expect(204);
    const entries = await outboxOf(t.redis, keys.eventOutbox(event.id));
    expect(entries.map((e) => e.type)).toEqual(['waitlist.offered']);
    const [offered] = entries;
    expect(offered).toMatchObject({
      userId: waiting.id,
      owners: [manager.id],
      data: {
        eventId: event.id,
        userId: waiting.id,
        seatIds: [seatIds[1]],
        seats: [{ seatId: seatIds[1], categoryId: expect.any(String) }],
        expiresAt: new Date(t.clock.now() + 300_000).toISOString(),
      },
    });
    expect(typeof (offered.data as { eventName: unknown }).eventName).toBe('string');
  });
});

import { randomUUID } from 'node:crypto';
import { AppointmentsService } from '../../src/appointments/appointments.service.js';
import { SeatsRepository } from '../../src/events/seats.repository.js';
import { ReminderWorker } from '../../src/notifications/bull-reminders.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { T0, iso, ok } from '../support/integrity-base.js';
import { outboxOf } from '../support/outbox.js';
import { EVENING, bookMoveCancelThenGuest, restaurantWithTable } from '../support/restaurants.js';
import { TestApp } from '../support/test-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * Every change that leaves the service appends its event to its aggregate's outbox in the script that makes it
 * (the relay is off here, so the streams keep what the scripts wrote), with a stable id, the user it concerns and
 * the managers whose aggregate it is; a repeated request that changes nothing appends nothing.
 */
describe('outbox entries of each domain', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    t.clock.set(T0);
  });
  afterAll(() => t.close());

  it('seats: seat.reserved once per reservation, hold.expired per lapsed hold, owned by the event creator', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const [a, b] = [t.bearer(), t.bearer()];
    const seat = (n: number) => `/v1/events/${event.id}/seats/${event.seats[n].id}`;
    ok(
      await t
        .http()
        .post(`${seat(0)}/hold`)
        .set(a.auth),
      200,
    );
    ok(
      await t
        .http()
        .post(`${seat(0)}/reserve`)
        .set(a.auth),
      201,
    );
    ok(
      await t
        .http()
        .post(`${seat(0)}/reserve`)
        .set(a.auth),
      200,
    );
    ok(
      await t
        .http()
        .post(`${seat(1)}/hold`)
        .set(b.auth),
      200,
    );
    t.clock.advance(61 * 60_000);
    await t.app.get(SeatsRepository).expireDue(t.clock.now(), 10);

    const entries = await outboxOf(t.redis, keys.eventOutbox(event.id));
    expect(entries.map((e) => e.type)).toEqual(['seat.reserved', 'hold.expired']);
    const [reserved, expired] = entries;
    expect(reserved).toMatchObject({
      userId: a.id,
      owners: [manager.id],
      data: { eventId: event.id, userId: a.id, seatIds: [event.seats[0].id], reservedAt: iso(T0) },
    });
    expect(reserved.id).toMatch(/^evt_[0-9a-f]{32}$/);
    expect(expired).toMatchObject({ userId: b.id, owners: [manager.id], data: { seatId: event.seats[1].id } });
  });

  it('bookings: created, updated and deleted in the owner’s outbox, with the API view', async () => {
    const alice = await t.register();
    const created = ok(
      await t
        .http()
        .post('/v1/bookings')
        .set(alice.auth)
        .send({ type: 'apartment', title: 'Flat', startTime: iso(T0 + 10 * HOUR), endTime: iso(T0 + 20 * HOUR) }),
      201,
    ).body;
    ok(
      await t.http().patch(`/v1/bookings/${created.id}`).set(alice.auth).set('If-Match', '"1"').send({ title: 'Loft' }),
      200,
    );
    ok(await t.http().delete(`/v1/bookings/${created.id}`).set(alice.auth), 204);

    const entries = await outboxOf(t.redis, keys.userOutbox(alice.id));
    expect(entries.map((e) => e.type)).toEqual(['booking.created', 'booking.updated', 'booking.deleted']);
    expect(entries[0].data).toEqual(created);
    expect(entries[1].data).toMatchObject({ id: created.id, title: 'Loft', version: 2 });
    expect(entries[2].data).toEqual({ id: created.id, userId: alice.id });
    expect(entries.every((e) => e.userId === alice.id && e.owners.length === 0)).toBe(true);
    expect(new Set(entries.map((e) => e.id)).size).toBe(3);
  });

  it('appointments: reserved, confirmed, cancelled and expired (once, however often the sweep runs)', async () => {
    const [provider, client] = [await t.register('provider'), await t.register()];
    const slots = ok(
      await t
        .http()
        .post('/v1/providers/me/availability')
        .set(provider.auth)
        .send({ windows: [{ start: iso(T0 + 48 * HOUR), end: iso(T0 + 49 * HOUR) }] }),
      201,
    ).body.slots as { id: string }[];
    const reserve = async (n: number) =>
      ok(await t.http().post('/v1/appointments').set(client.auth).send({ slotId: slots[n].id }), 201).body;
    const first = await reserve(0);
    ok(await t.http().post(`/v1/appointments/${first.id}/confirm`).set(client.auth), 200);
    const second = await reserve(1);
    ok(await t.http().delete(`/v1/appointments/${second.id}`).set(client.auth), 200, 204);
    const third = await reserve(2);
    t.clock.advance(31 * MIN);
    const appointments = t.app.get(AppointmentsService);
    await appointments.announceExpired();
    await appointments.announceExpired();

    const entries = await outboxOf(t.redis, keys.providerOutbox(provider.id));
    expect(entries.map((e) => [e.type, e.data.id])).toEqual([
      ['appointment.reserved', first.id],
      ['appointment.confirmed', first.id],
      ['appointment.reserved', second.id],
      ['appointment.cancelled', second.id],
      ['appointment.reserved', third.id],
      ['appointment.expired', third.id],
    ]);
    expect(entries[0].data).toEqual({
      id: first.id,
      slotId: slots[0].id,
      providerId: provider.id,
      clientId: client.id,
      start: first.start,
      end: first.end,
      expiresAt: first.expiresAt,
      status: 'pending',
    });
    expect(entries.every((e) => e.userId === client.id)).toBe(true);
  });

  it('restaurants: booked, moved and cancelled, owned by the restaurant’s manager; a guest’s concerns no user', async () => {
    const [manager, diner] = [await t.register('manager'), await t.register()];
    const { restaurant, reservations } = await restaurantWithTable(t, manager, 'Chez Outbox');
    const booked = await bookMoveCancelThenGuest(t, manager, diner, reservations);

    const entries = await outboxOf(t.redis, keys.restaurantOutbox(restaurant.id));
    expect(entries.map((e) => e.type)).toEqual([
      'restaurant-reservation.booked',
      'restaurant-reservation.moved',
      'restaurant-reservation.cancelled',
      'restaurant-reservation.booked',
    ]);
    expect(entries.every((e) => e.owners.length === 1 && e.owners[0] === manager.id)).toBe(true);
    expect(entries.slice(0, 3).every((e) => e.userId === diner.id)).toBe(true);
    expect(entries[1].data).toMatchObject({
      id: booked.id,
      restaurantId: restaurant.id,
      restaurantName: 'Chez Outbox',
      timezone: 'Europe/Paris',
      start: iso(EVENING + HOUR),
      partySize: 2,
      status: 'booked',
      guest: false,
    });
    expect(entries[3]).toMatchObject({ userId: null, data: { guest: true } });
  });

  it('reminders: reminder.due in the user’s outbox with the inbox write, once per reminder run', async () => {
    const userId = randomUUID();
    const worker = t.app.get(ReminderWorker);
    const reminder = {
      id: `appointment-${randomUUID()}`,
      userId,
      runAt: T0,
      type: 'appointment.reminder',
      title: 'Your appointment starts soon',
      data: { appointmentId: 'a1' },
    };
    await worker.run(reminder);
    await worker.run(reminder);

    const entries = await outboxOf(t.redis, keys.userOutbox(userId));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      type: 'reminder.due',
      userId,
      data: { userId, reminderType: 'appointment.reminder', appointmentId: 'a1', dueAt: iso(T0) },
    });
  });
});

import { encodeSeatReservation } from '../../src/events/seat-state.codec.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent, eventsApp, holdSeats } from '../support/events.js';

/**
 * Review 4: an entry of the user's reservation index left behind by a cancel whose index removal was lost (a re-sent
 * cancel, a crash between the script and the ZREM) no longer shows the cancelled seat forever: it is dropped from the
 * answer and from the index.
 */
describe('my reservations drop index entries without a matching reservation (HTTP)', () => {
  const app = eventsApp({ accessTokenTtlSeconds: 86_400 });

  it('lists only current reservations and forgets the stale entry', async () => {
    const { t, manager } = app;
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const [a, b] = event.seats.map((s) => s.id);
    const alice = t.bearer();
    await holdSeats(t, event.id, alice, [a, b]);
    await t
      .http()
      .post(`/v1/events/${event.id}/reservations`)
      .set(alice.auth)
      .send({ seatIds: [a, b] })
      .expect(201);
    await t.http().delete(`/v1/events/${event.id}/seats/${b}/reservation`).set(alice.auth).expect(204);
    // The lost index removal, planted back.
    const at = t.clock.now();
    await t.redis.zadd(
      keys.userSeatReservations(alice.id),
      0,
      encodeSeatReservation({ eventId: event.id, seatId: b, at }),
    );
    const mine = await t.http().get('/v1/users/me/reservations').set(alice.auth).expect(200);
    expect(mine.body.items.map((i: { seatId: string }) => i.seatId)).toEqual([a]);
    expect(await t.redis.zcard(keys.userSeatReservations(alice.id))).toBe(1);
  });
});

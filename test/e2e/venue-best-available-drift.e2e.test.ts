import { keys } from '../../src/redis/keys.js';
import { createEvent, eventsApp, holdSeats } from '../support/events.js';

/**
 * Review 7: best available reads the states of the seats the free index offers it; a seat the index lists but that is
 * held (index drift) is dropped from the index and passed over, never held by a second user.
 */
describe('best available does not trust a drifted free index (HTTP)', () => {
  const app = eventsApp({ accessTokenTtlSeconds: 86_400 });

  it('passes over a held seat that is still in its free set, and repairs the set', async () => {
    const { t, manager } = app;
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const first = event.seats[0].id;
    const alice = t.bearer();
    await holdSeats(t, event.id, alice, [first]);
    const [category] = await t.redis.hkeys(keys.eventCategories(event.id));
    // Plant the drift: the held seat back in its free set, at its best-available order.
    await t.redis.zadd(keys.freeSeats(event.id, category), 0, first);
    const res = await t
      .http()
      .post(`/v1/events/${event.id}/holds`)
      .set(t.bearer().auth)
      .send({ quantity: 1 })
      .expect(200);
    expect(res.body.seats.map((s: { seatId: string }) => s.seatId)).not.toContain(first);
    expect((await t.redis.hget(keys.seatState(event.id), first))?.split('|')[1]).toBe(alice.id);
    expect(await t.redis.zscore(keys.freeSeats(event.id, category), first)).toBeNull();
  });
});

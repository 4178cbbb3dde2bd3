import { parseSeatOffer, parseWaitlistEntry } from '../../src/events/waitlist.codec.js';
import { keys } from '../../src/redis/keys.js';
import { WAITLIST_CONFIG, createEvent, eventsApp, holdSeats } from '../support/events.js';

/**
 * Review 10: releases racing joins of mixed quantities, starting from an empty line, so the late joins can be the
 * ones that fit. Asserted from the server's state once settled: no entry that fits the free seats is left waiting,
 * and every offer gave its entry exactly its quantity.
 */
describe('releases racing joins leave no fitting entry waiting (HTTP)', () => {
  const app = eventsApp(WAITLIST_CONFIG);

  it('settles with every fitting entry served', async () => {
    const { t, manager } = app;
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const seatIds = event.seats.map((s) => s.id);
    const holders = seatIds.map(() => t.bearer());
    await Promise.all(holders.map((h, i) => holdSeats(t, event.id, h, [seatIds[i]])));
    const joiners = Array.from({ length: 10 }, () => t.bearer());
    const quantities = joiners.map((_, i) => 1 + (i % 3));
    const joined = new Map<string, number>();
    await Promise.all([
      ...holders.map((h, i) => t.http().delete(`/v1/events/${event.id}/seats/${seatIds[i]}/hold`).set(h.auth)),
      ...joiners.map(async (j, i) => {
        const res = await t
          .http()
          .post(`/v1/events/${event.id}/waitlist`)
          .set(j.auth)
          .send({ quantity: quantities[i] });
        if (res.status === 201) joined.set(j.id, quantities[i]);
      }),
    ]);
    const [entries, offers, free] = await Promise.all([
      t.redis.hgetall(keys.waitlistEntries(event.id)),
      t.redis.hgetall(keys.seatOffers(event.id)),
      t.redis.zcard(keys.freeSeats(event.id, (await t.redis.hkeys(keys.eventCategories(event.id)))[0])),
    ]);
    for (const value of Object.values(entries)) {
      expect({ entry: value, fits: parseWaitlistEntry(value)!.quantity <= free }).toEqual({
        entry: value,
        fits: false,
      });
    }
    const perUser = new Map<string, number>();
    for (const value of Object.values(offers)) {
      const offer = parseSeatOffer(value)!;
      perUser.set(offer.userId, (perUser.get(offer.userId) ?? 0) + 1);
    }
    for (const [userId, count] of perUser) expect({ userId, count }).toEqual({ userId, count: joined.get(userId) });
  });
});

import { parseSeatOffer } from '../../src/events/waitlist.codec.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

type Who = { id: string; auth: Record<string, string> };

/**
 * The waiting line's offers as the seat-status string shows them (`o`), and an offer made from a drifted free index
 * (a held seat still in its free set): the offer reads the seats' states first, as best available does.
 */
describe('waiting-line offers: seat-status `o` and a drifted free index (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 50, waitlistOfferSeconds: 300, accessTokenTtlSeconds: 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const hold = (eventId: string, who: Who, seatIds: string[]) =>
    t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send({ seatIds }).expect(200);
  const offers = async (eventId: string) =>
    Object.entries(await t.redis.hgetall(keys.seatOffers(eventId))).map(([seatId, v]) => ({
      seatId,
      ...parseSeatOffer(v)!,
    }));

  /** A sold-out event of 10 seats held by one holder, one waiting entry of 1 seat; answers the ids. */
  async function soldOutWithWaiter() {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const seatIds = event.seats.map((s) => s.id);
    const holder = t.bearer();
    await hold(event.id, holder, seatIds);
    const waiter = t.bearer();
    await t.http().post(`/v1/events/${event.id}/waitlist`).set(waiter.auth).send({ quantity: 1 }).expect(201);
    return { eventId: event.id, seatIds, holder, waiter };
  }

  it('shows an offered seat as `o` while the offer holds it, ordinary holds as `h`', async () => {
    const { eventId, seatIds, holder, waiter } = await soldOutWithWaiter();
    await t.http().delete(`/v1/events/${eventId}/seats/${seatIds[9]}/hold`).set(holder.auth).expect(204);
    await eventually(async () => expect(await offers(eventId)).toHaveLength(1), 5000);
    expect((await offers(eventId))[0]).toMatchObject({ seatId: seatIds[9], userId: waiter.id });
    const res = await t.http().get(`/v1/events/${eventId}/seat-status`).expect(200);
    expect(res.body.status).toBe('hhhhhhhhho');
  });

  it('an offer passes over a held seat still listed in its free set, and repairs the set', async () => {
    const { eventId, seatIds, holder, waiter } = await soldOutWithWaiter();
    const [category] = await t.redis.hkeys(keys.eventCategories(eventId));
    // Plant the drift: the first seat (held) back in its free set, ahead of the seat about to be freed.
    await t.redis.zadd(keys.freeSeats(eventId, category!), 0, seatIds[0]!);
    await t.http().delete(`/v1/events/${eventId}/seats/${seatIds[9]}/hold`).set(holder.auth).expect(204);
    await eventually(async () => expect(await offers(eventId)).toHaveLength(1), 5000);
    expect((await offers(eventId))[0]).toMatchObject({ seatId: seatIds[9], userId: waiter.id });
    expect((await t.redis.hget(keys.seatState(eventId), seatIds[0]!))?.split('|')[1]).toBe(holder.id);
    expect(await t.redis.zscore(keys.freeSeats(eventId, category!), seatIds[0]!)).toBeNull();
  });
});

import { HoldExpirySweeper } from '../../src/events/hold-expiry.sweeper.js';
import { parseSeatOffer } from '../../src/events/waitlist.codec.js';
import { LiveEvents } from '../../src/notifications/live-events.js';
import type { UserEvent } from '../../src/notifications/live-events.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

type Who = { id: string; auth: Record<string, string> };

/** The waiting line with price categories, on a layout made through the API (issue 19). */
describe('waiting line by category (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 50, accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  /** The theatre (4 premium seats in Stalls A; Stalls B and the balcony standard), every seat held by one holder. */
  async function soldOutTheatre() {
    const res = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Hamlet', layout: THEATRE });
    expect(res.status).toBe(201);
    const seats = (await t.http().get(`/v1/events/${res.body.id}/seats?status=all`)).body as {
      id: string;
      categoryId: string;
    }[];
    const holder = t.bearer();
    for (let i = 0; i < seats.length; i += 10) {
      await t
        .http()
        .post(`/v1/events/${res.body.id}/holds`)
        .set(holder.auth)
        .send({ seatIds: seats.slice(i, i + 10).map((s) => s.id) })
        .expect(200);
    }
    const of = (categoryId: string) => seats.filter((s) => s.categoryId === categoryId).map((s) => s.id);
    return { id: res.body.id as string, holder, premium: of('premium'), standard: of('standard') };
  }
  const join = (eventId: string, who: Who, body: Record<string, unknown>) =>
    t.http().post(`/v1/events/${eventId}/waitlist`).set(who.auth).send(body).expect(201);
  const release = (eventId: string, who: Who, seatId: string) =>
    t.http().delete(`/v1/events/${eventId}/seats/${seatId}/hold`).set(who.auth).expect(204);
  const offered = async (eventId: string) =>
    Object.entries(await t.redis.hgetall(keys.seatOffers(eventId))).map(([seatId, v]) => ({
      seatId,
      userId: parseSeatOffer(v)!.userId,
    }));

  it('offers a freed seat to the first entry whose category and quantity fit, whole-event entries over all categories', async () => {
    const event = await soldOutTheatre();
    const [bob, carol, dave] = [t.bearer(), t.bearer(), t.bearer()];
    await join(event.id, bob, { quantity: 1, categoryId: 'premium' });
    await join(event.id, carol, { quantity: 2 });
    await join(event.id, dave, { quantity: 1, categoryId: 'standard' });
    const lengths = await t.http().get(`/v1/events/${event.id}/waitlist`).set(manager.auth).expect(200);
    expect(lengths.body.total).toBe(3);

    // A standard seat: bob waits for premium, carol for two: dave, third in line, is the first it fits.
    await release(event.id, event.holder, event.standard[0]);
    expect(await offered(event.id)).toEqual([{ seatId: event.standard[0], userId: dave.id }]);
    await release(event.id, event.holder, event.premium[1]);
    expect(await offered(event.id)).toContainEqual({ seatId: event.premium[1], userId: bob.id });
    // Carol wants any two: one free standard seat is not enough, two are.
    await release(event.id, event.holder, event.standard[3]);
    expect(await t.redis.zcard(keys.freeSeats(event.id, 'standard'))).toBe(1);
    await release(event.id, event.holder, event.premium[3]);
    const carols = (await offered(event.id)).filter((o) => o.userId === carol.id).map((o) => o.seatId);
    expect(carols.sort()).toEqual([event.standard[3], event.premium[3]].sort());
    expect(await t.redis.zcard(keys.waitlist(event.id))).toBe(0);
  });

  it('an offered seat held again by its user becomes an ordinary hold; the inbox hears of an offer the sweeper passed on', async () => {
    const event = await soldOutTheatre();
    const [first, second] = [t.bearer(), await t.register()];
    await join(event.id, first, { quantity: 1, categoryId: 'premium' });
    await join(event.id, second, { quantity: 1, categoryId: 'premium' });
    await release(event.id, event.holder, event.premium[0]);
    await release(event.id, event.holder, event.premium[1]);
    expect((await offered(event.id)).map((o) => o.userId).sort()).toEqual([first.id, second.id].sort());
    const firstSeat = (await offered(event.id)).find((o) => o.userId === first.id)!.seatId;
    await t.http().post(`/v1/events/${event.id}/seats/${firstSeat}/hold`).set(first.auth).expect(200);
    expect((await offered(event.id)).map((o) => o.userId)).toEqual([second.id]);

    // A third waits; second's offer lapses and the sweeper passes it on, with an inbox notification to the third.
    const third = await t.register();
    await join(event.id, third, { quantity: 1, categoryId: 'premium' });
    const heard: UserEvent[] = [];
    const stop = t.app.get(LiveEvents).onUserEvent(third.id, (e) => heard.push(e));
    await t.app.get(LiveEvents).listening();
    t.clock.advance(600_000);
    await t.app.get(HoldExpirySweeper).runOnce();
    expect((await offered(event.id)).map((o) => o.userId)).toContain(third.id);
    await eventually(async () => expect(heard.map((e) => e.type)).toContain('waitlist.offered'), 5000);
    stop();
    const inbox = await t.http().get('/v1/notifications').set(third.auth).expect(200);
    expect(inbox.body.items).toEqual([expect.objectContaining({ type: 'waitlist.offered' })]);
  });

  it('best available publishes seat.held with the seats it picked', async () => {
    const res = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Hamlet', layout: THEATRE });
    const buyer = await t.register();
    const heard: UserEvent[] = [];
    const stop = t.app.get(LiveEvents).onUserEvent(buyer.id, (e) => heard.push(e));
    await t.app.get(LiveEvents).listening();
    const held = await t
      .http()
      .post(`/v1/events/${res.body.id}/holds`)
      .set(buyer.auth)
      .send({ quantity: 2, categoryId: 'premium', adjacent: true })
      .expect(200);
    await eventually(async () => expect(heard.map((e) => e.type)).toContain('seat.held'), 5000);
    stop();
    const ids = held.body.seats.map((s: { seatId: string }) => s.seatId);
    expect(heard.find((e) => e.type === 'seat.held')).toMatchObject({ eventId: res.body.id, seatIds: ids });
  });
});

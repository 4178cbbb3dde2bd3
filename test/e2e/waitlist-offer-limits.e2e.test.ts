import { HoldExpirySweeper } from '../../src/events/hold-expiry.sweeper.js';
import { parseSeatOffer } from '../../src/events/waitlist.codec.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

type Who = { id: string; auth: Record<string, string> };

/**
 * Review 2 and 3 of the waiting line: offers keep the hold limit, never hand a seat back to the user freeing it, and
 * stop at the event's start (an offer lasts at most until then).
 */
describe('waiting-line offers: hold limit, the freeing user, the event start (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 2, waitlistOfferSeconds: 300, accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const path = (eventId: string, rest = '') => `/v1/events/${eventId}${rest}`;
  const hold = (eventId: string, who: Who, seatIds: string[]) =>
    t.http().post(path(eventId, '/holds')).set(who.auth).send({ seatIds });
  const join = (eventId: string, who: Who, quantity = 1) =>
    t.http().post(path(eventId, '/waitlist')).set(who.auth).send({ quantity });
  const release = (eventId: string, who: Who, seatId: string) =>
    t
      .http()
      .delete(path(eventId, `/seats/${seatId}/hold`))
      .set(who.auth)
      .expect(204);
  const offersOf = async (eventId: string) =>
    Object.values(await t.redis.hgetall(keys.seatOffers(eventId))).map((v) => parseSeatOffer(v)!);

  /** Ten seats held two by two by five holders (the limit is 2): sold out. */
  async function soldOut(body: Record<string, unknown> = {}) {
    const event = await createEvent(t, manager, { numberOfSeats: 10, ...body });
    const seatIds = event.seats.map((s) => s.id);
    const holders = Array.from({ length: 5 }, () => t.bearer());
    for (let i = 0; i < 5; i++)
      expect((await hold(event.id, holders[i], seatIds.slice(2 * i, 2 * i + 2))).status).toBe(200);
    return { id: event.id, seatIds, holders };
  }

  it('joining is refused when the live holds plus the quantity exceed the hold limit', async () => {
    const event = await soldOut();
    expectProblem(await join(event.id, event.holders[0], 1), 409, 'HOLD_LIMIT_REACHED');
    expect((await join(event.id, t.bearer(), 2)).status).toBe(201);
  });

  it('a user releasing a seat is not offered it back; the next entry is', async () => {
    const event = await soldOut();
    const [a] = event.holders;
    // a holds 2 (the limit); to be in line a must hold less: release one first while seats are still taken.
    await release(event.id, a, event.seatIds[0]);
    expect((await hold(event.id, t.bearer(), [event.seatIds[0]])).status).toBe(200);
    expect((await join(event.id, a, 1)).status).toBe(201);
    const b = t.bearer();
    expect((await join(event.id, b, 1)).status).toBe(201);
    await release(event.id, a, event.seatIds[1]);
    expect(await offersOf(event.id)).toEqual([expect.objectContaining({ userId: b.id })]);
    expect(await t.redis.hget(keys.waitlistUsers(event.id), a.id)).not.toBeNull();
  });

  it('an entry whose user would go past the hold limit with the offer is passed over and keeps its place', async () => {
    const event = await soldOut();
    const b = t.bearer();
    expect((await join(event.id, b, 2)).status).toBe(201);
    // One seat frees: b (2) does not fit; b holds it directly.
    await release(event.id, event.holders[0], event.seatIds[0]);
    expect((await hold(event.id, b, [event.seatIds[0]])).status).toBe(200);
    // Two seats free: b fits, but 1 + 2 > 2.
    await release(event.id, event.holders[1], event.seatIds[2]);
    await release(event.id, event.holders[1], event.seatIds[3]);
    expect(await offersOf(event.id)).toEqual([]);
    expect(await t.redis.zscore(keys.userHoldsInEvent(event.id, b.id), event.seatIds[2])).toBeNull();
    expect(await t.redis.hget(keys.waitlistUsers(event.id), b.id)).not.toBeNull();
  });

  it('no offers once the event has started; an offer ends at the start when that comes first', async () => {
    const startsAt = t.clock.now() + 120_000;
    const event = await soldOut({ startsAt: new Date(startsAt).toISOString(), holdSeconds: 60 });
    const c = t.bearer();
    expect((await join(event.id, c, 1)).status).toBe(201);
    await release(event.id, event.holders[0], event.seatIds[0]);
    const [offer] = await offersOf(event.id);
    expect(offer).toMatchObject({ userId: c.id, expiresAt: startsAt });
    const d = t.bearer();
    expect((await join(event.id, d, 1)).status).toBe(201);
    t.clock.set(startsAt + 1);
    await t.app.get(HoldExpirySweeper).runOnce();
    // Every hold (and c's offer) lapsed after the start: freed, none offered to d.
    expect((await offersOf(event.id)).filter((o) => o.userId === d.id)).toEqual([]);
    expect(await t.redis.hlen(keys.seatState(event.id))).toBe(0);
  });
});

import { Redis } from 'ioredis';
import { parseSeatOffer } from '../../src/events/waitlist.codec.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/**
 * The single-seat hold and the release as the hot path (docs/performance.md, "Winning back the hold path"): the hold
 * script frees no lapsed hold itself (the repository frees them through the waiting line first, then holds again),
 * and the usual release carries none of the line's keys (the full release runs only when someone waits). What they
 * must keep: the line gets a lapsed or released seat before anyone else; and what they must not send again: the
 * waiting line's keys and the offer's terms on every call.
 */
describe('the hold path (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  const HOLD_MS = 60_000;

  beforeAll(async () => {
    t = await TestApp.start({ holdSeconds: HOLD_MS / 1000, waitlistOfferSeconds: 300, maxHoldsPerUser: 50 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const path = (eventId: string, rest = '') => `/v1/events/${eventId}${rest}`;
  const hold = (eventId: string, who: { auth: Record<string, string> }, seatIds: string[]) =>
    t.http().post(path(eventId, '/holds')).set(who.auth).send({ seatIds });
  const offerOf = async (eventId: string, seatId: string) => {
    const value = await t.redis.hget(keys.seatOffers(eventId), seatId);
    return value ? parseSeatOffer(value) : undefined;
  };

  it('a hold meeting a lapsed hold while someone waits: the line gets the seat first, the caller a 409', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const [first, second] = event.seats.map((s) => s.id);
    const holder = t.bearer();
    const waiting = t.bearer();
    const late = t.bearer();
    await hold(
      event.id,
      holder,
      event.seats.map((s) => s.id),
    ).expect(200);
    await t.http().post(path(event.id, '/waitlist')).set(waiting.auth).send({ quantity: 1 }).expect(201);

    t.clock.advance(HOLD_MS + 1);
    expectProblem(await hold(event.id, late, [first]), 409, 'SEAT_UNAVAILABLE');
    // Every lapsed hold was freed through the line: the best seat offered to the one waiting, the others free.
    expect(await offerOf(event.id, first)).toMatchObject({ userId: waiting.id });
    expect(await t.redis.zscore(keys.freeSeats(event.id, 'general'), second)).not.toBeNull();
    await hold(event.id, late, [second]).expect(200);
    const holds = await t.http().get('/v1/users/me/holds').set(waiting.auth).expect(200);
    expect(holds.body.items.map((h: { seatId: string }) => h.seatId)).toEqual([first]);
  });

  it('a hold meeting a lapsed hold with nobody waiting takes the seat in the same request', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const seatId = event.seats[0].id;
    await hold(event.id, t.bearer(), [seatId]).expect(200);
    t.clock.advance(HOLD_MS + 1);
    const taker = t.bearer();
    const res = await hold(event.id, taker, [seatId]).expect(200);
    expect(res.body).toMatchObject({ userId: taker.id, seats: [{ seatId }] });
    expect(await t.redis.hget(keys.seatState(event.id), seatId)).toMatch(new RegExp(`^H\\|${taker.id}\\|`));
    expect(await t.redis.zscore(keys.freeSeats(event.id, 'general'), seatId)).toBeNull();
  });

  it('a release with nobody waiting makes the seat available; with someone waiting, it is offered instead', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const [first, second] = event.seats.map((s) => s.id);
    const holder = t.bearer();
    await hold(
      event.id,
      holder,
      event.seats.map((s) => s.id),
    ).expect(200);
    await t
      .http()
      .delete(path(event.id, `/seats/${first}/hold`))
      .set(holder.auth)
      .expect(204);
    expect(await t.redis.zscore(keys.freeSeats(event.id, 'general'), first)).not.toBeNull();
    expect(await t.redis.hexists(keys.seatState(event.id), first)).toBe(0);

    const other = t.bearer();
    await hold(event.id, other, [first]).expect(200);
    const waiting = t.bearer();
    await t.http().post(path(event.id, '/waitlist')).set(waiting.auth).send({ quantity: 1 }).expect(201);
    await t
      .http()
      .delete(path(event.id, `/seats/${second}/hold`))
      .set(holder.auth)
      .expect(204);
    expect(await offerOf(event.id, second)).toMatchObject({ userId: waiting.id });
    expect(await t.redis.zscore(keys.freeSeats(event.id, 'general'), second)).toBeNull();
    // A release answers 404 once the hold is gone, whichever script ran.
    await t
      .http()
      .delete(path(event.id, `/seats/${second}/hold`))
      .set(holder.auth)
      .expect(404);
  });

  // MONITOR shows what the app sends; one redis-server only (a cluster run spreads it over nodes).
  const single = process.env.TEST_REDIS_CLUSTER ? it.skip : it;
  single('a single-seat hold and a release each send one script call, without the waiting line’s keys', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const seatId = event.seats[4].id;
    const customer = t.bearer();
    const monitor = await new Redis(t.config.redisUrl!).monitor();
    const sent: string[][] = [];
    let seen = 0;
    monitor.on('monitor', (_time: string, args: string[]) => {
      seen++;
      if (args.some((a) => a.includes(event.id))) sent.push(args);
    });
    try {
      await hold(event.id, customer, [seatId]).expect(200);
      await t
        .http()
        .delete(path(event.id, `/seats/${seatId}/hold`))
        .set(customer.auth)
        .expect(204);
      await eventually(async () => {
        expect(seen).toBeGreaterThan(0);
        expect(sent.filter((a) => /^evalsha$/i.test(a[0]))).toHaveLength(2);
      }, 5000);
    } finally {
      monitor.disconnect();
    }
    const scripts = sent.filter((a) => /^evalsha$/i.test(a[0]));
    const waitingLineKeys = [
      keys.waitlistEntries(event.id),
      keys.waitlistUsers(event.id),
      keys.waitlistLine(event.id, ''),
    ];
    for (const call of scripts) {
      for (const key of waitingLineKeys) expect(call.some((a) => a.endsWith(key))).toBe(false);
      // The offer's terms are not sent either: no waitlist.offered message, no user channel prefix.
      expect(call.some((a) => a.includes('waitlist.offered'))).toBe(false);
    }
    const [holdCall, releaseCall] = scripts;
    expect(Number(holdCall[2])).toBe(9);
    expect(Number(releaseCall[2])).toBe(9);
  });
});

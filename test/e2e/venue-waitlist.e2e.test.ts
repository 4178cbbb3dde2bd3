import { HoldExpirySweeper } from '../../src/events/hold-expiry.sweeper.js';
import { parseSeatOffer } from '../../src/events/waitlist.codec.js';
import { LiveEvents } from '../../src/notifications/live-events.js';
import type { UserEvent } from '../../src/notifications/live-events.js';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

type Who = { id: string; auth: Record<string, string> };

/** Cancelling reservations and the waiting line's offers (issue 19). */
describe('waiting line and cancellations (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 50, waitlistOfferSeconds: 300, accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const path = (eventId: string, rest = '') => `/v1/events/${eventId}${rest}`;
  const holdAll = async (eventId: string, who: Who, seatIds: string[]) => {
    for (let i = 0; i < seatIds.length; i += 10) {
      await t
        .http()
        .post(path(eventId, '/holds'))
        .set(who.auth)
        .send({ seatIds: seatIds.slice(i, i + 10) })
        .expect(200);
    }
  };
  const join = (eventId: string, who: Who, body: Record<string, unknown> = { quantity: 1 }) =>
    t.http().post(path(eventId, '/waitlist')).set(who.auth).send(body);
  const release = (eventId: string, who: Who, seatId: string) =>
    t
      .http()
      .delete(path(eventId, `/seats/${seatId}/hold`))
      .set(who.auth);
  const offers = async (eventId: string) =>
    Object.entries(await t.redis.hgetall(keys.seatOffers(eventId))).map(([seatId, v]) => ({
      seatId,
      ...parseSeatOffer(v)!,
    }));
  const freeCount = (eventId: string) => t.redis.zcard(keys.freeSeats(eventId, 'general'));

  /** A sold-out event of `n` seats, all held by one holder. */
  async function soldOut(n = 10) {
    const event = await createEvent(t, manager, { numberOfSeats: n });
    const holder = t.bearer();
    const seatIds = event.seats.map((s) => s.id);
    await holdAll(event.id, holder, seatIds);
    return { id: event.id, seatIds, holder };
  }

  describe('cancelling a reservation', () => {
    it('frees the seat for the one who reserved it or the event’s manager; others get 403, a repeat 404', async () => {
      const event = await createEvent(t, manager, { numberOfSeats: 10 });
      const [a, b] = event.seats.map((s) => s.id);
      const alice = t.bearer();
      await holdAll(event.id, alice, [a, b]);
      await t
        .http()
        .post(path(event.id, '/reservations'))
        .set(alice.auth)
        .send({ seatIds: [a, b] })
        .expect(201);
      expect(await t.redis.zcard(keys.userSeatReservations(alice.id))).toBe(2);

      expectProblem(
        await t
          .http()
          .delete(path(event.id, `/seats/${a}/reservation`))
          .set(t.bearer().auth),
        403,
        'FORBIDDEN',
      );
      await t
        .http()
        .delete(path(event.id, `/seats/${a}/reservation`))
        .set(alice.auth)
        .expect(204);
      await t
        .http()
        .delete(path(event.id, `/seats/${b}/reservation`))
        .set(manager.auth)
        .expect(204);
      expectProblem(
        await t
          .http()
          .delete(path(event.id, `/seats/${a}/reservation`))
          .set(alice.auth),
        404,
        'NOT_FOUND',
      );
      expect(await t.redis.hlen(keys.seatState(event.id))).toBe(0);
      expect(await freeCount(event.id)).toBe(10);
      expect(await t.redis.zcard(keys.userSeatReservations(alice.id))).toBe(0);
      const mine = await t.http().get('/v1/users/me/reservations').set(alice.auth).expect(200);
      expect(mine.body.items).toEqual([]);
    });

    it('is refused once the event started', async () => {
      const startsAt = new Date(t.clock.now() + 3_600_000).toISOString();
      const event = await createEvent(t, manager, { numberOfSeats: 10, startsAt });
      const alice = t.bearer();
      const seat = event.seats[0].id;
      await holdAll(event.id, alice, [seat]);
      await t
        .http()
        .post(path(event.id, `/seats/${seat}/reserve`))
        .set(alice.auth)
        .expect(201);
      t.clock.advance(3_600_000);
      const res = await t
        .http()
        .delete(path(event.id, `/seats/${seat}/reservation`))
        .set(alice.auth);
      expectProblem(res, 409, 'EVENT_STARTED');
    });
  });

  describe('joining and leaving', () => {
    it('joins only while too few seats are free, once per user; lists places; managers see the lengths', async () => {
      const event = await createEvent(t, manager, { numberOfSeats: 10 });
      const alice = t.bearer();
      const early = await join(event.id, alice, { quantity: 2 });
      expectProblem(early, 409, 'SEATS_STILL_AVAILABLE');
      expect(early.body.available).toBe(10);
      await holdAll(
        event.id,
        t.bearer(),
        event.seats.slice(0, 9).map((s) => s.id),
      );
      const first = await join(event.id, alice, { quantity: 2 });
      expect(first.status).toBe(201);
      expect(first.body).toMatchObject({ eventId: event.id, quantity: 2, categoryId: null, position: 1 });
      const bob = t.bearer();
      expect((await join(event.id, bob, { quantity: 1, categoryId: 'general' })).status).toBe(409);
      expect((await join(event.id, bob, { quantity: 3, categoryId: 'general' })).body.position).toBe(2);
      expectProblem(await join(event.id, alice, { quantity: 4 }), 409, 'ALREADY_IN_WAITLIST');
      expectProblem(await join(event.id, bob, { quantity: 4, categoryId: 'vip' }), 409, 'ALREADY_IN_WAITLIST');
      expectProblem(await join(event.id, t.bearer(), { quantity: 4, categoryId: 'vip' }), 400, 'VALIDATION_FAILED');
      expectProblem(await join(event.id, t.bearer(), { quantity: 11 }), 400, 'VALIDATION_FAILED');

      const mine = await t.http().get('/v1/users/me/waitlist').set(bob.auth).expect(200);
      expect(mine.body.items).toEqual([expect.objectContaining({ eventId: event.id, position: 2, quantity: 3 })]);
      expectProblem(await t.http().get(path(event.id, '/waitlist')).set(bob.auth), 403, 'FORBIDDEN');
      const lengths = await t.http().get(path(event.id, '/waitlist')).set(manager.auth).expect(200);
      expect(lengths.body).toEqual({
        eventId: event.id,
        total: 2,
        categories: [
          { categoryId: null, waiting: 1 },
          { categoryId: 'general', waiting: 1 },
        ],
      });

      await t.http().delete(path(event.id, '/waitlist')).set(alice.auth).expect(204);
      expectProblem(await t.http().delete(path(event.id, '/waitlist')).set(alice.auth), 404, 'NOT_FOUND');
      const after = await t.http().get('/v1/users/me/waitlist').set(bob.auth).expect(200);
      expect(after.body.items[0].position).toBe(1);
      expect((await t.http().get('/v1/users/me/waitlist').set(alice.auth)).body.items).toEqual([]);
    });
  });

  describe('offers', () => {
    it('a release offers the best free seats to the first entry that fits, live and in the inbox; they reserve', async () => {
      const event = await soldOut();
      const wanting = await t.register();
      const single = t.bearer();
      await join(event.id, wanting, { quantity: 2 }).expect(201);
      await join(event.id, single, { quantity: 1 }).expect(201);
      const heard: UserEvent[] = [];
      const stop = t.app.get(LiveEvents).onUserEvent(wanting.id, (e) => heard.push(e));
      await t.app.get(LiveEvents).listening();

      // One seat free: the first entry wants two, so the second (one) is offered it, in the same step.
      await release(event.id, event.holder, event.seatIds[3]).expect(204);
      expect(await offers(event.id)).toEqual([
        expect.objectContaining({ seatId: event.seatIds[3], userId: single.id }),
      ]);
      expect(await freeCount(event.id)).toBe(0);
      await release(event.id, event.holder, event.seatIds[7]).expect(204);
      expect(await freeCount(event.id)).toBe(1);
      await release(event.id, event.holder, event.seatIds[5]).expect(204);
      expect(await freeCount(event.id)).toBe(0);
      const toWanting = (await offers(event.id)).filter((o) => o.userId === wanting.id).map((o) => o.seatId);
      expect(toWanting.sort()).toEqual([event.seatIds[5], event.seatIds[7]].sort());

      await eventually(async () => expect(heard.map((e) => e.type)).toContain('waitlist.offered'), 5000);
      const message = heard.find((e) => e.type === 'waitlist.offered')!;
      expect(message).toMatchObject({ eventId: event.id, expiresAt: new Date(t.clock.now() + 300_000).toISOString() });
      expect((message.seatIds as string[]).sort()).toEqual(toWanting.sort());
      stop();
      const inbox = await t.http().get('/v1/notifications').set(wanting.auth).expect(200);
      expect(inbox.body.items).toEqual([expect.objectContaining({ type: 'waitlist.offered' })]);
      const holds = await t.http().get('/v1/users/me/holds').set(wanting.auth).expect(200);
      expect(holds.body.items.map((h: { seatId: string }) => h.seatId).sort()).toEqual(toWanting.sort());
      expect((await t.http().get('/v1/users/me/waitlist').set(wanting.auth)).body.items).toEqual([]);

      // Nobody else can take them; the one they were offered to reserves them as any hold.
      expectProblem(
        await t
          .http()
          .post(path(event.id, `/seats/${toWanting[0]}/hold`))
          .set(t.bearer().auth),
        409,
        'SEAT_UNAVAILABLE',
      );
      await t.http().post(path(event.id, '/reservations')).set(wanting.auth).send({ seatIds: toWanting }).expect(201);
    });

    it('a lapsed offer passes to the next fitting entry, in one sweep', async () => {
      const event = await soldOut();
      const [first, second] = [t.bearer(), t.bearer()];
      await join(event.id, first).expect(201);
      await join(event.id, second).expect(201);
      await release(event.id, event.holder, event.seatIds[0]).expect(204);
      expect((await offers(event.id))[0]).toMatchObject({ seatId: event.seatIds[0], userId: first.id });
      t.clock.advance(300_000);
      await t.app.get(HoldExpirySweeper).runOnce();
      expect(await offers(event.id)).toEqual([
        expect.objectContaining({ seatId: event.seatIds[0], userId: second.id }),
      ]);
      expect(await t.redis.hget(keys.seatState(event.id), event.seatIds[0])).toMatch(`H|${second.id}|`);
      expect(await t.http().get('/v1/users/me/holds').set(first.auth)).toHaveProperty('body.items', []);
      // The holder's own holds lapsed too: with nobody left in line they are free again.
      expect(await freeCount(event.id)).toBe(9);
    });

    it('an entry that cannot be read leaves the line instead of failing the release; the next is offered', async () => {
      const event = await soldOut();
      const [broken, next] = [t.bearer(), t.bearer()];
      const bad = await join(event.id, broken).expect(201);
      await join(event.id, next).expect(201);
      await t.redis.hset(keys.waitlistEntries(event.id), bad.body.entryId, 'garbage');
      await release(event.id, event.holder, event.seatIds[0]).expect(204);
      expect(await offers(event.id)).toEqual([expect.objectContaining({ seatId: event.seatIds[0], userId: next.id })]);
      expect(await t.redis.zcard(keys.waitlist(event.id))).toBe(0);
      // Its user may join again (the seat offered is held, so the event is sold out again).
      expect((await join(event.id, broken)).status).toBe(201);
    });

    it('a cancelled reservation goes to the line first', async () => {
      const event = await createEvent(t, manager, { numberOfSeats: 10 });
      const owner = t.bearer();
      const seatIds = event.seats.map((s) => s.id);
      await holdAll(event.id, owner, seatIds);
      await t.http().post(path(event.id, '/reservations')).set(owner.auth).send({ seatIds }).expect(201);
      const waiting = t.bearer();
      await join(event.id, waiting).expect(201);
      await t
        .http()
        .delete(path(event.id, `/seats/${seatIds[2]}/reservation`))
        .set(owner.auth)
        .expect(204);
      expect(await t.redis.hget(keys.seatState(event.id), seatIds[2])).toMatch(`H|${waiting.id}|`);
      expect(await freeCount(event.id)).toBe(0);
    });

    it('releases and joins in parallel: no seat offered twice, the head never skipped, no freed seat left free while someone fitting waits', async () => {
      const event = await soldOut(30);
      // Fifteen in line first: their places are 1..15.
      const early = Array.from({ length: 15 }, () => t.bearer());
      const joined = await Promise.all(early.map((who) => join(event.id, who)));
      expect(joined.map((r) => r.status)).toEqual(early.map(() => 201));
      const placeOf = new Map(joined.map((r, i) => [early[i].id, r.body.position as number]));
      expect(new Set(placeOf.values()).size).toBe(15);
      // Then ten releases race ten more joins.
      const late = Array.from({ length: 10 }, () => t.bearer());
      const results = await Promise.all([
        ...event.seatIds.slice(0, 10).map((seatId) => release(event.id, event.holder, seatId)),
        ...late.map((who) => join(event.id, who)),
      ]);
      expect(results.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(204));
      // No seat was ever free while someone waited, so every late join was accepted.
      expect(results.slice(10).map((r) => r.status)).toEqual(Array(10).fill(201));

      const made = await offers(event.id);
      expect(made).toHaveLength(10);
      expect(new Set(made.map((o) => o.userId)).size).toBe(10);
      expect(new Set(made.map((o) => o.seatId))).toEqual(new Set(event.seatIds.slice(0, 10)));
      // The ten offered are exactly the first ten in line.
      expect(made.map((o) => placeOf.get(o.userId)).sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(await freeCount(event.id)).toBe(0);
      expect(await t.redis.zcard(keys.waitlist(event.id))).toBe(15);
      const state = await t.redis.hgetall(keys.seatState(event.id));
      for (const o of made) expect(state[o.seatId]).toMatch(`H|${o.userId}|`);
      const report = await new IntegrityChecker(t.redis, INTEGRITY_CHECKS, {
        now: () => t.clock.now(),
        settleMs: 0,
      }).run();
      expect(report.findings).toEqual([]);
    });
  });
});

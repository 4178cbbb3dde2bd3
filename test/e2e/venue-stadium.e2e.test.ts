import { HoldExpirySweeper } from '../../src/events/hold-expiry.sweeper.js';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { keys } from '../../src/redis/keys.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/**
 * Issue 19's "done when", at a stadium's size through the HTTP API: a 20,000-seat layout, best available in a
 * category, and the waiting line's offer → reserve and offer → lapse → next offer.
 */
describe('a 20,000-seat venue (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  let eventId: string;
  let box: string[];

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 20, waitlistOfferSeconds: 300, accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
    const layout = {
      categories: [
        { id: 'box', name: 'Box', price: { amount: 25000, currency: 'EUR' } },
        { id: 'stand', name: 'Stand', price: { amount: 3000, currency: 'EUR' } },
      ],
      sections: [
        { name: 'Box', categoryId: 'box', rank: 1, rows: [{ label: 'A', count: 10 }] },
        {
          name: 'North',
          categoryId: 'stand',
          rows: Array.from({ length: 40 }, (_, r) => ({ label: `R${r + 1}`, count: 500 })),
        },
      ],
    };
    // 10 box seats and 40 rows of 500, less 10 seats of the last row: 20,000 in all.
    layout.sections[1].rows[39].count = 490;
    const res = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Final', layout, holdSeconds: 3600 });
    expect(res.status).toBe(201);
    eventId = res.body.id;
    const seats = (await t.http().get(`/v1/events/${eventId}/seats?status=all&section=Box`)).body as { id: string }[];
    box = seats.map((s) => s.id);
  }, 60_000);
  afterAll(() => t.close());

  it('holds the best adjacent seats of a category in one row', async () => {
    const res = await t
      .http()
      .post(`/v1/events/${eventId}/holds`)
      .set(t.bearer().auth)
      .send({ quantity: 4, categoryId: 'stand', adjacent: true })
      .expect(200);
    const metas = await t.redis.hmget(
      keys.seatMeta(eventId),
      ...res.body.seats.map((s: { seatId: string }) => s.seatId),
    );
    const places = metas
      .map((m) => m!.split('|'))
      .map(([, order, row, position]) => ({ order, row, position: Number(position) }));
    expect(new Set(places.map((p) => p.row))).toEqual(new Set(['1.0']));
    // The front row's centre: 249 and 250 are nearest (249 first, layout order), then 248 and 251.
    expect(places.map((p) => p.position).sort((a, b) => a - b)).toEqual([248, 249, 250, 251]);
    expect(await t.redis.zcard(keys.freeSeats(eventId, 'stand'))).toBe(19_986);
  });

  it('offers freed box seats to the line: offer → reserve, and offer → lapse → next offer', async () => {
    const holder = t.bearer();
    await t.http().post(`/v1/events/${eventId}/holds`).set(holder.auth).send({ seatIds: box }).expect(200);
    const [first, second, third] = [await t.register(), await t.register(), await t.register()];
    for (const who of [first, second, third]) {
      await t
        .http()
        .post(`/v1/events/${eventId}/waitlist`)
        .set(who.auth)
        .send({ quantity: 2, categoryId: 'box' })
        .expect(201);
    }
    // Two box seats come back: the first in line is offered both and reserves them.
    await t.http().delete(`/v1/events/${eventId}/seats/${box[0]}/hold`).set(holder.auth).expect(204);
    await t.http().delete(`/v1/events/${eventId}/seats/${box[1]}/hold`).set(holder.auth).expect(204);
    const firstHolds = (await t.http().get('/v1/users/me/holds').set(first.auth)).body.items.map(
      (h: { seatId: string }) => h.seatId,
    );
    expect(firstHolds.sort()).toEqual([box[0], box[1]].sort());
    const reserved = await t
      .http()
      .post(`/v1/events/${eventId}/reservations`)
      .set(first.auth)
      .send({ seatIds: firstHolds });
    expect(reserved.status).toBe(201);
    // Two more: the second is offered them, lets the offer lapse, and the sweeper passes them to the third.
    await t.http().delete(`/v1/events/${eventId}/seats/${box[2]}/hold`).set(holder.auth).expect(204);
    await t.http().delete(`/v1/events/${eventId}/seats/${box[3]}/hold`).set(holder.auth).expect(204);
    expect((await t.http().get('/v1/users/me/holds').set(second.auth)).body.items).toHaveLength(2);
    t.clock.advance(300_000);
    await t.app.get(HoldExpirySweeper).runOnce();
    expect((await t.http().get('/v1/users/me/holds').set(second.auth)).body.items).toEqual([]);
    const thirdHolds = (await t.http().get('/v1/users/me/holds').set(third.auth)).body.items;
    expect(thirdHolds.map((h: { seatId: string }) => h.seatId).sort()).toEqual([box[2], box[3]].sort());
    expect(await t.redis.zcard(keys.waitlist(eventId))).toBe(0);
    const report = await new IntegrityChecker(t.redis, INTEGRITY_CHECKS, {
      now: () => t.clock.now(),
      settleMs: 0,
    }).run();
    expect(report.findings).toEqual([]);
  });
});

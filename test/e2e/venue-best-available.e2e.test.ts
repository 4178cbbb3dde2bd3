import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import type { SeatRow } from '../support/events.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/** Best available per category, picked and held by one script (issue 19). */
describe('best available (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 10 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  /** A 10 x 10 grid made through the API: rows 0-1 premium, the rest general; seats 0 and 9 of every row accessible. */
  async function venue(): Promise<{ id: string; seats: SeatRow[]; at: (row: number, p: number) => string }> {
    const rows = Array.from({ length: 10 }, (_, row) => ({
      label: String.fromCharCode(65 + row),
      categoryId: row < 2 ? 'premium' : 'general',
      seats: Array.from({ length: 10 }, (_, p) => ({ label: String(p + 1), accessible: p === 0 || p === 9 })),
    }));
    const layout = {
      categories: [
        { id: 'premium', name: 'Premium', price: { amount: 8000, currency: 'EUR' } },
        { id: 'general', name: 'General', price: { amount: 4000, currency: 'EUR' } },
      ],
      sections: [{ name: 'Stalls', rows }],
    };
    const res = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Grid', layout });
    expect(res.status).toBe(201);
    const seats = (await t.http().get(`/v1/events/${res.body.id}/seats?status=all`)).body as SeatRow[];
    return { id: res.body.id, seats, at: (row, p) => seats[row * 10 + p].id };
  }

  const best = (eventId: string, who: { auth: Record<string, string> }, body: Record<string, unknown>) =>
    t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send(body);
  const ids = (res: { body: { seats: { seatId: string }[] } }) => res.body.seats.map((s) => s.seatId);

  it('picks by order: the front row’s centre first, of the category asked, or over all categories', async () => {
    const event = await venue();
    const any = await best(event.id, t.bearer(), { quantity: 2 });
    expect(any.status).toBe(200);
    expect(ids(any).sort()).toEqual([event.at(0, 4), event.at(0, 5)].sort());
    const general = await best(event.id, t.bearer(), { quantity: 1, categoryId: 'general' });
    expect(ids(general)).toEqual([event.at(2, 4)]);
    const accessible = await best(event.id, t.bearer(), { quantity: 2, accessible: true, categoryId: 'general' });
    expect(ids(accessible).sort()).toEqual([event.at(2, 0), event.at(2, 9)].sort());
  });

  it('adjacent: consecutive positions in one row, the run whose worst seat is best', async () => {
    const event = await venue();
    // Row 0: take 4 and 6, so that no 3 adjacent seats around the centre are free; 1-3 are (orders 5, 7, 3... ).
    await best(event.id, t.bearer(), { seatIds: [event.at(0, 4), event.at(0, 6)] }).expect(200);
    const three = await best(event.id, t.bearer(), { quantity: 3, adjacent: true });
    expect(three.status).toBe(200);
    expect(ids(three).sort()).toEqual([event.at(0, 1), event.at(0, 2), event.at(0, 3)].sort());
  });

  it('409 NOT_ENOUGH_SEATS with what is left, holding nothing; 400 for a category the event lacks', async () => {
    const event = await venue();
    const who = t.bearer();
    const tooMany = await best(event.id, who, { quantity: 5, categoryId: 'premium', accessible: true });
    expectProblem(tooMany, 409, 'NOT_ENOUGH_SEATS');
    expect(tooMany.body.available).toBe(20);
    expect(await t.redis.hlen(keys.seatState(event.id))).toBe(0);
    expectProblem(await best(event.id, who, { quantity: 1, categoryId: 'balcony' }), 400, 'VALIDATION_FAILED');
    expectProblem(await best(event.id, who, { categoryId: 'premium' }), 400, 'VALIDATION_FAILED');
    expectProblem(await best(event.id, who, { seatIds: [event.at(0, 0)], accessible: true }), 400, 'VALIDATION_FAILED');
  });

  it('keeps the free index exact through hold, release, reserve and lapse', async () => {
    const event = await venue();
    const who = t.bearer();
    const held = await best(event.id, who, { quantity: 2, categoryId: 'premium' }).expect(200);
    const [a, b] = ids(held);
    const premium = keys.freeSeats(event.id, 'premium');
    expect(await t.redis.zscore(premium, a)).toBeNull();
    expect(await t.redis.zcard(premium)).toBe(18);
    await t.http().delete(`/v1/events/${event.id}/seats/${a}/hold`).set(who.auth).expect(204);
    expect(await t.redis.zscore(premium, a)).not.toBeNull();
    await t.http().post(`/v1/events/${event.id}/seats/${b}/reserve`).set(who.auth).expect(201);
    expect(await t.redis.zcard(premium)).toBe(19);
    await best(event.id, who, { seatIds: [a] }).expect(200);
    t.clock.advance(61_000);
    expect(await t.redis.zscore(premium, a)).toBeNull();
    await t.app.get((await import('../../src/events/hold-expiry.sweeper.js')).HoldExpirySweeper).runOnce();
    expect(await t.redis.zscore(premium, a)).not.toBeNull();
    expect(await t.redis.zcard(premium)).toBe(19);
  });

  it('parallel best-available requests never hand out a seat twice, and all get adjacent seats while enough exist', async () => {
    const event = await venue();
    // 10 rows of 10 seats hold 50 pairs: 45 buyers of 2 adjacent seats all fit, every one in a row.
    const buyers = Array.from({ length: 45 }, () => t.bearer());
    const results = await Promise.all(buyers.map((b) => best(event.id, b, { quantity: 2, adjacent: true })));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(45);
    const all = winners.flatMap(ids);
    expect(new Set(all).size).toBe(all.length);
    const index = new Map(event.seats.map((s, i) => [s.id, i]));
    for (const w of winners) {
      const [x, y] = ids(w)
        .map((id) => index.get(id)!)
        .sort((p, q) => p - q);
      expect({ row: Math.floor(x / 10), next: y - x }).toEqual({ row: Math.floor(y / 10), next: 1 });
    }
    // Then 20 more race for the 10 seats left: at most 5 pairs are left, no seat twice; the rest are told how many.
    const late = await Promise.all(
      Array.from({ length: 20 }, () => best(event.id, t.bearer(), { quantity: 2, adjacent: true })),
    );
    const lateWinners = late.filter((r) => r.status === 200);
    expect(lateWinners.length).toBeLessThanOrEqual(5);
    expect(late.filter((r) => r.status === 409 && r.body.code === 'NOT_ENOUGH_SEATS')).toHaveLength(
      20 - lateWinners.length,
    );
    const everything = [...all, ...lateWinners.flatMap(ids)];
    expect(new Set(everything).size).toBe(everything.length);
    const state = await t.redis.hgetall(keys.seatState(event.id));
    expect(Object.keys(state)).toHaveLength(everything.length);
    const report = await new IntegrityChecker(t.redis, INTEGRITY_CHECKS, {
      now: () => t.clock.now(),
      settleMs: 0,
    }).run();
    expect(report.findings).toEqual([]);
  });

  it('parallel plain best-available requests over a numberOfSeats event hand every seat out once', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 60 });
    const results = await Promise.all(Array.from({ length: 40 }, () => best(event.id, t.bearer(), { quantity: 2 })));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(30);
    const all = winners.flatMap(ids);
    expect(new Set(all)).toEqual(new Set(event.seats.map((s) => s.id)));
    expect(results.filter((r) => r.status === 409 && r.body.code === 'NOT_ENOUGH_SEATS')).toHaveLength(10);
  });
});

import { createEvent } from '../support/events.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

/** Quantity holds pass over seats the caller may not renew any more, instead of refusing while others are free. */
describe('quantity holds and the renewal limit', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  type Who = { auth: Record<string, string> };
  const hold = (who: Who, eventId: string, seatId: string) =>
    t.http().post(`/v1/events/${eventId}/seats/${seatId}/hold`).set(who.auth);
  const holdMany = (who: Who, eventId: string, body: object) =>
    t.http().post(`/v1/events/${eventId}/holds`).set(who.auth).send(body);

  /** One hold and four renewals of each seat, then the holds run out: the seats are available, but not to `who`. */
  async function tire(who: Who, eventId: string, seatIds: readonly string[]) {
    for (let i = 0; i < 5; i++) {
      for (const seatId of seatIds) expect((await hold(who, eventId, seatId)).status).toBe(200);
    }
    t.clock.advance(60_000);
  }
  const numbers = (res: { body: { seats: { number: number }[] } }) => res.body.seats.map((s) => s.number);

  it('holds the next free seat when the lowest one is at the caller’s renewal limit', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const alice = t.bearer();
    await tire(alice, event.id, [event.seats[0].id]);
    const res = await holdMany(alice, event.id, { quantity: 1 });
    expect(res.status).toBe(200);
    expect(numbers(res)).toEqual([2]);
  });

  it('passes over several such seats, also for adjacent holds', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const alice = t.bearer();
    // Seats 1, 2 and 4 are at alice's limit: the first two adjacent seats she may hold are 5 and 6.
    await tire(
      alice,
      event.id,
      [0, 1, 3].map((i) => event.seats[i].id),
    );
    const adjacent = await holdMany(alice, event.id, { quantity: 2, adjacent: true });
    expect(adjacent.status).toBe(200);
    expect(numbers(adjacent)).toEqual([5, 6]);
    const loose = await holdMany(alice, event.id, { quantity: 2 });
    expect(loose.status).toBe(200);
    expect(numbers(loose)).toEqual([3, 7]);
    // Another user is not affected: seat 1 is the lowest for bob.
    const bob = t.bearer();
    expect(numbers(await holdMany(bob, event.id, { quantity: 1 }))).toEqual([1]);
  });

  it('answers HOLD_RENEWAL_LIMIT only when the other free seats cannot satisfy the request', async () => {
    const event = await createEvent(t, manager, { holdSeconds: 60 });
    const [a, b, c] = event.seats;
    const alice = t.bearer();
    const bob = t.bearer();
    await tire(alice, event.id, [a.id, b.id]);
    // Bob holds seats 3 to 10: only a and b are free, and alice may not hold them.
    const rest = event.seats.slice(2).map((s) => s.id);
    expect((await holdMany(bob, event.id, { seatIds: rest })).status).toBe(200);
    for (const body of [{ quantity: 2 }, { quantity: 2, adjacent: true }, { quantity: 1 }]) {
      const refused = await holdMany(alice, event.id, body);
      expectProblem(refused, 409, 'HOLD_RENEWAL_LIMIT');
      expect(refused.body.seatIds).toEqual([a.id, b.id]);
    }
    // Too few seats even counting those at her limit: that is the answer, as before.
    const tooMany = await holdMany(alice, event.id, { quantity: 3 });
    // Issue 19: best available answers NOT_ENOUGH_SEATS (SEAT_UNAVAILABLE before).
    expectProblem(tooMany, 409, 'NOT_ENOUGH_SEATS');
    // Nothing was held by the refusals; once bob lets seat c go, it is alice's next seat.
    expect((await t.http().delete(`/v1/events/${event.id}/seats/${c.id}/hold`).set(bob.auth)).status).toBe(204);
    const one = await holdMany(alice, event.id, { quantity: 1 });
    expect(one.status).toBe(200);
    expect(one.body.seats).toEqual([{ seatId: c.id, number: 3 }]);
  });
});

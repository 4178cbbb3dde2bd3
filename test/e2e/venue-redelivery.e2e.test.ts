import { seatScripts } from '../../src/events/seat-script-args.js';
import { waitlistScripts } from '../../src/events/waitlist.scripts.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { deliveredTwice } from '../support/redelivery.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/** Commands ioredis re-sends after a reconnect (the first ran, its answer was lost) change nothing twice (issue 19). */
describe('best available and the waiting line delivered twice', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 20 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  it('a best-available hold delivered twice holds its seats once and answers them', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const buyer = t.bearer();
    const res = await deliveredTwice(t.redis, seatScripts.holdBest, () =>
      t.http().post(`/v1/events/${event.id}/holds`).set(buyer.auth).send({ quantity: 3 }),
    );
    expect(res.status).toBe(200);
    const answered = res.body.seats.map((s: { number: number }) => s.number).sort();
    expect(answered).toEqual([1, 2, 3]);
    expect(await t.redis.hlen(keys.seatState(event.id))).toBe(3);
    expect(await t.redis.zcard(keys.freeSeats(event.id, 'general'))).toBe(7);
  });

  it('a join delivered twice is one entry with one place', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    await t
      .http()
      .post(`/v1/events/${event.id}/holds`)
      .set(t.bearer().auth)
      .send({ seatIds: event.seats.map((s) => s.id) })
      .expect(200);
    const who = t.bearer();
    const res = await deliveredTwice(t.redis, waitlistScripts.join, () =>
      t.http().post(`/v1/events/${event.id}/waitlist`).set(who.auth).send({ quantity: 1 }),
    );
    expect(res.status).toBe(201);
    expect(res.body.position).toBe(1);
    expect(await t.redis.zcard(keys.waitlist(event.id))).toBe(1);
  });
});

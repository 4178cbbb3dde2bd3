import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/**
 * Review 9: DELETE /waitlist while holding an offer (the entry already left the line) declines it: the offered
 * seats are released and go to the next fitting entry; a second DELETE is a 404.
 */
describe('leaving the waiting line declines an unreserved offer (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ maxHoldsPerUser: 10, waitlistOfferSeconds: 300, accessTokenTtlSeconds: 30 * 86_400 });
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  it('releases the offered seats to the next entry', async () => {
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const seatIds = event.seats.map((s) => s.id);
    const holder = t.bearer();
    await t.http().post(`/v1/events/${event.id}/holds`).set(holder.auth).send({ seatIds }).expect(200);
    const [first, second] = [t.bearer(), t.bearer()];
    for (const who of [first, second])
      await t.http().post(`/v1/events/${event.id}/waitlist`).set(who.auth).send({ quantity: 1 }).expect(201);
    await t.http().delete(`/v1/events/${event.id}/seats/${seatIds[0]}/hold`).set(holder.auth).expect(204);
    expect((await t.redis.hget(keys.seatState(event.id), seatIds[0]))?.split('|')[1]).toBe(first.id);
    await t.http().delete(`/v1/events/${event.id}/waitlist`).set(first.auth).expect(204);
    expect((await t.redis.hget(keys.seatState(event.id), seatIds[0]))?.split('|')[1]).toBe(second.id);
    expectProblem(await t.http().delete(`/v1/events/${event.id}/waitlist`).set(first.auth), 404, 'NOT_FOUND');
  });
});

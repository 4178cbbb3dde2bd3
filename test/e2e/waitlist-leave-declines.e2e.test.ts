import { keys } from '../../src/redis/keys.js';
import { WAITLIST_CONFIG, createEvent, eventsApp, holdSeats, joinWaitlist } from '../support/events.js';
import { expectProblem } from '../support/test-app.js';

/**
 * Review 9: DELETE /waitlist while holding an offer (the entry already left the line) declines it: the offered
 * seats are released and go to the next fitting entry; a second DELETE is a 404.
 */
describe('leaving the waiting line declines an unreserved offer (HTTP)', () => {
  const app = eventsApp(WAITLIST_CONFIG);

  it('releases the offered seats to the next entry', async () => {
    const { t, manager } = app;
    const event = await createEvent(t, manager, { numberOfSeats: 10 });
    const seatIds = event.seats.map((s) => s.id);
    const holder = t.bearer();
    await holdSeats(t, event.id, holder, seatIds);
    const [first, second] = [t.bearer(), t.bearer()];
    for (const who of [first, second]) await joinWaitlist(t, event.id, who, 1);
    await t.http().delete(`/v1/events/${event.id}/seats/${seatIds[0]}/hold`).set(holder.auth).expect(204);
    expect((await t.redis.hget(keys.seatState(event.id), seatIds[0]))?.split('|')[1]).toBe(first.id);
    await t.http().delete(`/v1/events/${event.id}/waitlist`).set(first.auth).expect(204);
    expect((await t.redis.hget(keys.seatState(event.id), seatIds[0]))?.split('|')[1]).toBe(second.id);
    expectProblem(await t.http().delete(`/v1/events/${event.id}/waitlist`).set(first.auth), 404, 'NOT_FOUND');
  });
});

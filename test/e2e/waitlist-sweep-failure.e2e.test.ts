import { HoldExpirySweeper } from '../../src/events/hold-expiry.sweeper.js';
import { keys } from '../../src/redis/keys.js';
import { WAITLIST_CONFIG, createEvent, eventsApp, holdSeats, joinWaitlist } from '../support/events.js';
import { eventually } from '../support/eventually.js';

/**
 * Review 4: the sweeper frees and announces event by event; one event whose script fails (here its seat-state key has
 * the wrong type) neither stops the events after it nor loses the inbox notification of their offers.
 */
describe('the sweep survives one failing event (HTTP)', () => {
  const app = eventsApp(WAITLIST_CONFIG);

  it('announces the offers of the other events', async () => {
    const { t, manager } = app;
    const broken = await createEvent(t, manager, { numberOfSeats: 10, holdSeconds: 60 });
    await t.http().post(`/v1/events/${broken.id}/holds`).set(t.bearer().auth).send({ quantity: 1 }).expect(200);
    const event = await createEvent(t, manager, { numberOfSeats: 10, holdSeconds: 120 });
    const seatIds = event.seats.map((s) => s.id);
    await holdSeats(t, event.id, t.bearer(), seatIds);
    const waiting = t.bearer();
    await joinWaitlist(t, event.id, waiting, 1);
    // The broken event lapses first, so it is swept first.
    await t.redis.del(keys.seatState(broken.id));
    await t.redis.set(keys.seatState(broken.id), 'not a hash');
    t.clock.advance(121_000);
    await t.app
      .get(HoldExpirySweeper)
      .runOnce()
      .catch(() => undefined);
    await eventually(async () => {
      const inbox = await t.http().get('/v1/notifications').set(waiting.auth).expect(200);
      expect(inbox.body.items).toEqual([expect.objectContaining({ type: 'waitlist.offered' })]);
    }, 5000);
    await t.redis.del(keys.seatState(broken.id));
  });
});

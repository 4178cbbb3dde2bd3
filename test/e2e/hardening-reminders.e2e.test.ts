import { randomUUID } from 'node:crypto';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { connectLive } from '../support/live.js';

/** A reminder's title says the time really left when it fires, not the lead time it was scheduled with. */
describe('reminder titles', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ reminderWorker: 'inline', accessTokenTtlSeconds: 86_400 });
  });
  afterAll(() => t.close());

  const inboxTitles = async (who: Account) =>
    ((await t.http().get('/v1/notifications?limit=100').set(who.auth)).body.items as { title: string }[]).map(
      (n) => n.title,
    );

  it.each([
    [3, 5, 'starts in 3 minutes'],
    [1, 10, 'starts in 1 minute'],
  ])(
    'a booking starting in %i minutes with reminderMinutesBefore %i is reminded at once: "%s"',
    async (startsInMinutes, reminderMinutesBefore, wording) => {
      // The service's clock stands still: the time left when the reminder runs is exactly what the booking left.
      const now = Date.now();
      t.clock.set(now);
      const user = await t.register();
      const socket = await connectLive(t.url, user.token);
      try {
        const title = `Show ${randomUUID().slice(0, 6)}`;
        const start = now + startsInMinutes * 60_000;
        const created = await t
          .http()
          .post('/v1/bookings')
          .set(user.auth)
          .send({
            type: 'show',
            title,
            startTime: new Date(start).toISOString(),
            endTime: new Date(start + 3_600_000).toISOString(),
            reminderMinutesBefore,
          });
        expect(created.status).toBe(201);
        const reminder = await socket.next((m) => m.type === 'booking.reminder', 10_000);
        expect(reminder).toMatchObject({ bookingId: created.body.id, title: `${title} ${wording}` });
        expect(await inboxTitles(user)).toEqual([`${title} ${wording}`]);
      } finally {
        socket.close();
      }
    },
  );
});

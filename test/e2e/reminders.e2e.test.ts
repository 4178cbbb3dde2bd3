import { randomUUID } from 'node:crypto';
import { InboxRepository } from '../../src/notifications/inbox.repository.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { connectLive } from '../support/live.js';
import { eventually } from '../support/eventually.js';

/**
 * Reminders run on real BullMQ delayed jobs, so these tests wait a second or two of real time. They never sleep: what
 * must not arrive is checked against a sentinel reminder due after it (BullMQ promotes delayed jobs in due order).
 */
describe('reminders and the inbox', () => {
  let t: TestApp;
  let alice: Account;

  beforeAll(async () => {
    t = await TestApp.start({ reminderWorker: 'inline', accessTokenTtlSeconds: 86_400 });
    alice = await t.register();
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(Date.now()));

  const booking = (who: Account, startsInMs: number, reminderMinutesBefore: number | null = 0) =>
    t
      .http()
      .post('/v1/bookings')
      .set(who.auth)
      .send({
        type: 'show',
        title: `Show ${randomUUID().slice(0, 6)}`,
        startTime: new Date(Date.now() + startsInMs).toISOString(),
        endTime: new Date(Date.now() + startsInMs + 3_600_000).toISOString(),
        reminderMinutesBefore,
      });
  const inbox = async (who: Account) =>
    (await t.http().get('/v1/notifications?limit=100').set(who.auth)).body.items as {
      id: string;
      type: string;
      read: boolean;
      data: { bookingId?: string };
    }[];

  it('delivers a due reminder on the socket and in the inbox, exactly once', async () => {
    const bob = await t.register();
    const socket = await connectLive(t.url, bob.token);
    try {
      const created = await booking(bob, 1200);
      expect(created.status).toBe(201);
      const reminder = await socket.next((m) => m.type === 'booking.reminder' && m.bookingId === created.body.id);
      expect(reminder).toMatchObject({ bookingId: created.body.id, notificationId: expect.any(String) });
      const sentinel = await booking(bob, 1500);
      await socket.next((m) => m.type === 'booking.reminder' && m.bookingId === sentinel.body.id);
      expect(
        socket.messages.filter((m) => m.type === 'booking.reminder' && m.bookingId === created.body.id),
      ).toHaveLength(1);
      const items = await inbox(bob);
      expect(items.filter((n) => n.data.bookingId === created.body.id)).toEqual([
        expect.objectContaining({ id: reminder.notificationId, type: 'booking.reminder', read: false }),
      ]);
    } finally {
      socket.close();
    }
  });

  it('never fires the reminder of a deleted booking, and moves it with an edited one', async () => {
    const carol = await t.register();
    const deleted = await booking(carol, 1000);
    await t.http().delete(`/v1/bookings/${deleted.body.id}`).set(carol.auth).expect(204);
    const moved = await booking(carol, 1000);
    const later = new Date(Date.now() + 60_000).toISOString();
    const end = new Date(Date.now() + 120_000).toISOString();
    await t
      .http()
      .patch(`/v1/bookings/${moved.body.id}`)
      .set(carol.auth)
      .set('If-Match', '"1"')
      .send({ startTime: later, endTime: end })
      .expect(200);
    // Due after the deleted one would have been: once it is in, the deleted one would be too.
    const sentinel = await booking(carol, 2000);
    await eventually(async () => expect((await inbox(carol)).length).toBeGreaterThan(0), 20_000);
    expect((await inbox(carol)).map((n) => n.data.bookingId)).toEqual([sentinel.body.id]);
  });

  it('stores one notification even when the same job runs twice', async () => {
    const dave = await t.register();
    const notification = { id: randomUUID(), type: 'booking.reminder', title: 'x', data: {}, createdAt: Date.now() };
    const repo = t.app.get(InboxRepository);
    expect(await repo.add(dave.id, notification)).toBe(true);
    expect(await repo.add(dave.id, notification)).toBe(false);
    expect(await inbox(dave)).toHaveLength(1);
  });

  it('marks one or all notifications read; someone else’s is a 404', async () => {
    const erin = await t.register();
    const repo = t.app.get(InboxRepository);
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    for (const [i, id] of ids.entries())
      await repo.add(erin.id, { id, type: 't', title: `n${i}`, data: { i }, createdAt: Date.now() + i });
    expect((await inbox(erin)).map((n) => n.id)).toEqual([...ids].reverse());
    await t.http().post(`/v1/notifications/${ids[0]}/read`).set(erin.auth).expect(204);
    const unread = await t.http().get('/v1/notifications?unread=true').set(erin.auth);
    expect(unread.body.items.map((n: { id: string }) => n.id)).toEqual([ids[2], ids[1]]);
    expect(unread.body.unreadCount).toBe(2);
    const page = await t.http().get('/v1/notifications?limit=1').set(erin.auth);
    // The count is of the whole inbox, not of the page.
    expect(page.body.unreadCount).toBe(2);
    const next = await t.http().get(`/v1/notifications?limit=1&cursor=${page.body.nextCursor}`).set(erin.auth);
    expect(next.body.items.map((n: { id: string }) => n.id)).toEqual([ids[1]]);
    expectProblem(await t.http().post(`/v1/notifications/${ids[1]}/read`).set(alice.auth), 404, 'NOT_FOUND');
    await t.http().post('/v1/notifications/read-all').set(erin.auth).expect(204);
    expect((await t.http().get('/v1/notifications?unread=true').set(erin.auth)).body).toMatchObject({
      items: [],
      unreadCount: 0,
    });
    expectProblem(await t.http().get('/v1/notifications?unread=maybe').set(erin.auth), 400, 'VALIDATION_FAILED');
  });
});

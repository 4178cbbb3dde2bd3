import { randomUUID } from 'node:crypto';
import { AppointmentsService } from '../../src/appointments/appointments.service.js';
import { MailConsumer } from '../../src/mail/mail.consumer.js';
import { ReminderWorker } from '../../src/notifications/bull-reminders.js';
import { bookingReminder } from '../../src/notifications/notifier.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { T0, iso, ok } from '../support/integrity-base.js';
import { outboxOf } from '../support/outbox.js';
import { bookMoveCancelThenGuest, restaurantWithTable } from '../support/restaurants.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

/**
 * The email of each domain's events as the domain scripts write them: changes made over HTTP (the relay off, so the
 * outbox streams keep the entries), each entry handed to the mail consumer as its delivery job would, the email
 * caught by a real SMTP server.
 */
describe('email for each domain’s outbox events', () => {
  let smtp: SmtpCatcher;
  let t: TestApp;
  let consumer: MailConsumer;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    t = await TestApp.start({
      smtpUrl: smtp.url,
      mailFrom: 'tickets@mail.example.test',
      accessTokenTtlSeconds: 86_400,
      appointmentReminderMinutes: 60,
    });
    t.clock.set(T0);
    consumer = t.app.get(MailConsumer);
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** Delivers every entry of a stream through the consumer; answers the emails they caused, in order. */
  async function deliverAll(stream: string) {
    const entries: OutboxEvent[] = await outboxOf(t.redis, stream);
    const before = smtp.received.length;
    const results = [];
    for (const entry of entries) {
      if (consumer.wants(entry)) results.push(await consumer.deliver(entry));
    }
    expect(results.every((r) => r.status === 'done')).toBe(true);
    return { entries, mails: smtp.received.slice(before) };
  }

  it('appointments: the client hears of each step, the provider named, in the client’s zone', async () => {
    const provider = await t.register('provider', 'Dr. Grace Hopper');
    const client: Account = await t.register('customer', 'Ada');
    ok(await t.http().patch('/v1/users/me/preferences').set(client.auth).send({ timeZone: 'Europe/Lisbon' }), 200);
    const slots = ok(
      await t
        .http()
        .post('/v1/providers/me/availability')
        .set(provider.auth)
        .send({ windows: [{ start: iso(T0 + 48 * HOUR), end: iso(T0 + 49 * HOUR) }] }),
      201,
    ).body.slots as { id: string }[];
    const first = ok(await t.http().post('/v1/appointments').set(client.auth).send({ slotId: slots[0]!.id }), 201).body;
    ok(await t.http().post(`/v1/appointments/${first.id}/confirm`).set(client.auth), 200);
    ok(await t.http().post('/v1/appointments').set(client.auth).send({ slotId: slots[1]!.id }), 201);
    t.clock.advance(31 * MIN);
    await t.app.get(AppointmentsService).announceExpired();

    const { entries, mails } = await deliverAll(keys.providerOutbox(provider.id));
    expect(entries.map((e) => e.type)).toEqual([
      'appointment.reserved',
      'appointment.confirmed',
      'appointment.reserved',
      'appointment.expired',
    ]);
    // The client confirms (confirm-appointment refuses anyone else): held until the deadline, then lapsed.
    expect(mails.map((m) => m.subject)).toEqual([
      'Appointment held with Dr. Grace Hopper: confirm by Monday, January 7, 2030 at 9:30 AM (Europe/Lisbon)',
      'Appointment confirmed with Dr. Grace Hopper',
      'Appointment held with Dr. Grace Hopper: confirm by Monday, January 7, 2030 at 9:30 AM (Europe/Lisbon)',
      'Appointment lapsed unconfirmed: Dr. Grace Hopper',
    ]);
    expect(mails[0]!.text).not.toMatch(/provider to confirm|requested/);
    expect(mails.every((m) => m.to[0] === client.email)).toBe(true);
    expect(mails.map((m) => m.messageId)).toEqual(entries.map((e) => `<${e.id}.appointmentUpdates@mail.example.test>`));
    // 09:00 UTC on 9 January is 09:00 in Lisbon (UTC+0 in winter), named.
    expect(mails[1]!.text).toContain('When: Wednesday, January 9, 2030 at 9:00 AM (Europe/Lisbon), until 9:15 AM');
  });

  it('restaurants: the diner hears of booked, moved and cancelled in the restaurant’s zone; a guest’s table sends nothing', async () => {
    const [manager, diner] = [await t.register('manager'), await t.register('customer', 'Bob')];
    const { restaurant, reservations } = await restaurantWithTable(t, manager, 'Chez Outbox');
    await bookMoveCancelThenGuest(t, manager, diner, reservations);

    const { entries, mails } = await deliverAll(keys.restaurantOutbox(restaurant.id));
    expect(entries).toHaveLength(4);
    expect(mails.map((m) => m.subject)).toEqual([
      'Table booked at Chez Outbox',
      'Table moved at Chez Outbox',
      'Table cancelled at Chez Outbox',
    ]);
    expect(mails.every((m) => m.to[0] === diner.email)).toBe(true);
    // 18:00 UTC is 19:00 in Paris in January; the move is an hour later.
    expect(mails[0]!.text).toContain('When: Tuesday, January 8, 2030 at 7:00 PM (Europe/Paris)');
    expect(mails[1]!.text).toContain('New time: Tuesday, January 8, 2030 at 8:00 PM (Europe/Paris)');
    expect(mails[0]!.text).toContain('Party: 2 people');
  });

  it('reminders: the reminder worker’s reminder.due becomes a reminder email', async () => {
    const carol = await t.register('customer', 'Carol');
    const worker = t.app.get(ReminderWorker);
    const booking = ok(
      await t
        .http()
        .post('/v1/bookings')
        .set(carol.auth)
        .send({
          type: 'show',
          title: 'Dentist',
          startTime: iso(T0 + 2 * HOUR),
          endTime: iso(T0 + 3 * HOUR),
          reminderMinutesBefore: 60,
        }),
      201,
    ).body;
    // The job the booking scheduled, run as the worker runs it when due.
    await worker.run(
      bookingReminder({
        bookingId: booking.id,
        userId: carol.id,
        title: 'Dentist',
        startTime: T0 + 2 * HOUR,
        version: 1,
        reminderAt: T0 + HOUR,
      }),
    );
    await worker.run({
      id: `appointment-${randomUUID()}`,
      userId: carol.id,
      runAt: T0,
      type: 'appointment.reminder',
      title: 'Your appointment starts in 60 minutes',
      data: { appointmentId: 'a1', start: iso(T0 + HOUR) },
    });
    const { entries, mails } = await deliverAll(keys.userOutbox(carol.id));
    expect(entries.map((e) => e.type)).toEqual(['booking.created', 'reminder.due', 'reminder.due']);
    expect(mails).toHaveLength(2);
    // The absolute time only: "starts in N minutes" was true when the reminder fired, not when the email is read.
    expect(mails[0]!.subject).toBe('Reminder: Dentist, Monday, January 7, 2030 at 11:00 AM (UTC)');
    expect(mails[0]!.text).toMatch(/^What: Dentist\r?$/m);
    expect(mails[0]!.text).toContain('When: Monday, January 7, 2030 at 11:00 AM (UTC)');
    expect(mails[1]!.subject).toMatch(/^Reminder: Your appointment, .* \(UTC\)$/);
    expect(mails.map((m) => m.messageId)).toEqual(entries.slice(1).map((e) => `<${e.id}.reminders@mail.example.test>`));
  });
});

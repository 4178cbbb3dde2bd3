import { EventsRepository } from '../../src/events/events.repository.js';
import { EventsModule } from '../../src/events/events.module.js';
import { EventsService } from '../../src/events/events.service.js';
import { MailConsumer } from '../../src/mail/mail.consumer.js';
import { MailFacts } from '../../src/mail/mail-facts.js';
import { MailModule } from '../../src/mail/mail.module.js';
import { MailService } from '../../src/mail/mail.service.js';
import type { MailEvent } from '../../src/mail/mail-event.js';
import { ReminderWorker } from '../../src/notifications/bull-reminders.js';
import { bookingReminder } from '../../src/notifications/notifier.js';
import type { Reminder } from '../../src/notifications/reminders.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { T0, iso, ok } from '../support/integrity-base.js';
import { outboxOf } from '../support/outbox.js';
import { reminderQueue } from '../support/reminder-queue.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const FROM = 'tickets@mail.example.test';

/**
 * The review's findings on email, each through the real app and a real SMTP server: reminders as the worker appends
 * them (worded with the absolute time, not sent once started, the provider named), setup refusals retried, an email
 * that cannot be written given up and counted, a line break kept out of the Subject, STARTTLS required, the footer
 * pointing at the web app.
 */
describe('email: review findings', () => {
  let smtp: SmtpCatcher;
  let t: TestApp;
  let ada: Account;
  let next = 0;

  const mail = () => t.app.get(MailService);
  const deliver = (type: string, data: Record<string, unknown>, id = `rev-${++next}`) =>
    mail().deliver({ id, type, data } satisfies MailEvent);
  const metric = async (category: string, result: string) => {
    const text = (await t.http().get('/metrics').expect(200)).text;
    const line = new RegExp(`^booking_mail_attempts_total\\{category="${category}",result="${result}"\\} (\\d+)$`, 'm');
    return Number(line.exec(text)?.[1] ?? 0);
  };
  /** Runs a reminder as the worker does when it is due; answers the reminder.due entries it appended. */
  async function fire(reminder: Reminder): Promise<OutboxEvent[]> {
    const stream = keys.userOutbox(reminder.userId);
    const before = (await outboxOf(t.redis, stream)).length;
    await t.app.get(ReminderWorker).run(reminder);
    return (await outboxOf(t.redis, stream)).slice(before).filter((e) => e.type === 'reminder.due');
  }

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    t = await TestApp.start({
      smtpUrl: smtp.url,
      mailFrom: `Box Office <${FROM}>`,
      smtpTimeoutMs: 1000,
      publicBaseUrl: 'https://tickets.example.test',
      accessTokenTtlSeconds: 86_400,
      appointmentReminderMinutes: 60,
    });
    t.clock.set(T0);
    ada = await t.register('customer', 'Ada');
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
  });

  describe('reminders as the reminder worker appends them', () => {
    it('are worded with the absolute start, and skipped once it has passed (a retry that came too late)', async () => {
      const start = T0 + 2 * HOUR;
      const booking = ok(
        await t
          .http()
          .post('/v1/bookings')
          .set(ada.auth)
          .send({
            type: 'show',
            title: 'Yoga',
            startTime: iso(start),
            endTime: iso(start + HOUR),
            reminderMinutesBefore: 60,
          }),
        201,
      ).body;
      // The booking's job, run when due: its title says "starts in 60 minutes", true only then.
      t.clock.set(T0 + HOUR);
      const [due] = await fire(
        bookingReminder({
          bookingId: booking.id,
          userId: ada.id,
          title: 'Yoga',
          startTime: start,
          version: 1,
          reminderAt: T0 + HOUR,
        }),
      );
      expect(due!.data).toMatchObject({ title: 'Yoga starts in 60 minutes' });
      // The email goes out half an hour later (retries): it must not say "in 60 minutes".
      t.clock.set(T0 + HOUR + 30 * MIN);
      expect(due!.data).toMatchObject({ subject: 'Yoga', startsAt: iso(start), reminderType: 'booking.reminder' });
      const consumer = t.app.get(MailConsumer);
      const received = smtp.received.length;
      expect(await consumer.deliver(due!)).toEqual({ status: 'done' });
      const [sent] = (await smtp.waitFor(received + 1)).slice(received);
      expect(sent!.subject).toBe('Reminder: Yoga, Monday, January 7, 2030 at 11:00 AM (UTC)');
      expect(sent!.text).not.toContain('minutes');

      // The same event retried after the start: nothing is sent.
      t.clock.set(start);
      const skipped = await metric('reminders', 'skipped');
      expect(await mail().deliver(due!)).toMatchObject({ status: 'skipped' });
      expect(smtp.received.length).toBe(received + 1);
      expect(await metric('reminders', 'skipped')).toBe(skipped + 1);
      t.clock.set(T0);
    });

    it('an appointment reminder the confirmation scheduled names the provider ("With")', async () => {
      const provider = await t.register('provider', 'Dr. Grace Hopper');
      const slots = ok(
        await t
          .http()
          .post('/v1/providers/me/availability')
          .set(provider.auth)
          .send({ windows: [{ start: iso(T0 + 24 * HOUR), end: iso(T0 + 25 * HOUR) }] }),
        201,
      ).body.slots as { id: string }[];
      const appointment = ok(
        await t.http().post('/v1/appointments').set(ada.auth).send({ slotId: slots[0]!.id }),
        201,
      ).body;
      ok(await t.http().post(`/v1/appointments/${appointment.id}/confirm`).set(ada.auth), 200);
      const reminders = reminderQueue(t.config);
      try {
        // The notifier schedules it as the confirmation's side effect: wait for the job.
        let reminder: Reminder | undefined;
        await eventually(async () => {
          reminder = (await reminders.queue.getJob(`appointment-${appointment.id}`))?.data as Reminder | undefined;
          expect(reminder).toBeDefined();
        }, 5000);
        const [due] = await fire(reminder!);
        const received = smtp.received.length;
        expect((await mail().deliver(due!)).status).toBe('sent');
        const [sent] = (await smtp.waitFor(received + 1)).slice(received);
        expect(sent!.text).toMatch(/^With: Dr\. Grace Hopper\r?$/m);
        expect(sent!.subject).toBe('Reminder: Your appointment, Tuesday, January 8, 2030 at 9:00 AM (UTC)');
      } finally {
        await reminders.close();
      }
    });
  });

  describe('what is retried and what is given up', () => {
    it.each([
      [{ at: 'mail', code: 550, message: '5.7.1 Sender address not allowed' }, true],
      [{ at: 'rcpt', code: 554, message: '5.7.1 <x@y.test>: Relay access denied' }, true],
      [{ at: 'rcpt', code: 550, message: '5.1.1 User unknown in relay recipient table' }, false],
    ] as const)('a server refusing with %j: retryable %s', async (mode, retryable) => {
      smtp.mode = mode;
      const outcome = await deliver('waitlist.offered', {
        userId: ada.id,
        eventId: 'e-1',
        eventName: 'Gala',
        seatIds: ['1'],
        expiresAt: iso(T0 + HOUR),
      });
      expect(outcome).toMatchObject({ status: 'failed', retryable });
    });

    it('an email that cannot be written (a zone Intl refuses) is final and counted, not thrown', async () => {
      const final = await metric('confirmations', 'final');
      const outcome = await deliver('restaurant-reservation.booked', {
        reservationId: 'r-bad',
        restaurantId: 'no-such-restaurant',
        restaurantName: 'Chez Nulle Part',
        timeZone: 'Mars/Olympus_Mons',
        userId: ada.id,
        start: iso(T0 + HOUR),
        partySize: 2,
      });
      expect(outcome).toMatchObject({ status: 'failed', retryable: false });
      expect(await metric('confirmations', 'final')).toBe(final + 1);
    });
  });

  it('keeps a line break in an event’s name out of the Subject header (no injected header, one recipient)', async () => {
    const received = smtp.received.length;
    const outcome = await deliver('seat.reserved', {
      userId: ada.id,
      eventId: 'e-crlf',
      eventName: 'Gala\r\nBcc: mallory@evil.test',
      seatIds: ['3'],
    });
    expect(outcome.status).toBe('sent');
    const [sent] = (await smtp.waitFor(received + 1)).slice(received);
    expect(sent!.headers.has('bcc')).toBe(false);
    expect(sent!.to).toEqual([ada.email]);
    expect(sent!.subject).not.toMatch(/[\r\n]/);
    expect(sent!.subject).toContain('Gala Bcc: mallory@evil.test');
  });

  it('points the footer at the web app when PUBLIC_BASE_URL is set', async () => {
    const received = smtp.received.length;
    await deliver('seat.reserved', { userId: ada.id, eventId: 'e-foot', eventName: 'Gala', seatIds: ['4'] });
    const [sent] = (await smtp.waitFor(received + 1)).slice(received);
    expect(sent!.text).toContain('in your preferences at https://tickets.example.test/ ');
    expect(sent!.html).toContain('https://tickets.example.test/v1/users/me/preferences');
  });

  it('shares the events module’s repository (one plan cache per process)', () => {
    const strict = { strict: true };
    const facts = t.app.select(MailModule).get(MailFacts, strict) as unknown as { events: EventsRepository };
    expect(facts.events).toBeInstanceOf(EventsRepository);
    const events = t.app.select(EventsModule).get(EventsService, strict) as unknown as { events: EventsRepository };
    expect(facts.events).toBe(events.events);
  });

  it('SmtpCatcher.waitFor fails with what arrived instead of hanging', async () => {
    await expect(smtp.waitFor(10_000, 50)).rejects.toThrow(/^SmtpCatcher: waited 50 ms for 10000 received messages/);
  });
});

describe('email: STARTTLS required', () => {
  it('a server without STARTTLS gets no message when TLS is required: retried, nothing sent', async () => {
    const smtp = await SmtpCatcher.start();
    const t = await TestApp.start({ smtpUrl: smtp.url, mailFrom: FROM, smtpTimeoutMs: 1000, smtpRequireTls: true });
    try {
      const user = await t.register();
      const outcome = await t.app.get(MailService).deliver({
        id: 'tls-1',
        type: 'seat.reserved',
        data: { userId: user.id, eventId: 'e-tls', eventName: 'Gala', seatIds: ['1'] },
      });
      expect(outcome).toMatchObject({ status: 'failed', retryable: true });
      expect(smtp.attempts).toBe(0);
      expect(smtp.received).toHaveLength(0);
    } finally {
      await t.close();
      await smtp.close();
    }
  });
});

describe('preferences: review nits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it.each([[{ email: { confirmations: null } }], [{ timeZone: 'Etc/GMT+5' }], [{ timeZone: 'etc/gmt-3' }]])(
    '%j is a 400 that changes nothing',
    async (body) => {
      const user = await t.register();
      const before = ok(await t.http().get('/v1/users/me/preferences').set(user.auth), 200).body;
      const answer = await t.http().patch('/v1/users/me/preferences').set(user.auth).send(body);
      expect(answer.status).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(ok(await t.http().get('/v1/users/me/preferences').set(user.auth), 200).body).toEqual(before);
    },
  );
});

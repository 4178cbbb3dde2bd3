import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { once } from 'node:events';
import { MailService } from '../../src/mail/mail.service.js';
import type { MailEvent } from '../../src/mail/mail-event.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
  day,
  opens: '18:00',
  closes: '23:00',
}));

/**
 * Email written and sent for outbox events, to a real SMTP server the test starts. The events are handed to the
 * mail service as the outbox's consumer does; what they name (accounts, an event, a restaurant) is created over HTTP.
 */
describe('email', () => {
  let smtp: SmtpCatcher;
  let t: TestApp;
  let ada: Account;
  let manager: Account;
  let eventId: string;
  let restaurantId: string;
  let next = 0;

  const deliver = (type: string, data: Record<string, unknown>, id = `evt-${++next}`) =>
    t.app.get(MailService).deliver({ id, type, data } satisfies MailEvent);
  const preferences = (who: Account, body: object) =>
    t.http().patch('/v1/users/me/preferences').set(who.auth).send(body).expect(200);

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    t = await TestApp.start({
      smtpUrl: smtp.url,
      mailFrom: 'Box Office <tickets@mail.example.test>',
      smtpTimeoutMs: 500,
    });
    ada = await t.register('customer', 'Ada <b>Lovelace</b> & Co');
    manager = await t.register('manager', 'Max Manager');
    const event = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: 'Spring <concert>', numberOfSeats: 10, startsAt: '2027-05-01T17:30:00Z' })
      .expect(201);
    eventId = event.body.id;
    const restaurant = await t
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({ name: 'Chez Monaco', timezone: 'Europe/Berlin', openingHours: EVERY_DAY })
      .expect(201);
    restaurantId = restaurant.body.id;
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
  });

  it('confirms a table: to the customer, in the restaurant’s zone named in the text, text and HTML, Message-ID of the event', async () => {
    const before = smtp.received.length;
    const outcome = await deliver(
      'restaurant-reservation.booked',
      { reservationId: 'r1', restaurantId, userId: ada.id, guest: false, start: '2027-06-12T17:30:00Z', partySize: 3 },
      'evt-table-1',
    );
    expect(outcome).toEqual({ status: 'sent', messageId: '<evt-table-1.confirmations@mail.example.test>' });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([ada.email]);
    expect(mail!.from).toBe('tickets@mail.example.test');
    expect(mail!.messageId).toBe('<evt-table-1.confirmations@mail.example.test>');
    expect(mail!.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail!.subject).toBe('Table booked at Chez Monaco');
    // 17:30 UTC is 19:30 in Berlin (summer time), and the zone is named.
    expect(mail!.text).toContain('Saturday, June 12, 2027 at 7:30 PM (Europe/Berlin)');
    expect(mail!.text).toContain('Party: 3 people');
    expect(mail!.html).toContain('7:30 PM (Europe/Berlin)');
    // The name a user typed is text in both parts, never markup in the HTML.
    expect(mail!.text).toContain('Hello Ada <b>Lovelace</b> & Co,');
    expect(mail!.html).toContain('Hello Ada &lt;b&gt;Lovelace&lt;/b&gt; &amp; Co,');
    expect(mail!.html).not.toContain('<b>Lovelace');
  });

  it('takes the restaurant’s name and zone from the event data when it carries them (the outbox’s shape)', async () => {
    const before = smtp.received.length;
    await deliver('restaurant-reservation.moved', {
      id: 'r3',
      restaurantId: 'not-stored',
      restaurantName: 'Sushi Bar',
      timezone: 'Asia/Tokyo',
      userId: ada.id,
      start: '2027-06-12T10:00:00.000Z',
      partySize: 1,
      guest: false,
    });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.subject).toBe('Table moved at Sushi Bar');
    expect(mail!.text).toContain('New time: Saturday, June 12, 2027 at 7:00 PM (Asia/Tokyo)');
    expect(mail!.text).toContain('Party: 1 person');
  });

  it('confirms seats with prices and totals, in the recipient’s locale and time zone', async () => {
    const bob = await t.register('customer', 'Bob');
    await preferences(bob, { locale: 'de-DE', timeZone: 'America/New_York' });
    const before = smtp.received.length;
    const outcome = await deliver('seat.reserved', {
      userId: bob.id,
      eventId,
      seatIds: ['s3', 's4'],
      seats: [
        { seatId: 's3', label: 'Row A, seat 3', categoryId: 'stalls', price: { amount: 1250, currency: 'EUR' } },
        { seatId: 's4', label: 'Row A, seat 4', categoryId: 'stalls', price: { amount: 1250, currency: 'EUR' } },
      ],
    });
    expect(outcome.status).toBe('sent');
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([bob.email]);
    expect(mail!.subject).toBe('Reserved: 2 seats for Spring <concert>');
    // 17:30 UTC is 13:30 in New York, written in German; prices in German form, totalled.
    expect(mail!.text).toContain('Samstag, 1. Mai 2027 um 13:30 (America/New_York)');
    expect(mail!.text).toContain('- Row A, seat 3, stalls, 12,50\u00a0€');
    expect(mail!.text).toContain('Total: 25,00\u00a0€');
    expect(mail!.html).toContain('Spring &lt;concert&gt;');
    expect(mail!.html).toContain('<li>Row A, seat 4, stalls, 12,50\u00a0€</li>');
  });

  it('writes seat ids and no prices for events without them, in UTC when the recipient chose no zone', async () => {
    const before = smtp.received.length;
    await deliver('seat.reserved', { userId: ada.id, eventId, seatIds: ['7'] });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.subject).toBe('Reserved: 1 seat for Spring <concert>');
    expect(mail!.text).toContain('Saturday, May 1, 2027 at 5:30 PM (UTC)');
    expect(mail!.text).toContain('- Seat 7');
    expect(mail!.text).not.toContain('Total');
  });

  it('tells a client about each step of an appointment, naming the provider', async () => {
    const provider = await t.register('provider', 'Dr. Grace Hopper');
    const base = { appointmentId: 'a1', clientId: ada.id, providerId: provider.id, start: '2027-03-01T09:00:00Z' };
    const before = smtp.received.length;
    for (const step of ['reserved', 'confirmed', 'expired', 'cancelled']) {
      expect(
        (
          await deliver(`appointment.${step}`, {
            ...base,
            view: { end: '2027-03-01T09:15:00Z', expiresAt: '2027-02-28T10:00:00Z' },
          })
        ).status,
      ).toBe('sent');
    }
    const mails = (await smtp.waitFor(before + 4)).slice(before);
    expect(mails.map((m) => m.subject)).toEqual([
      'Appointment held with Dr. Grace Hopper: confirm by Sunday, February 28, 2027 at 10:00 AM (UTC)',
      'Appointment confirmed with Dr. Grace Hopper',
      'Appointment lapsed unconfirmed: Dr. Grace Hopper',
      'Appointment cancelled: Dr. Grace Hopper',
    ]);
    expect(mails[0]!.text).toContain(
      'This time is held for you until Sunday, February 28, 2027 at 10:00 AM (UTC). Confirm the appointment before then',
    );
    expect(mails[1]!.text).toContain('When: Monday, March 1, 2027 at 9:00 AM (UTC), until 9:15 AM');
    expect(new Set(mails.map((m) => m.messageId)).size).toBe(4);
    expect(mails.every((m) => m.to[0] === ada.email)).toBe(true);
  });

  it('sends the reminder jobs’ reminders, a restaurant’s in its zone', async () => {
    const before = smtp.received.length;
    // As the reminder worker appends them: the job's data, flattened with userId, reminderType, the title worded when
    // it fired, and (when the job has them) subject and startsAt.
    await deliver('reminder.due', {
      restaurantId,
      restaurantName: 'Chez Monaco',
      reservationId: 'r1',
      start: '2027-06-12T17:30:00.000Z',
      notificationId: 'n1',
      userId: ada.id,
      reminderType: 'restaurant-reservation.reminder',
      title: 'Your table at Chez Monaco is booked for 2027-06-12T19:30:00+02:00',
      dueAt: '2027-06-12T16:30:00.000Z',
    });
    await deliver('reminder.due', {
      bookingId: 'b1',
      startTime: '2027-01-10T08:00:00.000Z',
      version: 1,
      notificationId: 'n2',
      userId: ada.id,
      reminderType: 'booking.reminder',
      title: 'Dentist starts in 60 minutes',
      subject: 'Dentist',
      startsAt: '2027-01-10T08:00:00.000Z',
      dueAt: '2027-01-10T07:00:00.000Z',
    });
    const [table, booking] = (await smtp.waitFor(before + 2)).slice(before);
    expect(table!.subject).toBe(
      'Reminder: Your table at Chez Monaco, Saturday, June 12, 2027 at 7:30 PM (Europe/Berlin)',
    );
    expect(booking!.subject).toBe('Reminder: Dentist, Sunday, January 10, 2027 at 8:00 AM (UTC)');
    expect(booking!.messageId).toMatch(/^<evt-\d+\.reminders@mail\.example\.test>$/);
  });

  it('offers waiting-list seats with the time they are held until', async () => {
    const before = smtp.received.length;
    await deliver('waitlist.offered', { userId: ada.id, eventId, seatIds: ['9'], expiresAt: '2027-04-30T12:10:00Z' });
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.subject).toBe('Seats for you: 1 seat for Spring <concert>');
    expect(mail!.text).toContain('held for you until Friday, April 30, 2027 at 12:10 PM (UTC)');
  });

  it('sends nothing for a category the recipient turned off, nor for a guest’s table', async () => {
    const carol = await t.register('customer', 'Carol');
    await preferences(carol, { email: { confirmations: false } });
    const before = smtp.attempts;
    expect(await deliver('seat.reserved', { userId: carol.id, eventId, seatIds: ['1'] })).toEqual({
      status: 'skipped',
      reason: 'confirmations turned off',
    });
    const guest = { reservationId: 'r2', restaurantId, userId: manager.id, guest: true, start: '2027-06-12T17:30:00Z' };
    expect((await deliver('restaurant-reservation.booked', guest)).status).toBe('skipped');
    expect((await deliver('booking.created', { userId: carol.id })).status).toBe('skipped');
    // A send is over when deliver answers: nothing reached the server.
    expect(smtp.attempts).toBe(before);
    // Other categories still go out.
    await preferences(carol, { email: { confirmations: true } });
    expect((await deliver('seat.reserved', { userId: carol.id, eventId, seatIds: ['1'] })).status).toBe('sent');
  });

  describe('a failing SMTP server', () => {
    let attempt = 0;
    const seat = (id: string) => deliver('seat.reserved', { userId: ada.id, eventId, seatIds: ['2'] }, id);

    it.each([
      [{ at: 'rcpt', code: 450 }, true],
      [{ at: 'data', code: 451 }, true],
      [{ at: 'rcpt', code: 550 }, false],
      [{ at: 'data', code: 554 }, false],
    ] as const)('refusing with %j: retryable %s', async (mode, retryable) => {
      smtp.mode = mode;
      const id = `evt-refused-${++attempt}`;
      const received = smtp.received.length;
      const outcome = await seat(id);
      expect(outcome).toMatchObject({ status: 'failed', retryable });
      expect(smtp.received.length).toBe(received);
      // The same event sent again once the server accepts: same Message-ID, delivered.
      smtp.mode = 'accept';
      expect(await seat(id)).toEqual({ status: 'sent', messageId: `<${id}.confirmations@mail.example.test>` });
      const [mail] = (await smtp.waitFor(received + 1)).slice(received);
      expect(mail!.messageId).toBe(`<${id}.confirmations@mail.example.test>`);
      if (mode.at === 'data') {
        // The refused copy the server read carried the same Message-ID.
        expect(smtp.refused.at(-1)!.messageId).toBe(mail!.messageId);
      }
    });

    it('are counted in /metrics by category and result', async () => {
      const text = (await t.http().get('/metrics').expect(200)).text;
      const count = (result: string) =>
        Number(
          new RegExp(`^booking_mail_attempts_total\\{category="confirmations",result="${result}"\\} (\\d+)$`, 'm').exec(
            text,
          )?.[1] ?? 0,
        );
      expect(count('retry')).toBeGreaterThanOrEqual(2);
      expect(count('final')).toBeGreaterThanOrEqual(2);
      expect(count('sent')).toBeGreaterThanOrEqual(4);
      expect(count('skipped')).toBeGreaterThanOrEqual(1);
    });

    it('refusing connections, or never greeting: retryable, within the timeout', async () => {
      const closed = await freePort();
      const silent = createServer(() => undefined);
      silent.listen(0, '127.0.0.1');
      await once(silent, 'listening');
      for (const url of [`smtp://127.0.0.1:${closed}`, `smtp://127.0.0.1:${(silent.address() as AddressInfo).port}`]) {
        const other = await TestApp.start({ smtpUrl: url, mailFrom: 'tickets@mail.example.test', smtpTimeoutMs: 300 });
        try {
          const outcome = await other.app.get(MailService).deliver({
            id: 'evt-x',
            type: 'seat.reserved',
            data: { userId: (await other.register()).id, eventId, seatIds: ['1'] },
          });
          expect(outcome).toMatchObject({ status: 'failed', retryable: true });
        } finally {
          await other.close();
        }
      }
      await close(silent);
    });
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await close(server);
  return port;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

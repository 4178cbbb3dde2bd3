import { OutboxDeliveries } from '../../src/outbox/outbox-deliveries.js';
import { keys } from '../../src/redis/keys.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { deliveriesDrained } from '../support/outbox.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import { TestApp } from '../support/test-app.js';

/**
 * Mail on in one process only (SMTP_URL set in the worker, not in the API): the API's relay, which has no mail
 * module, hands the reservations over to the mail queue the other process announced, and each email goes out once
 * from there. Before per-consumer queues and announcements, such a relay made no mail job and the emails were lost.
 */
describe('email sent by another process than the relaying one', () => {
  let smtp: SmtpCatcher;
  let relaying: TestApp;
  let mailing: TestApp;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    relaying = await TestApp.start({ outboxRelay: true, outboxPollIntervalMs: 20 });
    mailing = await TestApp.start({
      redisKeyPrefix: relaying.config.redisKeyPrefix,
      smtpUrl: smtp.url,
      mailFrom: 'Box Office <tickets@mail.example.test>',
      outboxRelay: false,
    });
    // Its delivery workers only (no relay of its own): every hand-over comes from the process without mail.
    await mailing.app.get(OutboxDeliveries).start();
  });
  afterAll(async () => {
    await mailing.close();
    await relaying.close();
    await smtp.close();
  });

  it('the relay without SMTP_URL hands mail over; each confirmation is sent once, by the mail process', async () => {
    expect(await relaying.app.get(OutboxDeliveries).announced()).toContain('mail');
    const manager = await relaying.register('manager');
    const event = await createEvent(relaying, manager, { name: 'Split concert', numberOfSeats: 10 });
    const seats = event.seats.slice(0, 5);
    const customers = await Promise.all(seats.map(() => relaying.register('customer')));
    const before = smtp.received.length;
    await Promise.all(
      seats.map(async (seat, i) => {
        const { auth } = customers[i]!;
        const seatIds = [seat.id];
        await relaying.http().post(`/v1/events/${event.id}/holds`).set(auth).send({ seatIds }).expect(200);
        await relaying.http().post(`/v1/events/${event.id}/reservations`).set(auth).send({ seatIds }).expect(201);
      }),
    );
    const mails = (await smtp.waitFor(before + customers.length)).slice(before);
    expect(mails.map((m) => m.to[0]).sort()).toEqual(customers.map((c) => c.email).sort());
    await eventually(async () => expect(await relaying.redis.exists(keys.eventOutbox(event.id))).toBe(0), 10_000);
    await deliveriesDrained(relaying.config, 'mail');
    // Drained: no late second copy is coming; each customer got exactly one.
    expect(smtp.received.slice(before)).toHaveLength(customers.length);
    expect(new Set(smtp.received.slice(before).map((m) => m.messageId)).size).toBe(customers.length);
  });
});

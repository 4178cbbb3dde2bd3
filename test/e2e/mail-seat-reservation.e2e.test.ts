import { MailConsumer } from '../../src/mail/mail.consumer.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { outboxOf } from '../support/outbox.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import { TestApp } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

/**
 * The `seat.reserved` event as reserve-seats-9.lua writes it (a reservation over HTTP, the relay off so the event's
 * outbox keeps it), handed to the mail consumer: the email names each seat from the plan, with its category and
 * price, and the total; a webhook receiver gets the same prices in the data.
 */
describe('email of a seat reservation', () => {
  let smtp: SmtpCatcher;
  let t: TestApp;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    t = await TestApp.start({ smtpUrl: smtp.url, mailFrom: 'tickets@mail.example.test' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  async function reserveAndMail(body: object, pick: (seatIds: string[]) => string[]) {
    const manager = await t.register('manager');
    const buyer = await t.register('customer', 'Ada');
    const created = await t.http().post('/v1/events').set(manager.auth).send(body);
    expect(created.status).toBe(201);
    const eventId: string = created.body.id;
    const all = (await t.http().get(`/v1/events/${eventId}/seats`)).body.map((s: { id: string }) => s.id);
    const seatIds = pick(all);
    await t.http().post(`/v1/events/${eventId}/holds`).set(buyer.auth).send({ seatIds }).expect(200);
    await t.http().post(`/v1/events/${eventId}/reservations`).set(buyer.auth).send({ seatIds }).expect(201);
    const entries: OutboxEvent[] = (await outboxOf(t.redis, keys.eventOutbox(eventId))).filter(
      (e: OutboxEvent) => e.type === 'seat.reserved',
    );
    expect(entries).toHaveLength(1);
    const consumer = t.app.get(MailConsumer);
    const before = smtp.received.length;
    expect((await consumer.deliver(entries[0]!)).status).toBe('done');
    const mails = smtp.received.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to[0]).toBe(buyer.email);
    return { entry: entries[0]!, mail: mails[0]!, seatIds };
  }

  it('a layout event with prices: each seat by section, row and label, its category and price, and the total', async () => {
    // Stalls A1 (premium, 80.00) and Stalls B11 (standard, 45.00).
    const { entry, mail, seatIds } = await reserveAndMail({ name: 'Hamlet', layout: THEATRE }, (ids) => [
      ids[0]!,
      ids[4]!,
    ]);
    expect(entry.data).toMatchObject({
      seats: [
        { seatId: seatIds[0], categoryId: 'premium', price: { amount: 8000, currency: 'EUR' } },
        { seatId: seatIds[1], categoryId: 'standard', price: { amount: 4500, currency: 'EUR' } },
      ],
      totals: [{ amount: 12_500, currency: 'EUR' }],
    });
    expect(mail.text).toContain('Stalls, row A, seat 1');
    expect(mail.text).toContain('Stalls, row B, seat 11');
    expect(mail.text).toContain('Premium');
    expect(mail.text).toContain('Standard');
    expect(mail.text).toMatch(/€80\.00|80\.00/);
    expect(mail.text).toMatch(/€125\.00|125\.00/);
    expect(mail.text).not.toContain(`Seat ${seatIds[0]}`);
  });

  it('a numberOfSeats event: "Seat <n>", no price and no total', async () => {
    const { entry, mail } = await reserveAndMail({ name: 'Open air', numberOfSeats: 20 }, (ids) => [ids[11]!]);
    expect(entry.data).not.toHaveProperty('totals');
    expect(mail.text).toContain('Seat 12');
  });
});

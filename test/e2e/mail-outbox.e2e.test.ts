import { Queue } from 'bullmq';
import type { Job } from 'bullmq';
import { OutboxDeliveries, deliveryQueueName } from '../../src/outbox/outbox-deliveries.js';
import { bullConnection } from '../../src/redis/bull-connection.js';
import type { BullConnection } from '../../src/redis/bull-connection.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { createEvent } from '../support/events.js';
import { SmtpCatcher } from '../support/smtp-catcher.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

/**
 * Email through the outbox as the service runs it: a reservation over HTTP appends `seat.reserved` in its script, the
 * relay hands it to the mail consumer's delivery job, and the email reaches a real SMTP server the test started.
 */
describe('email from the outbox', () => {
  let smtp: SmtpCatcher;
  let t: TestApp;
  let manager: Account;
  let connection: BullConnection;
  let queue: Queue;

  beforeAll(async () => {
    smtp = await SmtpCatcher.start();
    t = await TestApp.start({
      smtpUrl: smtp.url,
      mailFrom: 'Box Office <tickets@mail.example.test>',
      outboxRelay: true,
      outboxPollIntervalMs: 20,
      outboxRetryBaseMs: 20,
      outboxRetryMaxDelayMs: 100,
    });
    manager = await t.register('manager');
    connection = bullConnection(t.config);
    queue = new Queue(deliveryQueueName('mail'), {
      connection: connection.connection,
      prefix: t.config.redisKeyPrefix + keys.jobs(),
    });
  });
  afterAll(async () => {
    await queue.close();
    await connection.close();
    await t.close();
    await smtp.close();
  });
  beforeEach(() => {
    smtp.mode = 'accept';
  });

  /** Holds and reserves seats as `who` (numbers from 1), in an event of its own; answers the event. */
  async function reserve(who: Account, seatNumbers: number[], name = 'Spring concert') {
    const event = await createEvent(t, manager, { name, numberOfSeats: 10, startsAt: '2027-05-01T17:30:00Z' });
    const seatIds = seatNumbers.map((n) => event.seats[n - 1]!.id);
    await t.http().post(`/v1/events/${event.id}/holds`).set(who.auth).send({ seatIds }).expect(200);
    await t.http().post(`/v1/events/${event.id}/reservations`).set(who.auth).send({ seatIds }).expect(201);
    return event;
  }

  /** The mail delivery job of the seat.reserved of `eventId` (found by its event's data), once it exists. */
  async function mailJob(eventId: string): Promise<Job> {
    let found: Job | undefined;
    await eventually(async () => {
      const jobs = await queue.getJobs(['completed', 'failed', 'delayed', 'active', 'waiting']);
      found = jobs.find((j) => j?.data.consumer === 'mail' && j.data.event.data.eventId === eventId);
      expect(found).toBeDefined();
    }, 10_000);
    return found!;
  }

  const stateOf = async (job: Job) => (await queue.getJob(job.id!))!.getState();

  it('sends the confirmation of a reservation made over HTTP once, to the customer, Message-ID from the event id', async () => {
    const ada = await t.register('customer', 'Ada');
    const before = smtp.received.length;
    const event = await reserve(ada, [3, 4]);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([ada.email]);
    expect(mail!.subject).toBe('Reserved: 2 seats for Spring concert');
    expect(mail!.text).toContain('Saturday, May 1, 2027 at 5:30 PM (UTC)');
    const job = await mailJob(event.id);
    expect(mail!.messageId).toBe(`<${job.data.event.id}.confirmations@mail.example.test>`);
    await eventually(async () => expect(await stateOf(job)).toBe('completed'), 10_000);
    // Completed: nothing will send it again.
    expect(smtp.received.filter((m) => m.messageId === mail!.messageId)).toHaveLength(1);
  });

  it('retries a send the server refuses for now (451) and delivers it once', async () => {
    const bob = await t.register('customer', 'Bob');
    smtp.mode = { at: 'data', code: 451 };
    const before = smtp.received.length;
    const event = await reserve(bob, [1]);
    const tried = () => smtp.refused.filter((m) => m.to[0] === bob.email);
    await eventually(async () => expect(tried().length).toBeGreaterThanOrEqual(2), 10_000);
    expect(smtp.received.length).toBe(before);
    smtp.mode = 'accept';
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    expect(mail!.to).toEqual([bob.email]);
    const job = await mailJob(event.id);
    await eventually(async () => expect(await stateOf(job)).toBe('completed'), 10_000);
    expect(smtp.received.filter((m) => m.messageId === mail!.messageId)).toHaveLength(1);
    // Every refused attempt was the same message: a server that kept one would recognise the retry.
    expect(new Set(tried().map((m) => m.messageId))).toEqual(new Set([mail!.messageId]));
  });

  it('gives up at once on a permanent refusal (550): the job fails, nothing is sent', async () => {
    const carol = await t.register('customer', 'Carol');
    smtp.mode = { at: 'rcpt', code: 550 };
    const before = smtp.received.length;
    const event = await reserve(carol, [2]);
    const job = await mailJob(event.id);
    await eventually(async () => expect(await stateOf(job)).toBe('failed'), 10_000);
    expect((await queue.getJob(job.id!))!.attemptsMade).toBe(1);
    expect(smtp.received.length).toBe(before);
  });

  it('sends nothing to a user who turned confirmations off: the job completes without a send', async () => {
    const dan = await t.register('customer', 'Dan');
    await t
      .http()
      .patch('/v1/users/me/preferences')
      .set(dan.auth)
      .send({ email: { confirmations: false } })
      .expect(200);
    const attempts = smtp.attempts;
    const event = await reserve(dan, [5]);
    const job = await mailJob(event.id);
    await eventually(async () => expect(await stateOf(job)).toBe('completed'), 10_000);
    expect(smtp.attempts).toBe(attempts);
  });
});

describe('email switched off (no SMTP_URL)', () => {
  it('announces no mail consumer and queues no mail job when no process sends email', async () => {
    const t = await TestApp.start({ outboxRelay: true, outboxPollIntervalMs: 20 });
    const connection = bullConnection(t.config);
    const queue = new Queue(deliveryQueueName('mail'), {
      connection: connection.connection,
      prefix: t.config.redisKeyPrefix + keys.jobs(),
    });
    try {
      const manager = await t.register('manager');
      const ada = await t.register();
      const event = await createEvent(t, manager);
      const seatIds = [event.seats[0]!.id];
      await t.http().post(`/v1/events/${event.id}/holds`).set(ada.auth).send({ seatIds }).expect(200);
      await t.http().post(`/v1/events/${event.id}/reservations`).set(ada.auth).send({ seatIds }).expect(201);
      // The relay trims what it handed over: once the event's outbox is gone, every job it made exists.
      await eventually(async () => expect(await t.redis.exists(keys.eventOutbox(event.id))).toBe(0), 10_000);
      // No process here runs mail, so none announced it and the relay made no (routing) job for it.
      expect(await t.app.get(OutboxDeliveries).announced()).not.toContain('mail');
      expect(await queue.getJobs(['completed', 'failed', 'delayed', 'active', 'waiting'])).toEqual([]);
    } finally {
      await queue.close();
      await connection.close();
      await t.close();
    }
  });
});

import { OutboxConsumer, OutboxConsumers } from '../../src/outbox/outbox-consumer.js';
import { OutboxDeliveries } from '../../src/outbox/outbox-deliveries.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
import type { DeliveryAttempt, DeliveryResult } from '../../src/outbox/outbox-consumer.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { TestApp } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';

/** Counts what it is given; fails the first `failures` attempts of every event. */
class CountingConsumer extends OutboxConsumer {
  readonly name = 'counting';
  readonly seen = new Map<string, OutboxEvent[]>();
  readonly attempts: DeliveryAttempt[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly failures = 0) {
    super();
  }

  wants(event: OutboxEvent): boolean {
    return event.type === 'seat.reserved';
  }

  deliver(event: OutboxEvent, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    this.attempts.push(attempt);
    if (attempt.number <= this.failures) return Promise.resolve({ status: 'retry', reason: 'not yet' });
    this.seen.set(event.id, [...(this.seen.get(event.id) ?? []), event]);
    for (const wake of this.waiters) wake();
    return Promise.resolve({ status: 'done' });
  }

  async until(count: number): Promise<void> {
    while (this.seen.size < count) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }
}

describe('outbox relay', () => {
  let t: TestApp;
  const consumer = new CountingConsumer(1);

  beforeAll(async () => {
    t = await TestApp.start({
      outboxRelay: true,
      outboxPollIntervalMs: 20,
      outboxRetryBaseMs: 20,
      maxHoldsPerUser: 10,
    });
    t.app.get(OutboxConsumers).register(consumer);
  });
  afterAll(() => t.close());

  it('200 parallel reservations: 200 seat.reserved events, each delivered once (after a retry), the outbox emptied', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager, { numberOfSeats: 200 });
    const users = event.seats.map((seat) => ({ seat, user: t.bearer() }));
    await Promise.all(
      users.map(({ seat, user }) =>
        t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(user.auth).expect(200),
      ),
    );

    const results = await Promise.all(
      users.map(({ seat, user }) => t.http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(user.auth)),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);

    await consumer.until(200);
    const delivered = [...consumer.seen.values()];
    expect(delivered.every((copies) => copies.length === 1)).toBe(true);
    const seats = delivered.map(([e]) => (e.data.seatIds as string[])[0]).sort();
    expect(seats).toEqual(event.seats.map((s) => s.id).sort());
    expect(delivered.every(([e]) => e.owners.includes(manager.id) && e.userId !== null)).toBe(true);
    expect(await t.redis.exists(keys.eventOutbox(event.id))).toBe(0);
  });

  it('two instances relaying one keyspace: every event delivered once, whichever instance hands it over', async () => {
    const other = await TestApp.start({
      redisKeyPrefix: t.config.redisKeyPrefix,
      outboxRelay: true,
      outboxPollIntervalMs: 20,
      outboxRetryBaseMs: 20,
    });
    const elsewhere = new CountingConsumer(1);
    other.app.get(OutboxConsumers).register(elsewhere);
    try {
      const manager = await t.register('manager');
      const event = await createEvent(t, manager, { numberOfSeats: 100 });
      const before = consumer.seen.size;
      const users = event.seats.map((seat) => ({ seat, user: t.bearer() }));
      // Half the requests through each instance: both mark streams, both relay, both run delivery jobs.
      const via = (i: number) => (i % 2 === 0 ? t : other);
      await Promise.all(
        users.map(({ seat, user }, i) =>
          via(i).http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(user.auth).expect(200),
        ),
      );
      await Promise.all(
        users.map(({ seat, user }, i) =>
          via(i).http().post(`/v1/events/${event.id}/seats/${seat.id}/reserve`).set(user.auth).expect(201),
        ),
      );

      const delivered = () => consumer.seen.size - before + elsewhere.seen.size;
      while (delivered() < 100)
        await Promise.race([consumer.until(consumer.seen.size + 1), elsewhere.until(elsewhere.seen.size + 1)]);
      const ids = [...consumer.seen.keys()].slice(before).concat([...elsewhere.seen.keys()]);
      expect(new Set(ids).size).toBe(100);
      expect(ids).toHaveLength(100);
      expect([...consumer.seen.values(), ...elsewhere.seen.values()].every((copies) => copies.length === 1)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('a stream whose pending mark was lost is found by the SCAN backstop', async () => {
    // Relay off: nothing touches the stream until this test calls the SCAN pass itself.
    const quiet = await TestApp.start({ outboxRelay: false, outboxRetryBaseMs: 20 });
    const found = new CountingConsumer();
    quiet.app.get(OutboxConsumers).register(found);
    quiet.app.get(OutboxDeliveries).start();
    try {
      const manager = await quiet.register('manager');
      const event = await createEvent(quiet, manager);
      const user = quiet.bearer();
      const seat = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
      await quiet.http().post(`${seat}/hold`).set(user.auth).expect(200);
      await quiet.http().post(`${seat}/reserve`).set(user.auth).expect(201);
      // As if the process had died between the script and its mark.
      await eventually(
        async () => expect(await quiet.redis.srem(keys.outboxPending(), keys.eventOutbox(event.id))).toBe(1),
        5000,
      );
      const relay = quiet.app.get(OutboxRelay);
      expect(await relay.relayPending()).toBe(0);
      expect(await relay.relayAll()).toBe(1);
      await found.until(1);
      expect(await quiet.redis.exists(keys.eventOutbox(event.id))).toBe(0);
    } finally {
      await quiet.close();
    }
  });
});

import { OutboxConsumer, OutboxConsumers } from '../../src/outbox/outbox-consumer.js';
import type { DeliveryAttempt, DeliveryResult } from '../../src/outbox/outbox-consumer.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { TestApp } from '../support/test-app.js';
import { createEvent } from '../support/events.js';

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
});

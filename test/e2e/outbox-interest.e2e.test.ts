import { OutboxConsumer, OutboxConsumers } from '../../src/outbox/outbox-consumer.js';
import type { DeliveryResult } from '../../src/outbox/outbox-consumer.js';
import { OutboxDeliveries } from '../../src/outbox/outbox-deliveries.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { deliveriesDrained } from '../support/outbox.js';
import { TestApp } from '../support/test-app.js';

/** Takes every event it is given, but says it is interested in one type only. */
class OneType extends OutboxConsumer {
  readonly name = 'interest-one-type';
  readonly seen = new Map<string, number>();

  wants(): boolean {
    return true;
  }

  override interest(): Promise<readonly string[]> {
    return Promise.resolve(['seat.reserved']);
  }

  deliver(event: OutboxEvent): Promise<DeliveryResult> {
    this.seen.set(event.id, (this.seen.get(event.id) ?? 0) + 1);
    return Promise.resolve({ status: 'done' });
  }
}

/**
 * The relay reads only what some consumer is interested in: entries of other types are removed by the take script,
 * never handed over, and a stream longer than one batch (and than the 1,000 entries one take looks at) is worked
 * through in one call.
 */
describe('outbox: entries no consumer wants', () => {
  let t: TestApp;
  const consumer = new OneType();

  beforeAll(async () => {
    t = await TestApp.start({ outboxRelay: false });
    t.app.get(OutboxConsumers).register(consumer);
    await t.app.get(OutboxDeliveries).start();
  });
  afterAll(() => t.close());

  it('are removed unread, while the wanted ones are each delivered once', async () => {
    const stream = keys.eventOutbox('interest-test');
    const wanted: string[] = [];
    for (let i = 0; i < 1_300; i++) {
      // 1 in 4 wanted: a batch of 100 wanted entries spans 400 entries, and one take looks at 1,000 at most.
      const type = i % 4 === 0 ? 'seat.reserved' : 'hold.expired';
      const id = `evt_${i.toString(16).padStart(32, '0')}`;
      if (type === 'seat.reserved') wanted.push(id);
      await t.redis.xadd(stream, '*', 'id', id, 'type', type, 'at', 1, 'data', '{}', 'user', '', 'owners', '');
    }

    expect(await t.app.get(OutboxRelay).relay(stream)).toBe(1_300);
    expect(await t.redis.exists(stream)).toBe(0);
    await eventually(async () => expect(consumer.seen.size).toBe(wanted.length), 30_000);
    await deliveriesDrained(t.config, consumer.name);
    expect([...consumer.seen.keys()].sort()).toEqual(wanted.sort());
    expect(new Set(consumer.seen.values())).toEqual(new Set([1]));
  });

  it('keeps what is appended after a pass fixed its last entry for the next pass', async () => {
    const stream = keys.eventOutbox('interest-later');
    const add = (n: number) =>
      t.redis.xadd(
        stream,
        '*',
        'id',
        `evt_later${n}`,
        'type',
        'hold.expired',
        'at',
        1,
        'data',
        '{}',
        'user',
        '',
        'owners',
        '',
      );
    await add(1);
    const relay = t.app.get(OutboxRelay);
    const relaying = relay.relay(stream);
    await add(2);
    const moved = await relaying;
    // Either the second entry came after the pass fixed its last one (left, and the stream marked for the next pass)
    // or before (removed in this pass): never lost without being looked at.
    const left = await t.redis.xlen(stream);
    expect(moved + left).toBe(2);
    if (left > 0) expect(await t.redis.sismember(keys.outboxPending(), stream)).toBe(1);
    expect(await relay.relay(stream)).toBe(left);
    expect(await t.redis.exists(stream)).toBe(0);
  });
});

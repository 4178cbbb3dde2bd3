import { OutboxConsumer, OutboxConsumers } from '../../src/outbox/outbox-consumer.js';
import type { DeliveryResult } from '../../src/outbox/outbox-consumer.js';
import { OutboxDeliveries } from '../../src/outbox/outbox-deliveries.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
import type { OutboxEvent } from '../../src/outbox/outbox.codec.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { deliveriesDrained, outboxOf } from '../support/outbox.js';
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

  const fields = (id: string, type: string) => [
    'id',
    id,
    'type',
    type,
    'at',
    1,
    'data',
    '{}',
    'user',
    '',
    'owners',
    '',
  ];

  /** Runs `then` right after the relay's next XREVRANGE answered (the pass has fixed its last entries). */
  const afterTailsFixed = (then: () => Promise<unknown>) => {
    const redis = t.redis as unknown as { xrevrange: (...args: unknown[]) => Promise<unknown> };
    const original = redis.xrevrange;
    redis.xrevrange = async function (this: unknown, ...args: unknown[]) {
      redis.xrevrange = original;
      const answer = await original.apply(this, args);
      await then();
      return answer;
    };
  };

  it('leaves what is appended after a pass fixed its last entry to the next pass, unread and not removed', async () => {
    const stream = keys.eventOutbox('interest-later');
    await t.redis.xadd(stream, '*', ...fields('evt_later1', 'hold.expired'));
    afterTailsFixed(() => t.redis.xadd(stream, '*', ...fields('evt_later2', 'seat.reserved')));
    const relay = t.app.get(OutboxRelay);
    expect(await relay.relay(stream)).toBe(1);
    // The second entry is younger than the pass: its appender's own mark brings the stream back (here: by hand).
    expect((await outboxOf(t.redis, stream)).map((e) => e.id)).toEqual(['evt_later2']);
    expect(await relay.relay(stream)).toBe(1);
    expect(await t.redis.exists(stream)).toBe(0);
    await eventually(async () => expect(consumer.seen.get('evt_later2')).toBe(1), 15_000);
  });

  it('reads every entry when the last one the pass fixed is gone: the stream was emptied and written again', async () => {
    const stream = keys.eventOutbox('interest-recreated');
    await t.redis.xadd(stream, '9000000000000-5', ...fields('evt_old', 'hold.expired'));
    // Another relay empties and deletes the stream, and a new entry gets an older stream id (the same millisecond,
    // or Redis' clock stepped back): the interest read now may be older than that entry.
    afterTailsFixed(async () => {
      await t.redis.del(stream);
      await t.redis.xadd(stream, '9000000000000-1', ...fields('evt_new', 'hold.expired'));
    });
    expect(await t.app.get(OutboxRelay).relay(stream)).toBe(1);
    // Handed over (the consumer takes every type it is given), not removed unread.
    await eventually(async () => expect(consumer.seen.get('evt_new')).toBe(1), 15_000);
    expect(await t.redis.exists(stream)).toBe(0);
  });

  it('relays the other streams when one marked key cannot be read, and does not mark that key again', async () => {
    const good = keys.eventOutbox('interest-good');
    const bad = keys.eventOutbox('interest-bad');
    await t.redis.xadd(good, '*', ...fields('evt_good', 'seat.reserved'));
    await t.redis.hset(bad, 'not', 'a stream');
    await t.redis.sadd(keys.outboxPending(), good, bad);
    expect(await t.app.get(OutboxRelay).relayPending()).toBe(1);
    expect(await t.redis.exists(good)).toBe(0);
    expect(await t.redis.smembers(keys.outboxPending())).toEqual([]);
    await eventually(async () => expect(consumer.seen.get('evt_good')).toBe(1), 15_000);
    await t.redis.del(bad);
  });

  // Last: it registers a second consumer for the rest of the file.
  it('reads every entry when a consumer cannot say what it wants (its interest() throws)', async () => {
    class Unsure extends OutboxConsumer {
      readonly name = 'interest-unsure';
      wants(): boolean {
        return false;
      }
      override interest(): Promise<readonly string[]> {
        throw new Error('cannot tell now');
      }
      deliver(): Promise<DeliveryResult> {
        return Promise.resolve({ status: 'done' });
      }
    }
    t.app.get(OutboxConsumers).register(new Unsure());
    const stream = keys.eventOutbox('interest-unsure');
    await t.redis.xadd(stream, '*', ...fields('evt_unsure', 'hold.expired'));
    expect(await t.app.get(OutboxRelay).relay(stream)).toBe(1);
    // Not removed unread: handed over, and the consumer that takes every type got it.
    await eventually(async () => expect(consumer.seen.get('evt_unsure')).toBe(1), 15_000);
  });
});

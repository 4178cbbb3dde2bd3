import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/common/clock.js';
import type { UserEvent } from '../../src/notifications/live-events.js';
import { RedisLiveEvents } from '../../src/notifications/redis-live-events.js';
import { ChannelSubscriber } from '../../src/redis/channel-subscriber.js';
import { freePort, startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { createRedisClient } from '../../src/redis/redis-client.js';

describe('live events when Redis is away as the first listener arrives', () => {
  it('subscribes once Redis is back, so later changes still reach the listener', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'live-retry-'));
    const port = await freePort();
    const options = { url: `redis://127.0.0.1:${port}`, keyPrefix: 'live:', commandTimeoutMs: 200 };
    const [subscriberSide, publisherSide] = [createRedisClient(options), createRedisClient(options)];
    const clock = new ManualClock();
    const subscriber = new ChannelSubscriber(subscriberSide);
    const listening = new RedisLiveEvents(subscriberSide, subscriber, clock);
    const publishing = new RedisLiveEvents(publisherSide, new ChannelSubscriber(publisherSide), clock);
    const received: UserEvent[] = [];
    const stop = listening.onUserEvent('u1', (event) => received.push(event));
    let redis: Awaited<ReturnType<typeof startEmbeddedRedis>> | undefined;
    try {
      // The subscription failed: waiting for it says so, rather than hanging or claiming to listen.
      await expect(listening.listening()).rejects.toThrow();
      redis = await startEmbeddedRedis(dir, process.env.REDIS_SERVER_BIN, port, false);
      const deadline = Date.now() + 10_000;
      while (received.length === 0 && Date.now() < deadline) {
        await publishing.toUser('u1', 'ping', {});
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(received[0]).toMatchObject({ type: 'ping' });
    } finally {
      stop();
      subscriber.onModuleDestroy();
      subscriberSide.disconnect();
      publisherSide.disconnect();
      await redis?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

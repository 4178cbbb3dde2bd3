import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { freePort, startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import type { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { createEvent } from '../support/events.js';
import { openSse, waitFor } from '../support/live.js';
import { TestApp } from '../support/test-app.js';

/**
 * When the instance cannot subscribe to the change channels (here: its Redis user may not use pub/sub), a live
 * client must not be told it is listening: it would then miss every change until the subscription is retried. The
 * seat stream ends with an error event (EventSource reconnects with its Last-Event-ID) and the WebSocket closes with
 * 1013 Try Again Later; once the subscription works, the next stream hears the changes.
 */
describe('live updates when the instance cannot subscribe', () => {
  let dir: string;
  let redis: EmbeddedRedis;
  let admin: Redis;
  let t: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'live-nosub-'));
    const port = await freePort();
    redis = await startEmbeddedRedis(dir, process.env.REDIS_SERVER_BIN, port, false);
    admin = new Redis({ port, host: '127.0.0.1', lazyConnect: false });
    // Every command and key, but no pub/sub channel: SUBSCRIBE and PSUBSCRIBE are refused with NOPERM.
    await admin.call('ACL', 'SETUSER', 'app', 'on', '>secret', '~*', 'resetchannels', '+@all');
    t = await TestApp.start({ redisUrl: `redis://app:secret@127.0.0.1:${port}` });
  });
  afterAll(async () => {
    await t?.close();
    admin?.disconnect();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the seat stream and closes the socket instead of claiming to listen, and recovers', async () => {
    const event = await createEvent(t, await t.register('manager'));
    const stream = openSse(`${t.url}/v1/events/${event.id}/seats/stream`);
    try {
      const error = await waitFor(() => stream.events.find((e) => e.event === 'error'), 15_000);
      expect(JSON.parse(error.data)).toMatchObject({ eventId: event.id, code: 'SERVICE_UNAVAILABLE' });
      await waitFor(() => stream.ended() || undefined, 15_000);
    } finally {
      stream.close();
    }

    const viewer = await t.register();
    const ws = new WebSocket(`${t.url.replace('http', 'ws')}/v1/live?access_token=${viewer.token}`);
    const messages: string[] = [];
    ws.on('message', (data) => messages.push(data.toString()));
    const code = await new Promise<number>((resolve) => ws.once('close', (closeCode) => resolve(closeCode)));
    expect(code).toBe(1013);
    expect(messages.some((m) => m.includes('"welcome"'))).toBe(false);

    // Pub/sub allowed again: the next listener starts a new attempt, and its stream hears a hold made once it opened.
    await admin.call('ACL', 'SETUSER', 'app', 'allchannels');
    const customer = await t.register();
    const again = openSse(`${t.url}/v1/events/${event.id}/seats/stream`);
    try {
      await waitFor(() => (again.status() === 200 ? true : undefined), 15_000);
      await t.http().post(`/v1/events/${event.id}/seats/${event.seats[0].id}/hold`).set(customer.auth).expect(200);
      const update = await waitFor(
        () => again.events.find((e) => e.event === 'seat.updated' || e.event === 'error'),
        15_000,
      );
      expect(update.event).toBe('seat.updated');
      expect(JSON.parse(update.data)).toMatchObject({ seatId: event.seats[0].id, status: 'held' });
    } finally {
      again.close();
    }
  });
});

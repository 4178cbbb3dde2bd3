import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { keys } from '../../src/redis/keys.js';
import { freePort, startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import type { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { TestApp } from '../support/test-app.js';
import { createEvent } from '../support/events.js';

/** Faults injected into real processes: a Redis killed mid-burst, an answer lost on the way back. */
describe('faults', () => {
  describe('Redis killed with SIGKILL during a burst of reservations, restarted from its AOF', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'kill9-'));
    let redis: EmbeddedRedis;
    let t: TestApp;
    let port: number;

    beforeAll(async () => {
      port = await freePort();
      redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, port);
      t = await TestApp.start({ redisUrl: redis.url, redisCommandTimeoutMs: 500, accessTokenTtlSeconds: 86_400 });
    });
    afterAll(async () => {
      await t.close();
      await redis.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('keeps every reservation that got a 2xx, answers the rest 503 (never 500), sells no seat twice', async () => {
      const manager = await t.register('manager');
      const event = await createEvent(t, manager, { numberOfSeats: 100, holdSeconds: 3600 });
      const buyers = event.seats.slice(0, 60).map((seat) => ({ seat, who: t.bearer() }));
      for (const { seat, who } of buyers) {
        await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(who.auth).expect(200);
      }

      let answered = 0;
      const burst = Promise.all(
        buyers.map(({ seat, who }) =>
          t
            .http()
            .post(`/v1/events/${event.id}/seats/${seat.id}/reserve`)
            .set(who.auth)
            .timeout(5000)
            .then((res) => {
              answered++;
              return res;
            }),
        ),
      );
      // Kill it mid-burst: once some reservations have been answered and others are still in flight.
      while (answered < 3) await new Promise((resolve) => setTimeout(resolve, 1));
      const exited = new Promise((resolve) => redis.process.once('exit', resolve));
      redis.process.kill('SIGKILL');
      const answers = await burst;
      await exited;
      expect(answers.some((r) => r.status === 201)).toBe(true);

      expect(answers.every((r) => [200, 201, 503].includes(r.status))).toBe(true);
      for (const r of answers.filter((x) => x.status === 503)) expect(r.headers['retry-after']).toBeDefined();

      redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, port);
      const state = await waitForState(t, event.id);
      answers.forEach((r, i) => {
        if (r.status === 200 || r.status === 201) {
          expect(state[buyers[i].seat.id]).toMatch(new RegExp(`^R\\|${buyers[i].who.id}\\|`));
        }
      });
      const reserved = Object.values(state).filter((v) => v.startsWith('R|'));
      expect(new Set(reserved.map((v) => v.split('|')[1])).size).toBe(reserved.length);
    });
  });

  describe('the answer of a reservation is lost on the way back', () => {
    let t: TestApp;
    let proxy: Server;
    let proxyUrl: string;

    beforeAll(async () => {
      t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
      const target = new URL(t.url);
      // Forwards requests to the service, then cuts the client's connection as soon as the answer starts to come.
      proxy = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        client.pipe(upstream);
        upstream.once('data', () => {
          client.destroy();
          upstream.destroy();
        });
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      });
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      const address = proxy.address();
      proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    });
    afterAll(async () => {
      proxy.close();
      await t.close();
    });

    it('a retry with the same Idempotency-Key gets the original answer, and one reservation exists', async () => {
      const manager = await t.register('manager');
      const event = await createEvent(t, manager);
      const buyer = t.bearer();
      const seat = event.seats[0];
      await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(buyer.auth).expect(200);
      const key = randomUUID();
      const path = `/v1/events/${event.id}/seats/${seat.id}/reserve`;

      await expect(request(proxyUrl).post(path).set(buyer.auth).set('Idempotency-Key', key)).rejects.toThrow();
      const retry = await t.http().post(path).set(buyer.auth).set('Idempotency-Key', key);

      expect(retry.status).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toMatchObject({ seatId: seat.id, userId: buyer.id });
      const state = await t.redis.hgetall(keys.seatState(event.id));
      expect(Object.values(state).filter((v) => v.startsWith('R|'))).toHaveLength(1);
      const reservations = await t.redis.zrange(keys.userSeatReservations(buyer.id), '0', '-1');
      expect(reservations).toHaveLength(1);
    });
  });
});

async function waitForState(t: TestApp, eventId: string): Promise<Record<string, string>> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await t.redis.hgetall(keys.seatState(eventId));
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

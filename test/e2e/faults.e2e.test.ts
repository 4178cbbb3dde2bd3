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
import { ManualClock } from '../../src/common/clock.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { createEvent, seatMap } from '../support/events.js';
import { eventually } from '../support/eventually.js';

/**
 * Faults injected into real processes: a Redis killed mid-burst, an answer lost on the way back, an instance killed
 * between hold and reserve.
 */
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

  describe('the service killed between hold and reserve', () => {
    it('leaves nothing to repair: the hold still counts, then runs out on time, and the seat sells again', async () => {
      const T0 = Date.parse('2030-01-01T12:00:00Z');
      const first = await TestApp.start({ accessTokenTtlSeconds: 86_400 }, new ManualClock(T0));
      let second: TestApp | undefined;
      try {
        const manager = await first.register('manager');
        const event = await createEvent(first, manager, { holdSeconds: 60 });
        const [alice, bob] = [first.bearer(), first.bearer()];
        const [seat, other] = event.seats;
        const held = await first
          .http()
          .post(`/v1/events/${event.id}/holds`)
          .set(alice.auth)
          .send({ seatIds: [seat.id, other.id] });
        expect(held.status).toBe(200);
        expect(held.body.expiresAt).toBe(new Date(T0 + 60_000).toISOString());

        kill(first);

        // A fresh instance on the same data, with the expiry sweeper on, knows nothing but what is in Redis.
        const prefix = first.config.redisKeyPrefix;
        second = await TestApp.start(
          { redisKeyPrefix: prefix, holdSweepIntervalMs: 20, accessTokenTtlSeconds: 86_400 },
          new ManualClock(T0 + 30_000),
        );
        const t = second;
        type Who = { auth: { Authorization: string } };
        const hold = (who: Who) => t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(who.auth);
        const reserve = (who: Who, seatId = seat.id) =>
          t.http().post(`/v1/events/${event.id}/seats/${seatId}/reserve`).set(who.auth);
        const status = async () => (await seatMap(t, event.id))[seat.number];

        // The hold outlived its instance: Alice can still reserve what she held, and nobody else can take it.
        expect((await reserve(alice, other.id)).status).toBe(201);
        t.clock.set(T0 + 59_999);
        expect(await status()).toBe('held');
        expectProblem(await hold(bob), 409, 'SEAT_UNAVAILABLE');

        // At its expiry the seat is free by the clock alone, and this instance's sweeper announces it.
        t.clock.set(T0 + 60_000);
        expect(await status()).toBe('available');
        await eventually(async () => {
          const log = await t.redis.xrange(keys.seatLog(event.id), '-', '+');
          const changes = log.map(([, fields]) => JSON.parse(fields[1]) as { seatId: string; status: string });
          expect(changes.filter((c) => c.seatId === seat.id).map((c) => c.status)).toEqual(['held', 'available']);
        }, 3000);
        expectProblem(await reserve(alice), 409, 'HOLD_REQUIRED');
        expect((await hold(bob)).status).toBe(200);
        expect((await reserve(bob)).status).toBe(201);

        // Nothing to repair: the stored state is what an instance that never died would have left.
        const state = await t.redis.hgetall(keys.seatState(event.id));
        expect(state).toEqual({
          [seat.id]: expect.stringMatching(new RegExp(`^R\\|${bob.id}\\|`)),
          [other.id]: expect.stringMatching(new RegExp(`^R\\|${alice.id}\\|`)),
        });
        expect(await t.redis.zrange(keys.holdExpiries(event.id), '0', '-1')).toEqual([]);
        expect(await t.redis.zcount(keys.userHoldsInEvent(event.id, alice.id), `(${t.clock.now()}`, '+inf')).toBe(0);
        expect((await t.http().get('/v1/users/me/holds').set(alice.auth)).body.items).toEqual([]);
        expect((await t.http().get(`/v1/events/${event.id}`)).body.counts).toEqual({
          available: 8,
          held: 0,
          reserved: 2,
        });
      } finally {
        await second?.close();
        await first.close(); // what the killed instance still holds in this test process
      }
    });
  });
});

/** What SIGKILL leaves of an instance: its connections cut, no shutdown hook run, nothing flushed or released. */
function kill(t: TestApp): void {
  const server = t.app.getHttpServer();
  server.close();
  server.closeAllConnections();
  t.redis.disconnect();
}

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

import { randomUUID } from 'node:crypto';
import { freePort } from '../../src/redis/embedded-redis.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { createEvent } from '../support/events.js';

/** Reads one sample of a Prometheus text exposition (0 when absent). */
function sample(text: string, name: string, labels = ''): number {
  const line = text
    .split('\n')
    .find((l) => l.startsWith(`${name}${labels} `) || (labels === '' && l.startsWith(`${name} `)));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe('GET /metrics', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ metricsToken: 'scrape-me' });
  });
  afterAll(() => t.close());

  const scrape = async () => (await t.http().get('/metrics').set('Authorization', 'Bearer scrape-me').expect(200)).text;

  it('needs the metrics token when one is configured', async () => {
    expectProblem(await t.http().get('/metrics'), 401, 'UNAUTHORIZED');
    expectProblem(await t.http().get('/metrics').set('Authorization', 'Bearer wrong'), 401, 'UNAUTHORIZED');
  });

  it('shows domain counters and request durations moving', async () => {
    const before = await scrape();
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const [alice, bob] = [t.bearer(), t.bearer()];
    const url = `/v1/events/${event.id}/seats/${event.seats[0].id}`;
    const key = randomUUID();
    await t.http().post(`${url}/hold`).set(alice.auth).set('Idempotency-Key', key).expect(200);
    await t.http().post(`${url}/hold`).set(alice.auth).set('Idempotency-Key', key).expect(200);
    await t.http().post(`${url}/hold`).set(bob.auth).expect(409);
    await t.http().post(`${url}/reserve`).set(alice.auth).expect(201);
    const after = await scrape();

    const delta = (name: string, labels = '') => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('booking_holds_total')).toBe(1);
    expect(delta('booking_hold_conflicts_total')).toBe(1);
    expect(delta('booking_reserves_total')).toBe(1);
    expect(delta('booking_idempotent_replays_total')).toBe(1);
    const holdRoute = '{method="POST",route="/v1/events/:eventId/seats/:seatId/hold",status="200"}';
    // Two answered 200: the hold and its replay (a replay is a request like any other).
    expect(delta('booking_http_request_duration_seconds_count', holdRoute)).toBe(2);
    // Buckets below 1 ms: the latency floor's targets (hold p50 < 0.5 ms) can only be read from these.
    for (const le of ['0.0001', '0.00025', '0.0005', '0.001'])
      expect(after).toContain(
        `booking_http_request_duration_seconds_bucket{le="${le}",method="POST",route="/v1/events/:eventId/seats/:seatId/hold",status="200"}`,
      );
    // Redis round trips, the service's Lua scripts by name.
    expect(delta('booking_redis_command_duration_seconds_count', '{command="holdSeats"}')).toBeGreaterThanOrEqual(2);
    expect(delta('booking_redis_command_duration_seconds_count', '{command="reserveSeats"}')).toBeGreaterThanOrEqual(1);
    expect(after).toContain('booking_nodejs_eventloop_lag_seconds');
    expect(after).toContain('booking_process_resident_memory_bytes');
  });

  it('counts each Redis command of the service once', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const alice = t.bearer();
    const before = await scrape();
    for (const seat of event.seats.slice(0, 3))
      await t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(alice.auth).expect(200);
    const after = await scrape();
    const count = '{command="holdSeats"}';
    expect(
      sample(after, 'booking_redis_command_duration_seconds_count', count) -
        sample(before, 'booking_redis_command_duration_seconds_count', count),
    ).toBe(3);
  });

  it('counts Redis commands that fail, by kind, and failed connections', async () => {
    const before = await scrape();
    await t.redis.call('NO-SUCH-COMMAND').catch(() => undefined);
    const after = await scrape();
    const errors = '{command="no-such-command",kind="reply"}';
    expect(sample(after, 'booking_redis_command_errors_total', errors)).toBe(
      sample(before, 'booking_redis_command_errors_total', errors) + 1,
    );

    const down = await TestApp.start({ redisUrl: `redis://127.0.0.1:${await freePort()}`, redisCommandTimeoutMs: 200 });
    try {
      await down.http().get('/health/ready').expect(503);
      const text = (await down.http().get('/metrics').expect(200)).text;
      expect(sample(text, 'booking_redis_connection_errors_total')).toBeGreaterThanOrEqual(1);
    } finally {
      await down.close();
    }
  });
});

import { execFile } from 'node:child_process';
import { freePort } from '../../src/redis/embedded-redis.js';
import { keys } from '../../src/redis/keys.js';
import type { CompiledScript } from '../support/compiled-script.js';
import { compileScript } from '../support/compiled-script.js';
import { createEvent } from '../support/events.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

interface Outcome {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run check-integrity`, the way it is run: the compiled script in its own process, configured by env. */
describe('npm run check-integrity (the command)', () => {
  let script: CompiledScript;
  let t: TestApp;
  let alice: Account;
  let bob: Account;
  let event: { id: string; seats: { id: string }[] };

  const cli = (args: string[], env: Record<string, string> = {}) =>
    new Promise<Outcome>((resolve) => {
      execFile(
        process.execPath,
        [script.path, ...args],
        {
          env: {
            PATH: process.env.PATH,
            // The Redis the test app uses: one Redis, or under `npm run test:cluster` the cluster.
            ...(t.config.redisUrl ? { REDIS_URL: t.config.redisUrl } : {}),
            // A test that names a REDIS_URL means that one Redis.
            REDIS_CLUSTER_NODES: env.REDIS_URL === undefined ? t.config.redisClusterNodes.join(',') : '',
            REDIS_KEY_PREFIX: t.config.redisKeyPrefix,
            ...env,
          },
          timeout: 30_000,
        },
        (error, stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
      );
    });

  beforeAll(async () => {
    [script, t] = await Promise.all([compileScript('src/scripts/check-integrity.ts'), TestApp.start()]);
    // The command judges holds by the real clock: the app's clock stands at the real time it started.
    const manager = await t.register('manager');
    [alice, bob] = await Promise.all([t.register(), t.register()]);
    event = await createEvent(t, manager);
    const seat = (n: number) => `/v1/events/${event.id}/seats/${event.seats[n].id}`;
    await t
      .http()
      .post(`${seat(0)}/hold`)
      .set(alice.auth)
      .expect(200);
    await t
      .http()
      .post(`${seat(0)}/reserve`)
      .set(alice.auth)
      .expect(201);
    await t
      .http()
      .post(`${seat(1)}/hold`)
      .set(bob.auth)
      .expect(200);
    await t
      .http()
      .post('/v1/bookings')
      .set(alice.auth)
      .send({ type: 'show', title: 'Opera', startTime: '2031-01-01T19:00:00Z', endTime: '2031-01-01T22:00:00Z' })
      .expect(201);
  }, 60_000);
  afterAll(async () => {
    script?.remove();
    await t?.close();
  });

  it('exits 0 on clean data and says so', async () => {
    const { code, stdout } = await cli([]);
    expect({ code, stdout }).toEqual({
      code: 0,
      stdout: expect.stringMatching(/^integrity check: no violations; \d+ keys scanned in [\d.]+ s\n$/),
    });
  });

  it('exits 1 after a violation is planted, printing the finding with its keys and a summary', async () => {
    // Bob "holds" the seat alice reserved.
    const until = Date.now() + 10 * 60_000;
    await t.redis.zadd(keys.userHoldsInEvent(event.id, bob.id), until, event.seats[0].id);
    await t.redis.zadd(keys.userHoldEvents(bob.id), 'GT', until, event.id);

    const text = await cli(['--settle-ms', '0']);
    expect(text.code).toBe(1);
    const lines = text.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^seat-reserved-and-held {2}seat \S+ is in \S+'s holds until .+, but the seat is reserved/,
    );
    expect(lines[0]).toContain(`${t.config.redisKeyPrefix}${keys.userHoldsInEvent(event.id, bob.id)}`);
    expect(lines[1]).toMatch(/^integrity check: 1 violation\(s\) \(seat-reserved-and-held 1\); \d+ keys scanned/);

    const json = await cli(['--json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout);
    expect(report).toMatchObject({ ok: false, keysScanned: expect.any(Number), durationMs: expect.any(Number) });
    expect(report.findings).toEqual([
      {
        invariant: 'seat-reserved-and-held',
        keys: [
          `${t.config.redisKeyPrefix}${keys.userHoldsInEvent(event.id, bob.id)}`,
          `${t.config.redisKeyPrefix}${keys.seatState(event.id)}`,
        ],
        detail: expect.stringContaining(event.seats[0].id),
      },
    ]);
    expect(report.counts['seat-reserved-and-held']).toBe(1);
    expect(report.counts['seat-double-hold']).toBe(0);
  });

  it('exits 2 when Redis cannot be reached', async () => {
    const { code, stderr } = await cli([], { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    expect(code).toBe(2);
    expect(stderr).toMatch(/cannot reach Redis: connect ECONNREFUSED/);
  });

  it('exits 3 on a bad configuration or argument, 0 with --help', async () => {
    expect((await cli([], { REDIS_KEY_PREFIX: '{x}:' })).code).toBe(3);
    expect((await cli([], { REDIS_URL: '' })).stderr).toMatch(/needs REDIS_URL/);
    expect((await cli(['--jsn'])).code).toBe(3);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('appointment-slot-conflict');
  });
});

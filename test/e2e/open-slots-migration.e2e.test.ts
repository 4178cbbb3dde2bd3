import { randomUUID } from 'node:crypto';
import { OPEN_SLOTS_MIGRATION, OpenSlotsMigration } from '../../src/appointments/open-slots-migration.js';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { TestApp } from '../support/test-app.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Slots published before the index of every provider's open slots existed: the keyspace of a running service whose
 * index and marker are taken away (what the previous release left), then two instances start on it.
 */
describe('the open-slots index of slots published before it existed is built once, at start', () => {
  let old: TestApp;
  let a: TestApp;
  let b: TestApp;
  const published: { id: string; providerId: string }[] = [];
  let taken = '';

  beforeAll(async () => {
    old = await TestApp.start();
    old.clock.set(T0);
    for (let p = 0; p < 3; p++) {
      const provider = old.bearer(randomUUID(), 'provider');
      const res = await old
        .http()
        .post('/v1/providers/me/availability')
        .set(provider.auth)
        .send({ windows: [{ start: iso(T0 + (30 + p) * HOUR), end: iso(T0 + (31 + p) * HOUR) }] });
      expect(res.status).toBe(201);
      published.push(...res.body.slots);
    }
    taken = published[0].id;
    expect((await old.http().post('/v1/appointments').set(old.bearer().auth).send({ slotId: taken })).status).toBe(201);
    // Two commands: the keys are in different slots of a cluster.
    await old.redis.del(keys.openSlots());
    await old.redis.del(keys.migrationDone(OPEN_SLOTS_MIGRATION));
    const prefix = old.config.redisKeyPrefix;
    await old.close();
    [a, b] = await Promise.all([TestApp.start({ redisKeyPrefix: prefix }), TestApp.start({ redisKeyPrefix: prefix })]);
    for (const t of [a, b]) t.clock.set(T0);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  const listed = async (t: TestApp) =>
    (
      await t
        .http()
        .get('/v1/slots')
        .query({ from: iso(T0), limit: 100 })
        .set(t.bearer().auth)
    ).body.items?.map((s: { id: string }) => s.id) as string[] | undefined;

  it('lists the open ones, not the taken one, on every instance', async () => {
    const open = published.map((s) => s.id).filter((id) => id !== taken);
    for (const t of [a, b]) await eventually(async () => expect(await listed(t)).toEqual(open), 10_000);
  });

  it('leaves an exact index and marks the keyspace done', async () => {
    await eventually(
      async () => expect(await a.redis.exists(keys.migrationDone(OPEN_SLOTS_MIGRATION))).toBe(1),
      10_000,
    );
    const report = await new IntegrityChecker(a.redis, INTEGRITY_CHECKS, { now: () => a.clock.now() }).run();
    expect(report.findings).toEqual([]);
  });

  it('does not run again once marked', async () => {
    await a.redis.del(keys.openSlots());
    const c = await TestApp.start({ redisKeyPrefix: a.config.redisKeyPrefix });
    try {
      c.clock.set(T0);
      expect(await c.app.get(OpenSlotsMigration).run()).toBeNull();
      expect(await listed(c)).toEqual([]);
    } finally {
      await c.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import { OPEN_SLOTS_MIGRATION } from '../../src/appointments/open-slots-migration.js';
import { openSlotMember } from '../../src/appointments/appointments.codec.js';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { TestApp } from '../support/test-app.js';

const T0 = Date.parse('2030-06-01T00:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Review of issue 18, item 1: during a rolling upgrade, instances of the earlier release cancel and let lapse
 * reservations without listing their slots in `{slots}:open`. The integrity check reports every such free slot
 * (cancelled or long lapsed, not only never reserved), and the documented repair (DEL the marker, restart one
 * instance) lists them again.
 */
describe('open slots an earlier release left out of the index', () => {
  let t: TestApp;
  let repaired: TestApp | undefined;
  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 });
    t.clock.set(T0);
  });
  afterAll(async () => {
    await Promise.all([t.close(), repaired?.close()]);
  });

  const missing = async (app: TestApp) =>
    (await new IntegrityChecker(app.redis, INTEGRITY_CHECKS, { now: () => app.clock.now() }).run()).findings
      .filter((f) => f.invariant === 'open-slots-missing')
      .map((f) => f.detail);

  it('are reported by the integrity check and listed again by the documented repair', async () => {
    const owner = await t.register('provider');
    const published = await t
      .http()
      .post('/v1/providers/me/availability')
      .set(owner.auth)
      .send({ windows: [{ start: iso(T0 + 48 * HOUR), end: iso(T0 + 49 * HOUR) }] });
    expect(published.status).toBe(201);
    const slots = published.body.slots as { id: string; start: string }[];
    const [cancelled, lapsed] = slots;
    const client = t.bearer(randomUUID(), 'customer');
    const reserve = (slotId: string) => t.http().post('/v1/appointments').set(client.auth).send({ slotId });

    // Cancelled on an old instance: the slot is free, and not put back.
    const appointment = (await reserve(cancelled.id)).body as { id: string };
    expect([200, 204]).toContain((await t.http().delete(`/v1/appointments/${appointment.id}`).set(client.auth)).status);
    await t.redis.zrem(keys.openSlots(), openSlotMember(Date.parse(cancelled.start), owner.id, cancelled.id));
    // Lapsed on an old instance (whose sweeper does not list it again): well over a minute ago.
    expect((await reserve(lapsed.id)).status).toBe(201);
    t.clock.advance(35 * MIN);

    const found = await missing(t);
    expect(found).toHaveLength(2);
    expect(found.join('\n')).toContain(cancelled.id);
    expect(found.join('\n')).toContain(lapsed.id);

    // The repair: the marker deleted once the last old instance stopped, then one instance restarted.
    await t.redis.del(keys.migrationDone(OPEN_SLOTS_MIGRATION));
    repaired = await TestApp.start({ redisKeyPrefix: t.config.redisKeyPrefix }, t.clock);
    await eventually(
      async () => expect(await repaired!.redis.exists(keys.migrationDone(OPEN_SLOTS_MIGRATION))).toBe(1),
      20_000,
    );
    const listed = await repaired
      .http()
      .get('/v1/slots')
      // Without providerId: the index is read (with it, the providers' schedules are).
      .query({ from: iso(T0 + 48 * HOUR), to: iso(T0 + 49 * HOUR), limit: 100 })
      .set(repaired.bearer().auth);
    expect(listed.status).toBe(200);
    expect(
      (listed.body.items as { id: string; providerId: string }[])
        .filter((s) => s.providerId === owner.id)
        .map((s) => s.id),
    ).toEqual(slots.map((s) => s.id));
    expect(await missing(repaired)).toEqual([]);
  }, 60_000);
});

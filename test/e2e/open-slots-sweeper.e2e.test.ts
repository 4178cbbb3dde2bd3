import { openSlotMember } from '../../src/appointments/appointments.codec.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { TestApp } from '../support/test-app.js';

const T0 = Date.parse('2031-03-01T00:00:00Z');
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Review of issue 18, item 2: the appointments' sweeper (lapsed reservations back in GET /v1/slots, started slots out
 * of the index) runs on its own interval, also where HOLD_SWEEP_INTERVAL_MS=0 switches the seat-hold sweeper off.
 */
describe('the open-slots index with HOLD_SWEEP_INTERVAL_MS=0', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start({
      holdSweepIntervalMs: 0,
      appointmentSweepIntervalMs: 20,
      accessTokenTtlSeconds: 86_400 * 30,
    });
    t.clock.set(T0);
  });
  afterAll(() => t.close());

  it('lists a lapsed reservation slot again and prunes started slots', async () => {
    const owner = await t.register('provider');
    const published = await t
      .http()
      .post('/v1/providers/me/availability')
      .set(owner.auth)
      .send({ windows: [{ start: iso(T0 + 48 * HOUR), end: iso(T0 + 48 * HOUR + 15 * 60_000) }] });
    expect(published.status).toBe(201);
    const [slot] = published.body.slots as { id: string; start: string }[];
    const member = openSlotMember(Date.parse(slot.start), owner.id, slot.id);
    const client = await t.register();
    expect((await t.http().post('/v1/appointments').set(client.auth).send({ slotId: slot.id })).status).toBe(201);
    expect(await t.redis.zscore(keys.openSlots(), member)).toBeNull();

    // The reservation lapses (APPOINTMENT_PENDING_SECONDS, 30 minutes by default): the sweeper lists the slot again.
    t.clock.advance(31 * 60_000);
    await eventually(async () => expect(await t.redis.zscore(keys.openSlots(), member)).not.toBeNull(), 10_000);

    // The slot starts: its entry leaves the index.
    t.clock.advance(48 * HOUR);
    await eventually(async () => expect(await t.redis.zscore(keys.openSlots(), member)).toBeNull(), 10_000);
  });
});

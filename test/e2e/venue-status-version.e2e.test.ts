import { Redis } from 'ioredis';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

/**
 * The status read fetches the seat states only when they changed since the kept map (the version: seq and the change
 * log's latest entry), and a seq that repeats with other states (Redis lost acknowledged writes) is not taken for the
 * same states.
 */
describe('seat status read by version (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  async function event(numberOfSeats: number): Promise<{ eventId: string; seatIds: string[] }> {
    const res = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Show', numberOfSeats });
    const seats = await t.http().get(`/v1/events/${res.body.id}/seats`);
    return { eventId: res.body.id, seatIds: seats.body.map((s: { id: string }) => s.id) };
  }
  const status = async (eventId: string) => {
    const res = await t.http().get(`/v1/events/${eventId}/seat-status`).expect(200);
    return res.body as { seq: number; status: string };
  };

  // MONITOR shows what the app sends; one redis-server only (a cluster run spreads it over nodes).
  const single = process.env.TEST_REDIS_CLUSTER ? it.skip : it;
  single('reads the stored states (HGETALL) only after a change', async () => {
    const { eventId, seatIds } = await event(50);
    const stateKey = `${t.config.redisKeyPrefix}${keys.seatState(eventId)}`;
    const marker = `${t.config.redisKeyPrefix}marker:${eventId}`;
    const monitor = await new Redis(t.redis.options).monitor();
    const seen: string[][] = [];
    monitor.on('monitor', (_time: string, args: string[]) => seen.push(args));
    /** The seat-state reads of the event while `work` ran (the marker shows that MONITOR has seen all of it). */
    const stateReads = async (work: () => Promise<unknown>) => {
      seen.length = 0;
      await work();
      await t.redis.get(marker.slice(t.config.redisKeyPrefix.length));
      await eventually(async () => expect(seen.some((args) => args.includes(marker))).toBe(true), 5000);
      return seen.filter((args) => args[0].toLowerCase() === 'hgetall' && args[1] === stateKey).length;
    };
    try {
      const buyer = t.bearer();
      await t.http().post(`/v1/events/${eventId}/seats/${seatIds[3]}/hold`).set(buyer.auth).expect(200);
      let after = { seq: 0, status: '' };
      expect(await stateReads(async () => (after = await status(eventId)))).toBe(1);
      expect(after.status[3]).toBe('h');
      expect(await stateReads(() => status(eventId))).toBe(0);
      expect(await stateReads(() => t.http().get(`/v1/events/${eventId}/seats`).expect(200))).toBe(0);
      expect(await stateReads(() => t.http().get(`/v1/events/${eventId}`).expect(200))).toBe(0);
      await t.http().delete(`/v1/events/${eventId}/seats/${seatIds[3]}/hold`).set(buyer.auth).expect(204);
      expect(await stateReads(async () => (after = await status(eventId)))).toBe(1);
      expect(after.status[3]).toBe('a');
      expect(await stateReads(() => status(eventId))).toBe(0);
    } finally {
      monitor.disconnect();
    }
  });

  it('shows the states after a lost change whose seq a later change reuses', async () => {
    const { eventId, seatIds } = await event(10);
    const alice = t.bearer();
    const bob = t.bearer();
    await t.http().post(`/v1/events/${eventId}/seats/${seatIds[0]}/hold`).set(alice.auth).expect(200);
    const before = await status(eventId);
    expect(before.status.slice(0, 2)).toBe('ha');
    // What a promoted replica that never got Alice's hold looks like: no state, seq and log one change back.
    await t.redis.hdel(keys.seatState(eventId), seatIds[0]);
    await t.redis.decr(keys.seatSeq(eventId));
    const log = keys.seatLog(eventId);
    const kept = (await t.redis.xrange(log, '-', '+')).filter(([id]) => id !== `${before.seq}-0`);
    await t.redis.del(log);
    for (const [id, fields] of kept) await t.redis.xadd(log, id, ...fields);
    await t.http().post(`/v1/events/${eventId}/seats/${seatIds[1]}/hold`).set(bob.auth).expect(200);
    const after = await status(eventId);
    expect(after.seq).toBe(before.seq);
    expect(after.status.slice(0, 2)).toBe('ah');
  });

  it('answers states and seq of one moment while holds race the reads: seq S shows exactly S seats held', async () => {
    const { eventId, seatIds } = await event(40);
    const holds = seatIds.map((seatId) =>
      t.http().post(`/v1/events/${eventId}/seats/${seatId}/hold`).set(t.bearer().auth).expect(200),
    );
    // Reads one after another for as long as the holds run, each against what it answered.
    const answers: { seq: number; status: string }[] = [];
    let holding = true;
    const reading = (async () => {
      while (holding) answers.push(await status(eventId));
    })();
    await Promise.all(holds);
    holding = false;
    await reading;
    for (const answer of answers) expect(answer.status.replace(/a/g, '').length).toBe(answer.seq);
    expect(answers.length).toBeGreaterThan(0);
    expect(await status(eventId)).toMatchObject({ seq: 40, status: 'h'.repeat(40) });
  });
});

import { randomUUID } from 'node:crypto';
import { openSlotMember } from '../../src/appointments/appointments.codec.js';
import { INTEGRITY_CHECKS } from '../../src/integrity-checks.js';
import { IntegrityChecker } from '../../src/ops/integrity-checker.js';
import { keys } from '../../src/redis/keys.js';
import { eventually } from '../support/eventually.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

interface Listed {
  id: string;
  providerId: string;
  start: string;
  end: string;
}

/** GET /v1/slots: open slots across providers by start, paged, with the lead-time rule (issue 18, item 2). */
describe('GET /v1/slots', () => {
  let t: TestApp;
  /** A customer, signed anew at each test's time (tokens are checked against the moved clock). */
  let client: { id: string; auth: Record<string, string> };
  /** Each test works in its own day, far enough apart that their slots never meet in one range. */
  let day = 0;
  let base = T0;

  beforeAll(async () => {
    // The expiry sweeper runs (every 20 ms of real time, against the test's clock): a lapsed reservation's slot is
    // listed again by it.
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400, appointmentSweepIntervalMs: 20 });
  });
  afterAll(() => t.close());
  beforeEach(() => {
    day += 40;
    base = T0 + day * 24 * HOUR;
    t.clock.set(base);
    client = t.bearer(randomUUID(), 'customer');
  });

  /** Opens slots of `hours` starting `offset` after the test's base time, for a fresh provider (or the given one). */
  async function publish(offset: number, hours = 1, who?: { id: string; auth: Record<string, string> }) {
    const owner = who ?? (await t.register('provider'));
    const res = await t
      .http()
      .post('/v1/providers/me/availability')
      .set(owner.auth)
      .send({ windows: [{ start: iso(base + offset), end: iso(base + offset + hours * HOUR) }] });
    expect(res.status).toBe(201);
    return { owner, slots: res.body.slots as Listed[] };
  }

  const find = (query: Record<string, string | number | string[]>, who: { auth: Record<string, string> } = client) =>
    t.http().get('/v1/slots').query(query).set(who.auth);
  /** The range of this test's day, after its base time. */
  const today = (extra: Record<string, string | number | string[]> = {}) => ({
    from: iso(base),
    to: iso(base + 30 * 24 * HOUR),
    ...extra,
  });

  async function all(query: Record<string, string | number | string[]>): Promise<{ items: Listed[]; pages: number }> {
    const items: Listed[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await find(cursor ? { ...query, cursor } : query);
      expect(res.status).toBe(200);
      items.push(...res.body.items);
      cursor = res.body.nextCursor;
      if (++pages > 200) throw new Error('no end to the pages');
    } while (cursor);
    return { items, pages };
  }

  const ids = (items: Listed[]) => items.map((s) => s.id);
  const reserve = (who: { auth: Record<string, string> }, slotId: string) =>
    t.http().post('/v1/appointments').set(who.auth).send({ slotId });

  it('is for signed-in callers (401 without a token), of any role', async () => {
    expectProblem(await t.http().get('/v1/slots'), 401, 'UNAUTHORIZED');
    for (const role of ['customer', 'provider', 'manager', 'admin'] as const) {
      expect((await find({}, await t.register(role))).status).toBe(200);
    }
  });

  it('lists open slots of every provider by start, at least the lead time ahead, within [from, to)', async () => {
    const a = await publish(25 * HOUR, 1);
    const b = await publish(25 * HOUR + 30 * MIN, 1);
    // Inside the lead time (24 h): never listed.
    const early = await publish(23 * HOUR, 1);
    const { items } = await all(today());
    expect(items.map((s) => s.start)).toEqual([...items.map((s) => s.start)].sort());
    expect(ids(items).sort()).toEqual([...ids(a.slots), ...ids(b.slots)].sort());
    expect(items.filter((s) => s.providerId === early.owner.id)).toEqual([]);
    expect(items[0]).toEqual({ ...a.slots[0] });
    // Exactly 24 h ahead is listed once the clock moves on; `to` is exclusive.
    t.clock.advance(HOUR);
    const window = await all({ from: iso(base + 24 * HOUR), to: iso(base + 25 * HOUR + 30 * MIN) });
    expect(ids(window.items)).toEqual(ids(a.slots).slice(0, 2));
  });

  it('filters by provider (repeatable, in any case); an unknown provider has no slots', async () => {
    const a = await publish(30 * HOUR);
    const b = await publish(30 * HOUR);
    const c = await publish(30 * HOUR);
    const one = await all(today({ providerId: a.owner.id }));
    expect(ids(one.items)).toEqual(ids(a.slots));
    const two = await all(today({ providerId: [c.owner.id.toUpperCase(), a.owner.id], limit: 3 }));
    expect(two.items.every((s) => [a.owner.id, c.owner.id].includes(s.providerId))).toBe(true);
    expect(ids(two.items).sort()).toEqual([...ids(a.slots), ...ids(c.slots)].sort());
    expect(two.items.map((s) => s.start)).toEqual([...two.items.map((s) => s.start)].sort());
    expect((await all(today({ providerId: randomUUID() }))).items).toEqual([]);
    expect(ids((await all(today())).items)).toEqual(expect.arrayContaining(ids(b.slots)));
  });

  it('pages with an opaque cursor: every slot once, in one order, whatever the page size', async () => {
    await Promise.all([publish(26 * HOUR, 2), publish(26 * HOUR, 1), publish(27 * HOUR, 2)]);
    const whole = await all(today({ limit: 100 }));
    expect(whole.items).toHaveLength(20);
    expect(whole.pages).toBe(1);
    const key = (s: Listed) => `${s.start} ${s.providerId} ${s.id}`;
    expect(whole.items.map(key)).toEqual([...whole.items.map(key)].sort());
    for (const limit of [1, 3, 7]) {
      const paged = await all(today({ limit }));
      expect({ limit, items: paged.items }).toEqual({ limit, items: whole.items });
      expect(paged.pages).toBe(Math.ceil(20 / limit));
    }
  });

  it('refuses a cursor of other providers, or a forged one, with 400', async () => {
    const a = await publish(30 * HOUR);
    const first = await find(today({ limit: 1 }));
    const cursor = first.body.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    expectProblem(await find(today({ limit: 1, cursor, providerId: a.owner.id })), 400, 'VALIDATION_FAILED');
    expectProblem(await find(today({ limit: 1, cursor: `${cursor}x` })), 400, 'VALIDATION_FAILED');
    expect((await find(today({ limit: 1, cursor }))).status).toBe(200);
  });

  it('refuses bad input with 400 problem+json and stores nothing', async () => {
    // The sweeper prunes started slots from the index meanwhile, by itself: that key is not the requests' doing.
    const stored = async () => (await t.storedKeys()).filter((k) => k !== keys.openSlots());
    const before = await stored();
    const bad: Record<string, string | number | string[]>[] = [
      { from: 'tomorrow' },
      { from: '2030-01-01T10:00:00' },
      { from: iso(base + 2 * HOUR), to: iso(base + HOUR) },
      { from: iso(base), to: iso(base + 32 * 24 * HOUR) },
      { providerId: 'not-a-uuid' },
      { providerId: Array.from({ length: 21 }, () => randomUUID()) },
      { limit: 0 },
      { limit: 101 },
      { cursor: 'nope' },
      { status: 'open' },
    ];
    for (const query of bad) {
      const res = await find(query);
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    }
    expect(await stored()).toEqual(before);
  });

  it('follows the slots: reserved, confirmed and removed ones leave, cancelled and lapsed ones come back', async () => {
    const { owner, slots } = await publish(30 * HOUR);
    const listed = async () => ids((await all(today({ providerId: owner.id }))).items);
    const globally = async () => ids((await all(today())).items).filter((id) => slots.some((s) => s.id === id));
    const [s0, s1, s2, s3] = slots.map((s) => s.id);

    expect((await reserve(client, s0)).status).toBe(201);
    const confirmed = (await reserve(client, s1)).body;
    expect((await t.http().post(`/v1/appointments/${confirmed.id}/confirm`).set(client.auth)).status).toBe(200);
    const cancelled = (await reserve(client, s2)).body;
    expect([200, 204]).toContain((await t.http().delete(`/v1/appointments/${cancelled.id}`).set(client.auth)).status);
    expect((await t.http().delete(`/v1/providers/me/slots/${s3}`).set(owner.auth)).status).toBe(204);
    expect(await globally()).toEqual([s2]);
    expect(await listed()).toEqual([s2]);
    expect(await t.redis.zscore(keys.openSlots(), openSlotMember(Date.parse(slots[0].start), owner.id, s0))).toBeNull();

    // The pending reservation lapses: the sweeper announces it and lists the slot again.
    t.clock.advance(31 * MIN);
    await eventually(async () => expect(await globally()).toEqual([s0, s2]), 5000);
    const report = await new IntegrityChecker(t.redis, INTEGRITY_CHECKS, { now: () => t.clock.now() }).run();
    expect(report.findings.filter((f) => f.invariant.startsWith('open-slots'))).toEqual([]);
  });

  it('never answers a stale entry, and a slot listed but taken is not bookable twice', async () => {
    const { owner, slots } = await publish(30 * HOUR);
    const [slot] = slots;
    const winner = (await reserve(client, slot.id)).body;
    expect(winner.status).toBe('pending');
    // An entry that says otherwise: a lost index removal (or a read racing the reservation).
    await t.redis.zadd(keys.openSlots(), 0, openSlotMember(Date.parse(slot.start), owner.id, slot.id));
    await t.redis.zadd(keys.openSlots(), 0, openSlotMember(Date.parse(slot.start), owner.id, randomUUID()));
    const { items } = await all(today({ limit: 1 }));
    expect(items.map((s) => s.id)).toEqual(ids(slots).slice(1));
    expectProblem(await reserve(await t.register(), slot.id), 409, 'SLOT_UNAVAILABLE');
  });

  it('of many clients racing for the first listed slot exactly one gets it, and it leaves the list', async () => {
    const { slots } = await publish(30 * HOUR, 1);
    const [first] = (await find(today({ limit: 1 }))).body.items as Listed[];
    expect(first.id).toBe(slots[0].id);
    const clients = Array.from({ length: 30 }, () => t.bearer());
    const answers = await Promise.all(clients.map((c) => reserve(c, first.id)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) expectProblem(a, 409, 'SLOT_UNAVAILABLE');
    expect(ids((await all(today())).items)).toEqual(ids(slots).slice(1));
  });
});

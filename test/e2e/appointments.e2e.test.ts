import { randomUUID } from 'node:crypto';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const T0 = Date.parse('2030-01-01T00:00:00Z');
const HOUR = 3_600_000;
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

describe('appointments (HTTP)', () => {
  let t: TestApp;
  let provider: Account;
  let alice: Account;
  let bob: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 30 * 86_400 });
    t.clock.set(T0);
    [provider, alice, bob] = await Promise.all([t.register('provider', 'Dr. Henry'), t.register(), t.register()]);
  });
  afterAll(() => t.close());
  beforeEach(() => t.clock.set(T0));

  /** Opens `hours` of slots starting `startOffset` after T0 for a fresh provider (or the given one). */
  async function publish(startOffset: number, hours = 2, who?: Account) {
    const owner = who ?? (await t.register('provider'));
    const res = await t
      .http()
      .post('/v1/providers/me/availability')
      .set(owner.auth)
      .send({ windows: [{ start: iso(T0 + startOffset), end: iso(T0 + startOffset + hours * HOUR) }] });
    expect(res.status).toBe(201);
    return { owner, slots: res.body.slots as { id: string; start: string }[] };
  }
  const reserve = (who: Account, slotId: string) => t.http().post('/v1/appointments').set(who.auth).send({ slotId });
  const confirm = (who: Account, id: string) => t.http().post(`/v1/appointments/${id}/confirm`).set(who.auth);
  const openSlots = async (providerId: string) =>
    (await t.http().get(`/v1/providers/${providerId}/slots`).set(alice.auth)).body as { id: string }[];

  it('publish, list, reserve, confirm: the whole flow, and another client cannot take the slot', async () => {
    const { owner, slots } = await publish(48 * HOUR);
    expect(slots).toHaveLength(8);
    expect(slots[0]).toEqual({
      id: expect.any(String),
      providerId: owner.id,
      start: iso(T0 + 48 * HOUR),
      end: iso(T0 + 48 * HOUR + 15 * MIN),
    });
    expect((await openSlots(owner.id)).map((s) => s.id)).toEqual(slots.map((s) => s.id));

    const reserved = await reserve(alice, slots[0].id);
    expect(reserved.status).toBe(201);
    expect(reserved.body).toMatchObject({
      slotId: slots[0].id,
      providerId: owner.id,
      clientId: alice.id,
      start: slots[0].start,
      status: 'pending',
      expiresAt: iso(T0 + 30 * MIN),
    });
    expectProblem(await reserve(bob, slots[0].id), 409, 'SLOT_UNAVAILABLE');
    expect((await openSlots(owner.id)).map((s) => s.id)).not.toContain(slots[0].id);
    // Reserving again as the same client returns the same reservation.
    const again = await reserve(alice, slots[0].id);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(reserved.body.id);

    const confirmed = await confirm(alice, reserved.body.id);
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({ status: 'confirmed', confirmedAt: iso(T0) });
    expect((await confirm(alice, reserved.body.id)).status).toBe(200);
    t.clock.advance(HOUR);
    expect((await openSlots(owner.id)).map((s) => s.id)).not.toContain(slots[0].id);
    expectProblem(await reserve(bob, slots[0].id), 409, 'SLOT_UNAVAILABLE');
  });

  describe('time edges', () => {
    it('allows a slot exactly 24 h away and refuses one 24 h minus 1 s away', async () => {
      const { slots } = await publish(24 * HOUR, 1);
      t.clock.advance(1000);
      expectProblem(await reserve(alice, slots[0].id), 422, 'LEAD_TIME_TOO_SHORT');
      t.clock.set(T0);
      expect((await reserve(alice, slots[0].id)).status).toBe(201);
    });

    it('lists only slots at least 24 h away', async () => {
      const { owner, slots } = await publish(23 * HOUR, 2);
      const listed = (await openSlots(owner.id)).map((s) => s.id);
      expect(listed).toEqual(slots.slice(4).map((s) => s.id));
    });

    it('confirms at 29:59 even across the 24 h mark, and refuses at 30:01 as expired', async () => {
      const { slots } = await publish(24 * HOUR, 1);
      const first = await reserve(alice, slots[0].id);
      t.clock.advance(29 * MIN + 59_000);
      const ok = await confirm(alice, first.body.id);
      expect(ok.status).toBe(200);
      expect(ok.body.status).toBe('confirmed');

      t.clock.set(T0);
      const second = await reserve(alice, slots[1].id);
      t.clock.advance(30 * MIN + 1000);
      expect((await t.http().get(`/v1/appointments/${second.body.id}`).set(alice.auth)).body.status).toBe('expired');
      expectProblem(await confirm(alice, second.body.id), 409, 'RESERVATION_EXPIRED');
    });

    it('gives an unconfirmed slot back after 30 minutes with no job running', async () => {
      const { owner, slots } = await publish(72 * HOUR, 1);
      await reserve(alice, slots[0].id).expect(201);
      t.clock.advance(30 * MIN - 1000);
      expectProblem(await reserve(bob, slots[0].id), 409, 'SLOT_UNAVAILABLE');
      t.clock.advance(1000);
      expect((await openSlots(owner.id)).map((s) => s.id)).toContain(slots[0].id);
      const taken = await reserve(bob, slots[0].id);
      expect(taken.status).toBe(201);
      expect(taken.body.clientId).toBe(bob.id);
    });
  });

  it('lets exactly one of 50 concurrent clients reserve a slot', async () => {
    const { slots } = await publish(48 * HOUR, 1);
    const clients = Array.from({ length: 50 }, () => t.bearer(randomUUID(), 'customer'));
    const results = await Promise.all(
      clients.map((c) => t.http().post('/v1/appointments').set(c.auth).send({ slotId: slots[0].id })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409 && r.body.code === 'SLOT_UNAVAILABLE')).toHaveLength(49);
  });

  it('caps unconfirmed reservations per client and provider', async () => {
    const { slots } = await publish(48 * HOUR, 2);
    const carol = await t.register();
    for (const slot of slots.slice(0, 3)) await reserve(carol, slot.id).expect(201);
    expectProblem(await reserve(carol, slots[3].id), 409, 'PENDING_LIMIT_REACHED');
  });

  describe('cancel', () => {
    it('lets the client or the provider cancel; the slot opens again; strangers get 404', async () => {
      const { owner, slots } = await publish(48 * HOUR, 1);
      const a = await reserve(alice, slots[0].id);
      expectProblem(await t.http().delete(`/v1/appointments/${a.body.id}`).set(bob.auth), 404, 'NOT_FOUND');
      const cancelled = await t.http().delete(`/v1/appointments/${a.body.id}`).set(alice.auth);
      expect(cancelled.status).toBe(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: iso(T0) });
      expect((await t.http().delete(`/v1/appointments/${a.body.id}`).set(alice.auth)).body.status).toBe('cancelled');
      expectProblem(await confirm(alice, a.body.id), 409, 'APPOINTMENT_CANCELLED');

      const b = await reserve(bob, slots[0].id);
      await confirm(bob, b.body.id).expect(200);
      const byProvider = await t.http().delete(`/v1/appointments/${b.body.id}`).set(owner.auth);
      expect(byProvider.body.status).toBe('cancelled');
      expect((await openSlots(owner.id)).map((s) => s.id)).toContain(slots[0].id);
    });
  });

  describe('reading', () => {
    it('shows clients their own and providers their schedule; 404 for anyone else', async () => {
      const { owner, slots } = await publish(48 * HOUR, 1);
      const dave = await t.register();
      const a = await reserve(dave, slots[0].id);
      const b = await reserve(dave, slots[1].id);
      await confirm(dave, b.body.id).expect(200);

      const mine = await t.http().get('/v1/appointments').set(dave.auth);
      expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id, b.body.id]);
      const confirmedOnly = await t.http().get('/v1/appointments?status=confirmed').set(dave.auth);
      expect(confirmedOnly.body.items.map((x: { id: string }) => x.id)).toEqual([b.body.id]);
      const schedule = await t.http().get('/v1/appointments').set(owner.auth);
      expect(schedule.body.items.map((x: { id: string }) => x.id)).toEqual([a.body.id, b.body.id]);
      const page = await t.http().get('/v1/appointments?limit=1').set(dave.auth);
      const next = await t.http().get(`/v1/appointments?limit=1&cursor=${page.body.nextCursor}`).set(dave.auth);
      expect(next.body.items.map((x: { id: string }) => x.id)).toEqual([b.body.id]);

      expect((await t.http().get(`/v1/appointments/${a.body.id}`).set(owner.auth)).status).toBe(200);
      expectProblem(await t.http().get(`/v1/appointments/${a.body.id}`).set(alice.auth), 404, 'NOT_FOUND');
      expectProblem(await t.http().get(`/v1/appointments/${a.body.id}`).set(provider.auth), 404, 'NOT_FOUND');
    });

    it('lists providers with id and name', async () => {
      const res = await t.http().get('/v1/providers?limit=100').set(alice.auth);
      expect(res.status).toBe(200);
      expect(res.body.items).toContainEqual({ id: provider.id, name: 'Dr. Henry' });
      expect(res.body.items.every((p: object) => Object.keys(p).sort().join() === 'id,name')).toBe(true);
      expectProblem(await t.http().get('/v1/providers'), 401, 'UNAUTHORIZED');
    });
  });

  describe('slots', () => {
    it('does not duplicate slots when windows overlap or repeat', async () => {
      const { owner, slots } = await publish(48 * HOUR, 2);
      const res = await t
        .http()
        .post('/v1/providers/me/availability')
        .set(owner.auth)
        .send({
          windows: [
            { start: iso(T0 + 49 * HOUR), end: iso(T0 + 51 * HOUR) },
            { start: iso(T0 + 50 * HOUR), end: iso(T0 + 50 * HOUR + 30 * MIN) },
          ],
        });
      expect(res.status).toBe(201);
      expect(res.body.created).toBe(4);
      expect(res.body.slots).toHaveLength(8);
      expect(res.body.slots.slice(0, 4).map((s: { id: string }) => s.id)).toEqual(slots.slice(4).map((s) => s.id));
      expect(await openSlots(owner.id)).toHaveLength(12);
    });

    it('removes an open slot, refuses one with a live reservation, 404 for someone else’s', async () => {
      const { owner, slots } = await publish(48 * HOUR, 1);
      await reserve(alice, slots[1].id).expect(201);
      expect((await t.http().delete(`/v1/providers/me/slots/${slots[0].id}`).set(owner.auth)).status).toBe(204);
      expectProblem(
        await t.http().delete(`/v1/providers/me/slots/${slots[1].id}`).set(owner.auth),
        409,
        'SLOT_RESERVED',
      );
      expectProblem(
        await t.http().delete(`/v1/providers/me/slots/${slots[2].id}`).set(provider.auth),
        404,
        'NOT_FOUND',
      );
      expectProblem(await reserve(bob, slots[0].id), 404, 'NOT_FOUND');
      t.clock.advance(31 * MIN); // the pending reservation lapsed: the slot can go
      expect((await t.http().delete(`/v1/providers/me/slots/${slots[1].id}`).set(owner.auth)).status).toBe(204);
    });

    it('refuses a range over 31 days, an unknown provider, malformed ids', async () => {
      const res = await t
        .http()
        .get(`/v1/providers/${provider.id}/slots?from=${iso(T0)}&to=${iso(T0 + 32 * 24 * HOUR)}`)
        .set(alice.auth);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe('to');
      expectProblem(await t.http().get(`/v1/providers/${randomUUID()}/slots`).set(alice.auth), 404, 'NOT_FOUND');
      expectProblem(await t.http().get(`/v1/providers/${alice.id}/slots`).set(alice.auth), 404, 'NOT_FOUND');
      expectProblem(await t.http().get('/v1/providers/nope/slots').set(alice.auth), 400, 'VALIDATION_FAILED');
    });
  });

  describe('bad input changes nothing', () => {
    const window = (start: number, end: number) => ({ start: iso(T0 + start), end: iso(T0 + end) });
    it.each([
      ['end before start', { windows: [window(50 * HOUR, 49 * HOUR)] }, 'windows.0.end'],
      ['end equal to start', { windows: [window(50 * HOUR, 50 * HOUR)] }, 'windows.0.end'],
      ['start off the 15-minute grid', { windows: [window(50 * HOUR + 7 * MIN, 51 * HOUR)] }, 'windows.0.start'],
      ['end off the grid', { windows: [window(50 * HOUR, 51 * HOUR + 1000)] }, 'windows.0.end'],
      ['a window in the past', { windows: [window(-2 * HOUR, -HOUR)] }, 'windows.0.start'],
      ['a window over 12 hours', { windows: [window(50 * HOUR, 63 * HOUR)] }, 'windows.0.end'],
      [
        '101 windows',
        { windows: Array.from({ length: 101 }, (_, i) => window((50 + i) * HOUR, (50 + i) * HOUR + HOUR)) },
        'windows',
      ],
      ['no windows', { windows: [] }, 'windows'],
      [
        'a start without offset',
        { windows: [{ start: '2030-01-03T10:00:00', end: iso(T0 + 60 * HOUR) }] },
        'windows.0.start',
      ],
      ['an unknown field', { windows: [window(50 * HOUR, 51 * HOUR)], timezone: 'UTC' }, 'timezone'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const before = await t.storedKeys();
      const res = await t.http().post('/v1/providers/me/availability').set(provider.auth).send(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await t.storedKeys()).toEqual(before);
    });

    it('refuses customers publishing (403), providers reserving (403), unknown and malformed slot ids', async () => {
      const body = { windows: [window(50 * HOUR, 51 * HOUR)] };
      expectProblem(await t.http().post('/v1/providers/me/availability').set(alice.auth).send(body), 403, 'FORBIDDEN');
      const { slots } = await publish(48 * HOUR, 1);
      expectProblem(await reserve(provider, slots[0].id), 403, 'FORBIDDEN');
      expectProblem(await reserve(alice, randomUUID()), 404, 'NOT_FOUND');
      expectProblem(await reserve(alice, 'slot-1'), 400, 'VALIDATION_FAILED');
      expectProblem(await confirm(alice, 'x'), 400, 'VALIDATION_FAILED');
    });
  });
});

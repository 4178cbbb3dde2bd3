import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import type { Account } from '../support/test-app.js';
import { TestApp } from '../support/test-app.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const DATE = '2026-06-12';
const HOURS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
  day,
  opens: '18:00',
  closes: '23:00',
}));
/** The day's timeslots (30 min apart, 18:00 to 21:30 local, BST). */
const SLOTS = Array.from({ length: 8 }, (_, i) => Date.parse(`${DATE}T17:00:00Z`) + i * 1_800_000);
const SITTING = 90 * 60_000;

interface Live {
  id: string;
  tableId: string;
  start: number;
  owner: number;
}

/** No table has two live reservations whose [start, start + sitting) overlap. */
function overlaps(reservations: { tableId: string; start: number }[]): boolean {
  return reservations.some((a, i) =>
    reservations.some(
      (b, j) => i < j && a.tableId === b.tableId && a.start < b.start + SITTING && b.start < a.start + SITTING,
    ),
  );
}

describe('restaurant invariant: never two bookings on one table at one time', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    t.clock.set(NOW);
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  async function restaurant(tables: number[]) {
    const res = await t
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({ name: 'R', timezone: 'Europe/London', openingHours: HOURS });
    const tableIds: string[] = [];
    for (const [i, seats] of tables.entries()) {
      tableIds.push(
        (
          await t
            .http()
            .post(`/v1/restaurants/${res.body.id}/tables`)
            .set(manager.auth)
            .send({ name: `T${i}`, seats })
        ).body.id,
      );
    }
    return { id: res.body.id as string, tableIds };
  }

  async function liveOnServer(restaurantId: string) {
    const res = await t.http().get(`/v1/restaurants/${restaurantId}/reservations?date=${DATE}`).set(manager.auth);
    return (res.body as { id: string; tableId: string; start: string; status: string }[])
      .filter((r) => r.status === 'booked')
      .map((r) => ({ id: r.id, tableId: r.tableId, start: Date.parse(r.start) }));
  }

  it('50 customers racing for the last table at 20:00: exactly one wins', async () => {
    const r = await restaurant([4]);
    const users = Array.from({ length: 50 }, () => t.bearer(randomUUID(), 'customer'));
    const results = await Promise.all(
      users.map((u) =>
        t
          .http()
          .post(`/v1/restaurants/${r.id}/reservations`)
          .set(u.auth)
          .send({ start: `${DATE}T20:00:00+01:00`, partySize: 2 }),
      ),
    );
    expect(results.filter((x) => x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409 && x.body.code === 'NO_TABLE_AVAILABLE')).toHaveLength(49);
    expect(await liveOnServer(r.id)).toHaveLength(1);
  });

  it('moves and new bookings racing for one table: one wins, every loser keeps what it had', async () => {
    const r = await restaurant([2, 2, 2, 2]);
    const [target, ...others] = r.tableIds;
    const movers: { who: { auth: { Authorization: string } }; id: string }[] = [];
    for (const [i, tableId] of others.entries()) {
      const who = t.bearer(randomUUID(), 'customer');
      const res = await t
        .http()
        .post(`/v1/restaurants/${r.id}/reservations`)
        .set(who.auth)
        .send({ start: new Date(SLOTS[i * 3]).toISOString(), partySize: 2, tableId });
      expect(res.status).toBe(201);
      movers.push({ who, id: res.body.id });
    }
    const before = await liveOnServer(r.id);
    const start = `${DATE}T20:00:00+01:00`;
    const attempts = [
      ...movers.map((m) =>
        t.http().patch(`/v1/restaurants/${r.id}/reservations/${m.id}`).set(m.who.auth).send({ start, tableId: target }),
      ),
      ...Array.from({ length: 20 }, () =>
        t
          .http()
          .post(`/v1/restaurants/${r.id}/reservations`)
          .set(t.bearer().auth)
          .send({ start, partySize: 2, tableId: target }),
      ),
    ];
    const results = await Promise.all(attempts);
    expect(results.filter((x) => x.status === 200 || x.status === 201)).toHaveLength(1);
    expect(results.filter((x) => x.status === 409 && x.body.code === 'TABLE_UNAVAILABLE')).toHaveLength(
      results.length - 1,
    );

    const after = await liveOnServer(r.id);
    expect(overlaps(after)).toBe(false);
    const movedWinner = results.slice(0, movers.length).findIndex((x) => x.status === 200);
    for (const [i, m] of movers.entries()) {
      if (i === movedWinner) continue;
      expect(after.find((x) => x.id === m.id)).toEqual(before.find((x) => x.id === m.id));
    }
  });

  it('two concurrent partial moves of one reservation both take effect (no lost update)', async () => {
    const r = await restaurant([2, 6]);
    const customer = t.bearer(randomUUID(), 'customer');
    const booked = await t
      .http()
      .post(`/v1/restaurants/${r.id}/reservations`)
      .set(customer.auth)
      .send({ start: new Date(SLOTS[0]).toISOString(), partySize: 2 });
    const url = `/v1/restaurants/${r.id}/reservations/${booked.body.id}`;
    const [bigger, later] = await Promise.all([
      t.http().patch(url).set(customer.auth).send({ partySize: 6 }),
      t
        .http()
        .patch(url)
        .set(manager.auth)
        .send({ start: new Date(SLOTS[2]).toISOString() }),
    ]);
    expect([bigger.status, later.status]).toEqual([200, 200]);
    const [stored] = (await t.http().get(`/v1/restaurants/${r.id}/reservations?date=${DATE}`).set(manager.auth)).body;
    expect(stored).toMatchObject({ partySize: 6, start: new Date(SLOTS[2]).toISOString(), tableId: r.tableIds[1] });
  });

  it('random book / move / cancel sequences agree with a simple model after every step', async () => {
    const users = [
      t.bearer(randomUUID(), 'customer'),
      t.bearer(randomUUID(), 'customer'),
      t.bearer(randomUUID(), 'customer'),
    ];
    const command = fc.oneof(
      fc.record({ kind: fc.constant('book' as const), user: fc.nat(2), slot: fc.nat(7), table: fc.option(fc.nat(2)) }),
      fc.record({ kind: fc.constant('move' as const), pick: fc.nat(20), slot: fc.nat(7), table: fc.option(fc.nat(2)) }),
      fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(20) }),
    );

    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 12 }), async (commands) => {
        const r = await restaurant([2, 2, 4]);
        const model: Live[] = [];
        const freeIn = (live: Live[], tableId: string, start: number, except?: string) =>
          !live.some(
            (x) => x.id !== except && x.tableId === tableId && x.start < start + SITTING && start < x.start + SITTING,
          );

        for (const c of commands) {
          if (c.kind === 'book') {
            const start = SLOTS[c.slot];
            const tableId = c.table === null ? undefined : r.tableIds[c.table];
            const res = await t
              .http()
              .post(`/v1/restaurants/${r.id}/reservations`)
              .set(users[c.user].auth)
              .send({ start: new Date(start).toISOString(), partySize: 2, ...(tableId && { tableId }) });
            // All on one day: each customer has at most RESTAURANT_MAX_RESERVATIONS_PER_DAY live ones.
            const underCap = model.filter((x) => x.owner === c.user).length < t.config.restaurantMaxReservationsPerDay;
            const expected =
              underCap && (tableId ? freeIn(model, tableId, start) : r.tableIds.some((id) => freeIn(model, id, start)));
            expect(res.status).toBe(expected ? 201 : 409);
            if (res.status === 201) {
              // Without a table, the smallest free one: the model agrees on which.
              if (!tableId) expect(res.body.tableId).toBe(r.tableIds.find((id) => freeIn(model, id, start)));
              model.push({ id: res.body.id, tableId: res.body.tableId, start, owner: c.user });
            }
          } else if (model.length > 0) {
            const target = model[c.pick % model.length];
            const url = `/v1/restaurants/${r.id}/reservations/${target.id}`;
            if (c.kind === 'cancel') {
              expect((await t.http().delete(url).set(users[target.owner].auth)).status).toBe(200);
              model.splice(model.indexOf(target), 1);
            } else {
              const start = SLOTS[c.slot];
              const tableId = c.table === null ? undefined : r.tableIds[c.table];
              const res = await t
                .http()
                .patch(url)
                .set(users[target.owner].auth)
                .send({ start: new Date(start).toISOString(), ...(tableId && { tableId }) });
              const candidates = tableId ? [tableId] : r.tableIds;
              const expected = candidates.some((id) => freeIn(model, id, start, target.id));
              expect(res.status).toBe(expected ? 200 : 409);
              if (res.status === 200) Object.assign(target, { tableId: res.body.tableId, start });
            }
          }
          const server = await liveOnServer(r.id);
          expect(overlaps(server)).toBe(false);
          const key = (x: { id: string; tableId: string; start: number }) => `${x.id}/${x.tableId}/${x.start}`;
          expect(server.map(key).sort()).toEqual(model.map(key).sort());
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);
});

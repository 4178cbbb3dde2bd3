import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { AuthService } from '../../src/auth/auth.service.js';
import { createEvent } from '../support/events.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

const PASSWORD = 'correct horse battery';
const nfc = (s: string) => s.normalize('NFC');
const nfd = (s: string) => s.normalize('NFD');
/** "ada" in fullwidth letters (U+FF41...), which NFKC maps to ASCII. */
const fullwidth = (s: string) => s.replace(/[a-z]/g, (c) => String.fromCodePoint(c.codePointAt(0)! - 0x61 + 0xff41));

/** Role changes through the API of the describe's own app (each has its keyspace: the admin index is global to it). */
function roleChanges(app: () => TestApp) {
  return {
    setRole: (by: Account, target: Account, role: string) =>
      app().http().patch(`/v1/users/${target.id}`).set(by.auth).send({ role }),
    /** Which of `accounts` are admins now, as `reader` sees them. */
    admins: async (reader: Account, accounts: Account[]) => {
      const roles = await Promise.all(accounts.map((a) => app().http().get(`/v1/users/${a.id}`).set(reader.auth)));
      return accounts.filter((_, i) => roles[i].body.role === 'admin');
    },
  };
}

describe('hardening: one account per email, however it is spelled', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const register = (email: string, name = 'X') =>
    t.http().post('/v1/auth/register').send({ email, password: PASSWORD, name });
  const login = (email: string) => t.http().post('/v1/auth/login').send({ email, password: PASSWORD });

  it('treats precomposed and decomposed accents as one email, in either order', async () => {
    const local = `josé-${randomUUID().slice(0, 8)}`;
    const composed = nfc(`${local}@example.com`);
    const decomposed = nfd(composed);
    expect(composed).not.toBe(decomposed);

    const first = await register(decomposed);
    expect(first.status).toBe(201);
    expect(first.body.user.email).toBe(composed);
    expectProblem(await register(composed), 409, 'EMAIL_TAKEN');
    expectProblem(await register(decomposed.toUpperCase()), 409, 'EMAIL_TAKEN');
    for (const form of [composed, decomposed, composed.toUpperCase()]) {
      const res = await login(form);
      expect({ form, status: res.status, id: res.body.user?.id }).toEqual({
        form,
        status: 200,
        id: first.body.user.id,
      });
    }
  });

  it('treats fullwidth letters as their ASCII twins', async () => {
    const local = `ada${randomUUID().slice(0, 8).replace(/\d/g, '')}`;
    const ascii = `${local}@example.com`;
    const first = await register(ascii);
    expect(first.status).toBe(201);
    expectProblem(await register(`${fullwidth(local)}@example.com`), 409, 'EMAIL_TAKEN');
    expectProblem(await register(`${fullwidth(local).toUpperCase()}@example.com`), 409, 'EMAIL_TAKEN');
    const res = await login(`${fullwidth(local)}@example.com`);
    expect(res.status).toBe(200);
    expect(res.body.user.id).toBe(first.body.user.id);
  });

  it('refuses emails with zero-width or bidirectional-override characters, or lone surrogates', async () => {
    const before = await t.storedKeys();
    for (const bad of [
      'ad\u200ba@example.com',
      'ada\u202e@example.com',
      'ada\ud800@example.com',
      '\ufeffada@example.com',
    ]) {
      const res = await register(bad);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field: 'email', message: expect.any(String) }]);
    }
    expect(await t.storedKeys()).toEqual(before);
  });

  // Accounts stored under a former spelling: hardening-identities-migration.e2e.test.ts (moved once, at start).

  it('bootstraps the configured admin into the existing account, whatever the spelling of ADMIN_EMAIL', async () => {
    const composed = nfc(`zoë-${randomUUID().slice(0, 8)}@example.com`);
    const registered = await register(nfd(composed));
    expect(registered.status).toBe(201);
    const admin = await t.app.get(AuthService).ensureAdmin(composed.toUpperCase(), 'another long password');
    expect(admin.id).toBe(registered.body.user.id);
    const res = await login(composed);
    expect(res.body.user).toMatchObject({ id: admin.id, role: 'admin' });
  });
});

describe('hardening: names and titles carry no invisible or reordering characters', () => {
  let t: TestApp;
  let manager: Account;
  let alice: Account;
  let restaurantId: string;
  let tableId: string;
  const day = 86_400_000;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    t.clock.set(Date.parse('2026-03-01T12:00:00Z'));
    [manager, alice] = await Promise.all([t.register('manager'), t.register()]);
    const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => ({
      day: d,
      opens: '18:00',
      closes: '23:00',
    }));
    const restaurant = await t
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({ name: 'Chez Monaco', timezone: 'Europe/London', openingHours: everyDay });
    restaurantId = restaurant.body.id;
    const table = await t
      .http()
      .post(`/v1/restaurants/${restaurantId}/tables`)
      .set(manager.auth)
      .send({ name: 'T', seats: 4 });
    tableId = table.body.id;
  });
  afterAll(() => t.close());

  const at = (offsetMs: number) => new Date(t.clock.now() + offsetMs).toISOString();
  const BAD: [string, string][] = [
    ['right-to-left override', 'Invoice\u202Etxt.exe'],
    ['left-to-right embedding', 'a\u202Ab'],
    ['first strong isolate', 'a\u2068b'],
    ['pop directional isolate', 'a\u2069b'],
    ['zero-width space', 'Ada\u200BLovelace'],
    ['zero-width joiner before a space', 'Ada\u200D Lovelace'],
    ['word joiner', 'Ada\u2060Lovelace'],
    ['byte order mark', '\uFEFFAda'],
    ['lone high surrogate', 'Ada\uD800'],
    ['lone low surrogate', '\uDC00Ada'],
  ];
  const FIELDS: [string, string, (text: string) => Promise<Response>][] = [
    [
      'user name',
      'name',
      (text) =>
        t
          .http()
          .post('/v1/auth/register')
          .send({ email: `${randomUUID()}@example.com`, password: PASSWORD, name: text }),
    ],
    [
      'event name',
      'name',
      (text) => t.http().post('/v1/events').set(manager.auth).send({ name: text, numberOfSeats: 10 }),
    ],
    [
      'booking title',
      'title',
      (text) =>
        t
          .http()
          .post('/v1/bookings')
          .set(alice.auth)
          .send({ type: 'apartment', title: text, startTime: at(10 * day), endTime: at(11 * day) }),
    ],
    [
      'booking location',
      'location',
      (text) =>
        t
          .http()
          .post('/v1/bookings')
          .set(alice.auth)
          .send({ type: 'apartment', title: 'Flat', location: text, startTime: at(10 * day), endTime: at(11 * day) }),
    ],
    [
      'booking notes',
      'notes',
      (text) =>
        t
          .http()
          .post('/v1/bookings')
          .set(alice.auth)
          .send({ type: 'apartment', title: 'Flat', notes: text, startTime: at(10 * day), endTime: at(11 * day) }),
    ],
    [
      'restaurant name',
      'name',
      (text) =>
        t
          .http()
          .post('/v1/restaurants')
          .set(manager.auth)
          .send({ name: text, timezone: 'Europe/London', openingHours: [] }),
    ],
    [
      'table name',
      'name',
      (text) =>
        t.http().post(`/v1/restaurants/${restaurantId}/tables`).set(manager.auth).send({ name: text, seats: 2 }),
    ],
    [
      'reservation guest name',
      'guestName',
      (text) =>
        t
          .http()
          .post(`/v1/restaurants/${restaurantId}/reservations`)
          .set(alice.auth)
          .send({ start: '2026-03-10T18:00:00Z', partySize: 2, tableId, guestName: text }),
    ],
    [
      'reservation notes',
      'notes',
      (text) =>
        t
          .http()
          .post(`/v1/restaurants/${restaurantId}/reservations`)
          .set(alice.auth)
          .send({ start: '2026-03-10T18:00:00Z', partySize: 2, tableId, notes: text }),
    ],
  ];

  it.each(FIELDS)('refuses them in the %s (400 naming the field, nothing stored)', async (_, field, send) => {
    const before = await t.storedKeys();
    for (const [what, text] of BAD) {
      const res = await send(text);
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([{ field, message: expect.stringContaining('bidirectional') }]);
    }
    expect(await t.storedKeys()).toEqual(before);
  });

  it('still takes accents, right-to-left scripts, emoji, and line breaks in notes', async () => {
    const register = await t
      .http()
      .post('/v1/auth/register')
      .send({ email: `${randomUUID()}@example.com`, password: PASSWORD, name: 'Zoë שלום 🎭' });
    expect(register.status).toBe(201);
    expect(register.body.user.name).toBe('Zoë שלום 🎭');
    const booking = await t
      .http()
      .post('/v1/bookings')
      .set(alice.auth)
      .send({
        type: 'apartment',
        title: 'Flat',
        notes: 'line one\nline two\ttab',
        startTime: at(20 * day),
        endTime: at(21 * day),
      });
    expect(booking.status).toBe(201);
    expect(booking.body.notes).toBe('line one\nline two\ttab');
    const event = await createEvent(t, manager, { name: 'مهرجان' });
    expect(event.id).toBeDefined();
  });
});

describe('hardening: the last admin stays an admin', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const { setRole } = roleChanges(() => t);
  const roleOf = async (reader: Account, who: Account) =>
    (await t.http().get(`/v1/users/${who.id}`).set(reader.auth)).body.role as string;

  it('refuses the only admin demoting itself with 409 LAST_ADMIN, and lets it go once there is another', async () => {
    const only = await t.register('admin');
    for (const role of ['customer', 'manager', 'provider']) {
      expectProblem(await setRole(only, only, role), 409, 'LAST_ADMIN');
    }
    expect(await roleOf(only, only)).toBe('admin');
    // Other accounts' roles are no business of this rule.
    const customer = await t.register();
    expect((await setRole(only, customer, 'manager')).status).toBe(200);

    const second = await t.register('admin');
    expect((await setRole(only, only, 'customer')).status).toBe(200);
    expectProblem(await setRole(second, second, 'customer'), 409, 'LAST_ADMIN');
    // Granting admin again to an admin changes nothing and is not refused.
    expect((await setRole(second, second, 'admin')).status).toBe(200);
    expect(await roleOf(second, second)).toBe('admin');
    // Hand over: promote one, then the old one may step down.
    expect((await setRole(second, only, 'admin')).status).toBe(200);
    expect((await setRole(second, second, 'customer')).status).toBe(200);
    expectProblem(await setRole(only, only, 'customer'), 409, 'LAST_ADMIN');
  });
});

describe('hardening: admins demoting each other at once', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const { setRole, admins } = roleChanges(() => t);

  it('of two admins demoting each other, exactly one succeeds, every time', async () => {
    let survivor = await t.register('admin');
    for (let round = 0; round < 15; round++) {
      const other = await t.register('admin');
      // Tokens keep their role until refresh, so the loser's token still passes as admin: the refusal is the rule's.
      const [a, b] = await Promise.all([setRole(survivor, other, 'customer'), setRole(other, survivor, 'customer')]);
      const statuses = [a.status, b.status].sort();
      expect({ round, statuses }).toEqual({ round, statuses: [200, 409] });
      expectProblem(a.status === 409 ? a : b, 409, 'LAST_ADMIN');
      const left = await admins(survivor, [survivor, other]);
      expect(left).toHaveLength(1);
      survivor = left[0];
    }
  });
});

describe('hardening: every admin demoting every admin at once', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  const { setRole, admins } = roleChanges(() => t);

  it('with every admin demoting every admin (itself included) at once, exactly one admin remains', async () => {
    const group = await Promise.all(Array.from({ length: 6 }, () => t.register('admin')));
    const before = await admins(group[0], group);
    expect(before).toHaveLength(group.length);
    const results = await Promise.all(
      group.flatMap((by) => group.map((target) => setRole(by, target, target.id === by.id ? 'manager' : 'customer'))),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 409).length).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.status === 409)) expectProblem(r, 409, 'LAST_ADMIN');
    expect(await admins(group[0], group)).toHaveLength(1);
  });
});

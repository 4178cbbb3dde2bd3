import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createEvent } from '../support/events.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

/** Keys that name members of Object.prototype: the whitelist used to let every one of them through. */
const INHERITED = ['toString', 'hasOwnProperty', 'valueOf', 'constructor', 'isPrototypeOf', 'toLocaleString'];

const EVERY_DAY = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
  day,
  opens: '18:00',
  closes: '23:00',
}));

describe('hardening: unknown body properties named after Object.prototype members', () => {
  let t: TestApp;
  let manager: Account;
  let admin: Account;
  let alice: Account;
  let provider: Account;
  let event: { id: string; seats: { id: string }[] };

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 365 * 86_400 });
    [manager, admin, alice, provider] = await Promise.all([
      t.register('manager'),
      t.register('admin'),
      t.register(),
      t.register('provider'),
    ]);
    event = await createEvent(t, manager);
  });
  afterAll(() => t.close());

  const day = 86_400_000;
  const at = (offsetMs: number) => new Date(t.clock.now() + offsetMs).toISOString();
  const routes: [string, (extra: Record<string, unknown>) => Promise<Response>][] = [
    [
      'POST /v1/auth/register',
      (extra) =>
        t
          .http()
          .post('/v1/auth/register')
          .send({ email: `${randomUUID()}@example.com`, password: 'long enough pw', name: 'X', ...extra }),
    ],
    [
      'POST /v1/auth/login',
      (extra) =>
        t
          .http()
          .post('/v1/auth/login')
          .send({ email: alice.email, password: 'correct horse battery', ...extra }),
    ],
    [
      'POST /v1/events/{id}/holds',
      (extra) =>
        t
          .http()
          .post(`/v1/events/${event.id}/holds`)
          .set(alice.auth)
          .send({ seatIds: [event.seats[0].id], ...extra }),
    ],
    [
      'POST /v1/events',
      (extra) =>
        t
          .http()
          .post('/v1/events')
          .set(manager.auth)
          .send({ name: 'Gig', numberOfSeats: 10, ...extra }),
    ],
    [
      'POST /v1/bookings',
      (extra) =>
        t
          .http()
          .post('/v1/bookings')
          .set(alice.auth)
          .send({ type: 'apartment', title: 'Flat', startTime: at(10 * day), endTime: at(11 * day), ...extra }),
    ],
    [
      'PATCH /v1/users/{id}',
      (extra) =>
        t
          .http()
          .patch(`/v1/users/${alice.id}`)
          .set(admin.auth)
          .send({ role: 'manager', ...extra }),
    ],
    [
      'POST /v1/restaurants (nested in openingHours[0])',
      (extra) =>
        t
          .http()
          .post('/v1/restaurants')
          .set(manager.auth)
          .send({
            name: 'Chez Monaco',
            timezone: 'Europe/London',
            openingHours: [{ ...EVERY_DAY[0], ...extra }, ...EVERY_DAY.slice(1)],
          }),
    ],
    [
      'POST /v1/providers/me/availability (nested in windows[0])',
      (extra) =>
        t
          .http()
          .post('/v1/providers/me/availability')
          .set(provider.auth)
          .send({ windows: [{ start: '2030-03-04T09:00:00Z', end: '2030-03-04T10:00:00Z', ...extra }] }),
    ],
  ];

  it.each(routes)('%s refuses each of them with 400 and stores nothing', async (_, send) => {
    const before = await t.storedKeys();
    for (const name of INHERITED) {
      const res = await send({ [name]: 'x' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors).toEqual([
        { field: expect.stringMatching(new RegExp(`(^|\\.)${name}$`)), message: `${name} should not exist` },
      ]);
    }
    expect(await t.storedKeys()).toEqual(before);
  });

  it('refuses them in query strings too, like any unknown query parameter', async () => {
    for (const name of INHERITED) {
      for (const [path, who] of [
        ['/v1/events', undefined],
        ['/v1/bookings', alice],
      ] as const) {
        const req = t.http().get(`${path}?${name}=x`);
        const res = await (who ? req.set(who.auth) : req);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors).toEqual([{ field: name, message: `${name} should not exist` }]);
      }
    }
    expect((await t.http().get('/v1/events')).status).toBe(200);
  });

  it('still accepts the same bodies without them, and refuses an ordinary unknown property as before', async () => {
    const [, register] = routes[0];
    expectProblem(await register({ isAdmin: true }), 400, 'VALIDATION_FAILED');
    expect((await register({})).status).toBe(201);
    const [, hold] = routes[2];
    expect((await hold({})).status).toBe(200);
  });

  it('refuses a deeply nested body with 400, not a crash', async () => {
    const deep = `${'['.repeat(20_000)}"x"${']'.repeat(20_000)}`;
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(alice.auth)
      .set('Content-Type', 'application/json')
      .send(`{"type":"apartment","title":"Flat","startTime":"${at(day)}","endTime":"${at(2 * day)}","notes":${deep}}`);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
  });
});

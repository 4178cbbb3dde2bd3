import { randomUUID } from 'node:crypto';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

describe('bookings (HTTP)', () => {
  let t: TestApp;
  let alice: Account;
  let bob: Account;
  let admin: Account;
  const day = 86_400_000;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    [alice, bob, admin] = await Promise.all([t.register(), t.register(), t.register('admin')]);
  });
  afterAll(() => t.close());

  const at = (offsetMs: number) => new Date(t.clock.now() + offsetMs).toISOString();
  const body = (patch: Record<string, unknown> = {}) => ({
    type: 'apartment',
    title: `Flat ${randomUUID().slice(0, 8)}`,
    startTime: at(10 * day),
    endTime: at(17 * day),
    ...patch,
  });
  const create = (who: Account, patch: Record<string, unknown> = {}) =>
    t.http().post('/v1/bookings').set(who.auth).send(body(patch));

  describe('create', () => {
    it('answers 201 with the booking, its ETag and Location', async () => {
      const res = await create(alice, { location: 'Lisbon', notes: 'Key box 1234', reminderMinutesBefore: 60 });
      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        id: expect.any(String),
        userId: alice.id,
        type: 'apartment',
        title: expect.stringMatching(/^Flat /),
        startTime: at(10 * day),
        endTime: at(17 * day),
        location: 'Lisbon',
        notes: 'Key box 1234',
        reminderMinutesBefore: 60,
        version: 1,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      expect(res.headers.etag).toBe('"1"');
      expect(res.headers.location).toBe(`/v1/bookings/${res.body.id}`);
    });

    it('returns the existing booking (200) for an identical one, even with another offset', async () => {
      const first = await create(alice, {
        title: 'Same trip',
        startTime: '2030-01-01T10:00:00Z',
        endTime: '2030-01-02T10:00:00Z',
      });
      const again = await create(alice, {
        title: 'Same trip',
        startTime: '2030-01-01T11:00:00+01:00',
        endTime: '2030-01-02T11:00:00+01:00',
      });
      expect(first.status).toBe(201);
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      // Another user's identical booking is theirs alone.
      const other = await create(bob, {
        title: 'Same trip',
        startTime: '2030-01-01T10:00:00Z',
        endTime: '2030-01-02T10:00:00Z',
      });
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(first.body.id);
    });

    it.each([
      [{ endTime: 'same' }, 'endTime'],
      [{ endTime: 'before' }, 'endTime'],
      [{ startTime: 'past' }, 'startTime'],
      [{ startTime: '2030-01-01T10:00:00' }, 'startTime'],
      [{ endTime: '2030-02-30T10:00:00Z' }, 'endTime'],
      [{ type: 'castle' }, 'type'],
      [{ type: undefined }, 'type'],
      [{ title: '' }, 'title'],
      [{ title: 'x'.repeat(201) }, 'title'],
      [{ reminderMinutesBefore: -1 }, 'reminderMinutesBefore'],
      [{ reminderMinutesBefore: 10_081 }, 'reminderMinutesBefore'],
      [{ reminderMinutesBefore: 1e12 }, 'reminderMinutesBefore'],
      [{ reminderMinutesBefore: '60' }, 'reminderMinutesBefore'],
      [{ notes: 'x'.repeat(2001) }, 'notes'],
      [{ userId: randomUUID() }, 'userId'],
      [{ version: 7 }, 'version'],
    ])('refuses %j with 400 naming %s, storing nothing', async (patch: Record<string, unknown>, field) => {
      const resolved: Record<string, unknown> = { ...patch };
      if (patch.endTime === 'same') resolved.endTime = at(10 * day);
      if (patch.endTime === 'before') resolved.endTime = at(9 * day);
      if (patch.startTime === 'past') resolved.startTime = at(-60_000);
      const before = await t.storedKeys();
      const res = await create(alice, resolved);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
      expect(await t.storedKeys()).toEqual(before);
    });

    it('needs a token', async () => {
      expectProblem(await t.http().post('/v1/bookings').send(body()), 401, 'UNAUTHORIZED');
    });
  });

  describe('read', () => {
    it('answers with the ETag, 304 for If-None-Match, and 404 to anyone but the owner and admins', async () => {
      const { body: booking } = await create(alice);
      const res = await t.http().get(`/v1/bookings/${booking.id}`).set(alice.auth);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(booking);
      expect(res.headers.etag).toBe('"1"');

      const notModified = await t.http().get(`/v1/bookings/${booking.id}`).set(alice.auth).set('If-None-Match', '"1"');
      expect(notModified.status).toBe(304);
      expect(notModified.text).toBe('');
      const modified = await t.http().get(`/v1/bookings/${booking.id}`).set(alice.auth).set('If-None-Match', '"0"');
      expect(modified.status).toBe(200);

      const stranger = await t.http().get(`/v1/bookings/${booking.id}`).set(bob.auth);
      expectProblem(stranger, 404, 'NOT_FOUND');
      expect(JSON.stringify(stranger.body)).not.toContain(booking.title);
      expect((await t.http().get(`/v1/bookings/${booking.id}`).set(admin.auth)).status).toBe(200);
      expectProblem(await t.http().get(`/v1/bookings/${randomUUID()}`).set(alice.auth), 404, 'NOT_FOUND');
      expectProblem(await t.http().get('/v1/bookings/42').set(alice.auth), 400, 'VALIDATION_FAILED');
    });
  });

  describe('edit', () => {
    it('needs If-Match (428), refuses a stale one (412) leaving the booking untouched, applies a current one', async () => {
      const { body: booking } = await create(alice);
      const url = `/v1/bookings/${booking.id}`;
      expectProblem(await t.http().patch(url).set(alice.auth).send({ title: 'New' }), 428, 'PRECONDITION_REQUIRED');

      const ok = await t
        .http()
        .patch(url)
        .set(alice.auth)
        .set('If-Match', '"1"')
        .send({ title: 'New', location: 'Porto' });
      expect(ok.status).toBe(200);
      expect(ok.body).toMatchObject({ title: 'New', location: 'Porto', version: 2 });
      expect(ok.headers.etag).toBe('"2"');

      const stale = await t.http().patch(url).set(alice.auth).set('If-Match', '"1"').send({ title: 'Lost update' });
      expectProblem(stale, 412, 'PRECONDITION_FAILED');
      expect(stale.body.currentVersion).toBe(2);
      const stored = await t.http().get(url).set(alice.auth);
      expect(stored.body).toMatchObject({ title: 'New', version: 2 });
    });

    it('keeps version and ETag for a change that changes nothing; null clears optional fields', async () => {
      const { body: booking } = await create(alice, { notes: 'n' });
      const url = `/v1/bookings/${booking.id}`;
      const same = await t.http().patch(url).set(alice.auth).set('If-Match', '"1"').send({ title: booking.title });
      expect(same.status).toBe(200);
      expect(same.body.version).toBe(1);
      expect(same.headers.etag).toBe('"1"');
      const cleared = await t.http().patch(url).set(alice.auth).set('If-Match', '"1"').send({ notes: null });
      expect(cleared.body).toMatchObject({ notes: null, version: 2 });
    });

    it('checks the merged times and the fields, changing nothing on refusal', async () => {
      const { body: booking } = await create(alice);
      const url = `/v1/bookings/${booking.id}`;
      const backwards = await t
        .http()
        .patch(url)
        .set(alice.auth)
        .set('If-Match', '"1"')
        .send({ endTime: at(5 * day) });
      expectProblem(backwards, 400, 'VALIDATION_FAILED');
      expect(backwards.body.errors).toEqual([{ field: 'endTime', message: 'must be after startTime' }]);
      const unknown = await t.http().patch(url).set(alice.auth).set('If-Match', '"1"').send({ version: 9 });
      expectProblem(unknown, 400, 'VALIDATION_FAILED');
      for (const field of ['title', 'type', 'startTime', 'endTime']) {
        const res = await t
          .http()
          .patch(url)
          .set(alice.auth)
          .set('If-Match', '"1"')
          .send({ [field]: null });
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe(field);
      }
      expect((await t.http().get(url).set(alice.auth)).body).toEqual(booking);
    });

    it('answers 404 for someone else’s booking; an admin may edit it', async () => {
      const { body: booking } = await create(alice);
      const url = `/v1/bookings/${booking.id}`;
      expectProblem(
        await t.http().patch(url).set(bob.auth).set('If-Match', '"1"').send({ title: 'Mine' }),
        404,
        'NOT_FOUND',
      );
      const byAdmin = await t.http().patch(url).set(admin.auth).set('If-Match', '"1"').send({ title: 'Fixed' });
      expect(byAdmin.status).toBe(200);
      expect(byAdmin.body.userId).toBe(alice.id);
    });
  });

  describe('delete', () => {
    it('deletes (204), after which the booking is gone; strangers get 404; a stale If-Match 412', async () => {
      const { body: booking } = await create(alice);
      const url = `/v1/bookings/${booking.id}`;
      expectProblem(await t.http().delete(url).set(bob.auth), 404, 'NOT_FOUND');
      expectProblem(await t.http().delete(url).set(alice.auth).set('If-Match', '"7"'), 412, 'PRECONDITION_FAILED');
      expect((await t.http().delete(url).set(alice.auth).set('If-Match', '"1"')).status).toBe(204);
      expectProblem(await t.http().get(url).set(alice.auth), 404, 'NOT_FOUND');
      expectProblem(await t.http().delete(url).set(alice.auth), 404, 'NOT_FOUND');
      // The same trip can be booked again once deleted.
      const again = await t.http().post('/v1/bookings').set(alice.auth).send({
        type: booking.type,
        title: booking.title,
        startTime: booking.startTime,
        endTime: booking.endTime,
      });
      expect(again.status).toBe(201);
    });
  });

  describe('list', () => {
    it('lists own bookings by start time with from, to, type and cursor', async () => {
      const carol = await t.register();
      const made = [];
      for (const [i, type] of ['show', 'vehicle', 'show', 'apartment', 'show'].entries()) {
        made.push((await create(carol, { type, startTime: at((20 - i) * day), endTime: at((21 - i) * day) })).body);
      }
      const byStart = [...made].sort((a, b) => a.startTime.localeCompare(b.startTime)).map((b) => b.id);

      const all = await t.http().get('/v1/bookings').set(carol.auth);
      expect(all.body.items.map((b: { id: string }) => b.id)).toEqual(byStart);
      expect(all.body.nextCursor).toBeNull();

      const page1 = await t.http().get('/v1/bookings?limit=2').set(carol.auth);
      const page2 = await t.http().get(`/v1/bookings?limit=2&cursor=${page1.body.nextCursor}`).set(carol.auth);
      const page3 = await t.http().get(`/v1/bookings?limit=2&cursor=${page2.body.nextCursor}`).set(carol.auth);
      expect([...page1.body.items, ...page2.body.items, ...page3.body.items].map((b) => b.id)).toEqual(byStart);
      expect(page3.body.nextCursor).toBeNull();

      const shows = await t.http().get('/v1/bookings?type=show').set(carol.auth);
      expect(shows.body.items.map((b: { type: string }) => b.type)).toEqual(['show', 'show', 'show']);
      const window = await t
        .http()
        .get(`/v1/bookings?from=${encodeURIComponent(at(17 * day))}&to=${encodeURIComponent(at(19 * day))}`)
        .set(carol.auth);
      expect(window.body.items.map((b: { id: string }) => b.id)).toEqual([made[3].id, made[2].id]);
      // Nobody else's bookings show up.
      expect(all.body.items.every((b: { userId: string }) => b.userId === carol.id)).toBe(true);
    });

    it('lets admins list one user’s or everyone’s bookings; others may not pass userId', async () => {
      const dan = await t.register();
      const { body: booking } = await create(dan);
      const one = await t.http().get(`/v1/bookings?userId=${dan.id}`).set(admin.auth);
      expect(one.body.items.map((b: { id: string }) => b.id)).toEqual([booking.id]);
      const everyone = await t.http().get('/v1/bookings?limit=100').set(admin.auth);
      expect(new Set(everyone.body.items.map((b: { userId: string }) => b.userId)).size).toBeGreaterThan(1);
      expectProblem(await t.http().get(`/v1/bookings?userId=${dan.id}`).set(alice.auth), 403, 'FORBIDDEN');
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=101', 'limit'],
      ['type=boat', 'type'],
      ['from=yesterday', 'from'],
      ['cursor=abc.def', 'cursor'],
      ['userId=42', 'userId'],
    ])('refuses ?%s naming %s', async (query, field) => {
      const res = await t.http().get(`/v1/bookings?${query}`).set(admin.auth);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe(field);
    });
  });
});

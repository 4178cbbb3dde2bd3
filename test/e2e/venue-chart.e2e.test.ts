import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

interface Chart {
  eventId: string;
  categories: { id: string; name: string }[];
  sections: { name: string; rows: { label: string; seats: { id: string; label: string; categoryId: string }[] }[] }[];
}

const seatIdsOf = (chart: Chart) => chart.sections.flatMap((s) => s.rows.flatMap((r) => r.seats.map((x) => x.id)));

describe('a venue chart: layout, seat status, seat views, categories (HTTP)', () => {
  let t: TestApp;
  let manager: Account;
  let eventId: string;
  let chart: Chart;
  let etag: string;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
    const res = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: 'Hamlet', layout: THEATRE, holdSeconds: 60 });
    expect(res.status).toBe(201);
    eventId = res.body.id;
    const layout = await t.http().get(`/v1/events/${eventId}/layout`);
    expect(layout.status).toBe(200);
    chart = layout.body;
    etag = layout.headers.etag;
  });
  afterAll(() => t.close());

  describe('GET /layout', () => {
    it('answers the static chart with a strong ETag and a long-lived, immutable Cache-Control', async () => {
      const res = await t.http().get(`/v1/events/${eventId}/layout`);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect(res.body).toEqual(chart);
      expect(chart.categories).toEqual([
        { id: 'premium', name: 'Premium' },
        { id: 'standard', name: 'Standard' },
      ]);
      expect(chart.sections.map((s) => s.name)).toEqual(['Stalls', 'Balcony']);
      expect(chart.sections[0].rows[0].seats[1]).toEqual({
        id: expect.any(String),
        label: '2',
        categoryId: 'premium',
        accessible: true,
      });
      expect(JSON.stringify(chart)).not.toContain('8000');
    });

    it('answers 304 without a body to If-None-Match with the ETag (also in a list or weak), 200 otherwise', async () => {
      for (const header of [etag, `"other", ${etag}`, `W/${etag}`, '*']) {
        const res = await t.http().get(`/v1/events/${eventId}/layout`).set('If-None-Match', header);
        expect(res.status).toBe(304);
        expect(res.text ?? '').toBe('');
        expect(res.headers.etag).toBe(etag);
      }
      const stale = await t.http().get(`/v1/events/${eventId}/layout`).set('If-None-Match', '"something-else"');
      expect(stale.status).toBe(200);
    });

    it('is the same chart, ETag included, for an instance that has no plan cached', async () => {
      const other = await TestApp.start({ redisKeyPrefix: t.config.redisKeyPrefix });
      try {
        const res = await other.http().get(`/v1/events/${eventId}/layout`);
        expect(res.headers.etag).toBe(etag);
        expect(res.body).toEqual(chart);
      } finally {
        await other.close();
      }
    });

    it('answers 404 for an unknown event and 400 for a bad id', async () => {
      expectProblem(await t.http().get('/v1/events/6f1c1f7e-6a3d-4c55-9a7b-4b8f5f0d2a11/layout'), 404, 'NOT_FOUND');
      expectProblem(await t.http().get('/v1/events/nope/layout'), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /seat-status', () => {
    it('answers one character per seat in layout order and the seq read with it; live updates continue from it', async () => {
      const seatIds = seatIdsOf(chart);
      const before = await t.http().get(`/v1/events/${eventId}/seat-status`);
      expect(before.status).toBe(200);
      expect(before.headers['cache-control']).toBe('no-store');
      expect(before.body).toEqual({ eventId, seq: 0, encoding: 'char', status: 'a'.repeat(12) });

      const alice = t.bearer();
      const bob = t.bearer();
      await t
        .http()
        .post(`/v1/events/${eventId}/holds`)
        .set(alice.auth)
        .send({ seatIds: [seatIds[1], seatIds[10]] })
        .expect(200);
      await t.http().post(`/v1/events/${eventId}/seats/${seatIds[5]}/hold`).set(bob.auth).expect(200);
      await t
        .http()
        .post(`/v1/events/${eventId}/reservations`)
        .set(alice.auth)
        .send({ seatIds: [seatIds[10]] })
        .expect(201);
      const after = await t.http().get(`/v1/events/${eventId}/seat-status`);
      expect(after.body).toEqual({ eventId, seq: 4, encoding: 'char', status: 'ahaaahaaaara' });
      // The hold lapses by time: held becomes available without a change (or a new seq) until the sweeper's.
      t.clock.advance(61_000);
      expect((await t.http().get(`/v1/events/${eventId}/seat-status`)).body.status).toBe('aaaaaaaaaara');
    });
  });

  describe('GET /seats with the new fields and ?section=', () => {
    it('gives each seat its section, row, label, category and accessibility', async () => {
      const res = await t.http().get(`/v1/events/${eventId}/seats?status=all`);
      expect(res.status).toBe(200);
      expect(res.body).toHaveLength(12);
      expect(res.body[1]).toEqual({
        id: chart.sections[0].rows[0].seats[1].id,
        eventId,
        number: 2,
        section: 'Stalls',
        row: 'A',
        label: '2',
        categoryId: 'premium',
        accessible: true,
        status: 'available',
      });
    });

    it('keeps one section with ?section=, with ?status= too', async () => {
      const all = await t.http().get(`/v1/events/${eventId}/seats?status=all&section=Balcony`);
      expect(all.body.map((s: { label: string; row: string }) => `${s.row}${s.label}`)).toEqual(['A1', 'A2', 'A3']);
      expect(all.body.map((s: { status: string }) => s.status)).toEqual(['available', 'reserved', 'available']);
      const available = await t.http().get(`/v1/events/${eventId}/seats?section=Balcony`);
      expect(available.body.map((s: { number: number }) => s.number)).toEqual([10, 12]);
      const stalls = await t.http().get(`/v1/events/${eventId}/seats?section=Stalls&status=all`);
      expect(stalls.body).toHaveLength(9);
    });

    it('answers 404 for a section the event does not have', async () => {
      expectProblem(await t.http().get(`/v1/events/${eventId}/seats?section=Gallery`), 404, 'NOT_FOUND');
    });
  });

  describe('categories and prices', () => {
    it('shows the categories with current prices and the layout ETag on the event', async () => {
      const res = await t.http().get(`/v1/events/${eventId}`);
      expect(res.body).toMatchObject({
        categories: [
          { id: 'premium', name: 'Premium', price: { amount: 8000, currency: 'EUR' } },
          { id: 'standard', name: 'Standard', price: { amount: 4500, currency: 'EUR' } },
        ],
        layoutEtag: etag,
      });
    });

    it('lets the creating manager and an admin change a price; others get 403, unknown categories 404', async () => {
      const patch = (who: { auth: { Authorization: string } }, categoryId: string, body: object) =>
        t.http().patch(`/v1/events/${eventId}/categories/${categoryId}`).set(who.auth).send(body);
      const changed = await patch(manager, 'premium', { price: { amount: 9000, currency: 'EUR' } });
      expect(changed.status).toBe(200);
      expect(changed.body).toEqual({ id: 'premium', name: 'Premium', price: { amount: 9000, currency: 'EUR' } });
      const admin = t.bearer(undefined, 'admin');
      expect((await patch(admin, 'standard', { price: null })).body).toEqual({
        id: 'standard',
        name: 'Standard',
        price: null,
      });
      const event = await t.http().get(`/v1/events/${eventId}`);
      expect(event.body.categories.map((c: { price: unknown }) => c.price)).toEqual([
        { amount: 9000, currency: 'EUR' },
        null,
      ]);

      const before = await t.storedKeys();
      expectProblem(await patch(t.bearer(undefined, 'manager'), 'premium', { price: null }), 403, 'FORBIDDEN');
      expectProblem(await patch(t.bearer(), 'premium', { price: null }), 403, 'FORBIDDEN');
      expectProblem(await patch(manager, 'vip', { price: null }), 404, 'NOT_FOUND');
      for (const [body, field] of [
        [{ price: { amount: -5, currency: 'EUR' } }, 'price.amount'],
        [{ price: { amount: 5, currency: 'Euro' } }, 'price.currency'],
        [{ price: { amount: '5', currency: 'EUR' } }, 'price.amount'],
        [{}, 'price'],
        [{ price: null, name: 'x' }, 'name'],
      ] as const) {
        const res = await patch(manager, 'premium', body);
        expectProblem(res, 400, 'VALIDATION_FAILED');
        expect(res.body.errors[0].field).toBe(field);
      }
      expect(await t.storedKeys()).toEqual(before);
      expect((await t.http().get(`/v1/events/${eventId}`)).body.categories[0].price).toEqual({
        amount: 9000,
        currency: 'EUR',
      });
    });
  });
});

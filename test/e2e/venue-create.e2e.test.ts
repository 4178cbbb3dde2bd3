import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { THEATRE } from '../support/venues.js';

describe('POST /v1/events with a layout (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const create = (body: Record<string, unknown>) =>
    t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: 'Hamlet', ...body });

  it('stores every key of the venue in one step: seats in layout order, facts, categories, chart, full free sets', async () => {
    const res = await create({ layout: THEATRE });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Hamlet', totalSeats: 12 });
    const id = res.body.id as string;
    const seatIds = await t.redis.lrange(keys.eventSeats(id), 0, -1);
    expect(seatIds).toHaveLength(12);
    const meta = await t.redis.hmget(keys.seatMeta(id), ...seatIds);
    // Order: ranked (Balcony, rank 5) first, then front rows, nearest the centre, then layout order.
    expect(meta).toEqual([
      'premium|5|0.0|0|0',
      'premium|3|0.0|1|1',
      'premium|4|0.0|2|0',
      'premium|6|0.0|3|0',
      'standard|10|0.1|0|0',
      'standard|8|0.1|1|0',
      'standard|7|0.1|2|0',
      'standard|9|0.1|3|0',
      'standard|11|0.1|4|0',
      'standard|1|1.0|0|0',
      'standard|0|1.0|1|0',
      'standard|2|1.0|2|0',
    ]);
    expect(await t.redis.zrange(keys.freeSeats(id, 'premium'), '0', '-1')).toEqual([1, 2, 0, 3].map((i) => seatIds[i]));
    expect(await t.redis.zrange(keys.freeSeats(id, 'standard'), '0', '-1')).toEqual(
      [10, 9, 11, 6, 5, 7, 4, 8].map((i) => seatIds[i]),
    );
    expect(await t.redis.hgetall(keys.eventCategories(id))).toEqual({
      premium: '{"name":"Premium","price":{"amount":8000,"currency":"EUR"}}',
      standard: '{"name":"Standard","price":{"amount":4500,"currency":"EUR"}}',
    });
    const chart = JSON.parse((await t.redis.get(keys.eventLayout(id)))!);
    expect(chart.sections[0].rows[1].seats.map((s: { label: string }) => s.label)).toEqual([
      '11',
      '12',
      '13',
      '14',
      '15',
    ]);
    expect(chart.sections[0].rows[0].seats[1]).toEqual({
      id: seatIds[1],
      label: '2',
      categoryId: 'premium',
      accessible: true,
    });
    expect(await t.redis.hget(keys.event(id), 'layoutEtag')).toMatch(/^"[\w-]{27}"$/);
  });

  it('gives a numberOfSeats event the implicit layout: one unnamed row "1".."N" of category general', async () => {
    const res = await create({ numberOfSeats: 10 });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    const seatIds = await t.redis.lrange(keys.eventSeats(id), 0, -1);
    expect(await t.redis.hmget(keys.seatMeta(id), ...seatIds)).toEqual(
      seatIds.map((_, i) => `general|${i}|0.0|${i}|0`),
    );
    expect(await t.redis.zrange(keys.freeSeats(id, 'general'), '0', '-1')).toEqual(seatIds);
    expect(await t.redis.hgetall(keys.eventCategories(id))).toEqual({ general: '{"name":"General","price":null}' });
    const chart = JSON.parse((await t.redis.get(keys.eventLayout(id)))!);
    expect(chart).toMatchObject({ eventId: id, categories: [{ id: 'general', name: 'General' }] });
    expect(chart.sections).toEqual([
      {
        name: '',
        rows: [
          {
            label: '',
            seats: seatIds.map((sid, i) => ({
              id: sid,
              label: String(i + 1),
              categoryId: 'general',
              accessible: false,
            })),
          },
        ],
      },
    ]);
  });

  it('takes 20,000 seats written out seat by seat (over BODY_LIMIT_BYTES)', async () => {
    const rows = Array.from({ length: 100 }, (_, r) => ({
      label: `R${r}`,
      seats: Array.from({ length: 200 }, (_, s) => ({
        label: String(s + 1),
        categoryId: r < 10 ? 'premium' : 'standard',
      })),
    }));
    const layout = { categories: THEATRE.categories, sections: [{ name: 'Arena', rows }] };
    expect(JSON.stringify(layout).length).toBeGreaterThan(t.config.bodyLimitBytes);
    const res = await create({ layout });
    expect(res.status).toBe(201);
    expect(res.body.totalSeats).toBe(20_000);
    expect(await t.redis.zcard(keys.freeSeats(res.body.id, 'standard'))).toBe(18_000);
    expect(await t.redis.hlen(keys.seatMeta(res.body.id))).toBe(20_000);
    const chart = await t.http().get(`/v1/events/${res.body.id}/layout`);
    expect(chart.body.sections[0].rows).toHaveLength(100);
    expect(chart.body.sections[0].rows[99].seats[199].label).toBe('200');
    const status = await t.http().get(`/v1/events/${res.body.id}/seat-status`);
    expect(status.body).toEqual({ eventId: res.body.id, seq: 0, encoding: 'char', status: 'a'.repeat(20_000) });
  });

  it('keeps BODY_LIMIT_BYTES on other routes', async () => {
    const res = await t
      .http()
      .post('/v1/bookings')
      .set(manager.auth)
      .send({ title: 'x'.repeat(t.config.bodyLimitBytes + 10) });
    expectProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  });

  const row = (seats: unknown[]) => ({
    categories: THEATRE.categories,
    sections: [{ name: 'S', categoryId: 'standard', rows: [{ label: 'A', seats }] }],
  });
  const badLayouts: [Record<string, unknown>, string, string][] = [
    [{ layout: THEATRE, numberOfSeats: 10 }, 'numberOfSeats', 'give either'],
    [{}, 'numberOfSeats', 'give either'],
    [
      {
        layout: {
          ...THEATRE,
          sections: [
            THEATRE.sections[0],
            THEATRE.sections[1],
            {
              name: 'Gallery',
              categoryId: 'standard',
              rows: [
                { label: 'A', seats: [{ label: '1' }, { label: '2' }] },
                { label: 'B', count: 2 },
                { label: 'C', seats: [{ label: '1' }, { label: '1' }] },
              ],
            },
          ],
        },
      },
      'layout.sections[2].rows[2].seats[1].label',
      'duplicate in row',
    ],
    [
      { layout: row([{ label: '1', categoryId: 'vip' }]) },
      'layout.sections[0].rows[0].seats[0].categoryId',
      'unknown categoryId',
    ],
    [{ layout: row([]) }, 'layout.sections[0].rows[0].seats', 'must not be empty'],
    [{ layout: { ...row([]), sections: [{ name: 'S', rows: [] }] } }, 'layout.sections[0].rows', 'must not be empty'],
    [
      { layout: { categories: THEATRE.categories, sections: [{ name: 'S', rows: [{ label: 'A', count: 2 }] }] } },
      'layout.sections[0].rows[0].categoryId',
      'required',
    ],
    [
      {
        layout: {
          categories: [{ id: 'a', name: 'A' }],
          sections: [
            {
              name: 'S',
              rows: [
                { label: 'A', count: 20_000 },
                { label: 'B', count: 1 },
              ],
            },
          ],
        },
      },
      'layout.sections[0].rows[1].count',
      'more than 20000 seats',
    ],
    [
      { layout: { categories: [{ id: 'a', name: 'A', price: { amount: -1, currency: 'EUR' } }], sections: [] } },
      'layout.categories[0].price.amount',
      'between 0',
    ],
    [
      { layout: { categories: [{ id: 'a', name: 'A', price: { amount: 1.5, currency: 'EUR' } }], sections: [] } },
      'layout.categories[0].price.amount',
      'integer',
    ],
    [
      { layout: { categories: [{ id: 'a', name: 'A', price: { amount: 100, currency: 'eur' } }], sections: [] } },
      'layout.categories[0].price.currency',
      'ISO 4217',
    ],
    [{ layout: { categories: [{ id: 'a|b', name: 'A' }], sections: [] } }, 'layout.categories[0].id', 'letters'],
    [
      {
        layout: {
          categories: [
            { id: 'a', name: 'A' },
            { id: 'a', name: 'B' },
          ],
          sections: [],
        },
      },
      'layout.categories[1].id',
      'duplicate',
    ],
    [
      {
        layout: {
          categories: [{ id: 'a', name: 'A' }],
          sections: [{ name: 'S', rows: [{ label: 'A', count: 2, seats: [] }] }],
        },
      },
      'layout.sections[0].rows[0]',
      'either seats or count',
    ],
    [
      {
        layout: {
          categories: [{ id: 'a', name: 'A' }],
          sections: [{ name: 'S', rows: [{ label: 'A', count: 2 }], colour: 'red' }],
        },
      },
      'layout.sections[0].colour',
      'unknown property',
    ],
    [
      {
        layout: {
          categories: [{ id: 'a', name: 'A' }],
          sections: [
            { name: 'S', rows: [{ label: 'A', count: 2 }] },
            { name: 'S', rows: [{ label: 'A', count: 2 }] },
          ],
        },
      },
      'layout.sections[1].name',
      'duplicate section',
    ],
    [
      {
        layout: {
          categories: [{ id: 'a', name: 'A' }],
          sections: [{ name: 'S', rows: [{ label: 'A', seats: [{ label: 'x\u202e' }] }] }],
        },
      },
      'layout.sections[0].rows[0].seats[0].label',
      'control',
    ],
    [{ layout: [] }, 'layout', 'object'],
    // The layout passes the validation pipe untouched (RawJson): its own parser refuses inherited names too.
    [
      { layout: { categories: [{ id: 'a', name: 'A', toString: 'x' }], sections: [] } },
      'layout.categories[0].toString',
      'unknown property',
    ],
    [{ layout: { categories: [{ id: 'a', name: 'A' }], constructor: {} } }, 'layout.constructor', 'unknown property'],
    [{ layout: { categories: [{ id: 'a', name: 'A' }], sections: [] }, holdSeconds: 0 }, 'holdSeconds', 'holdSeconds'],
  ];
  it.each(badLayouts.map(([body, field, message]) => [field, message, body] as const))(
    'refuses a bad layout with 400 naming %s (%s), storing nothing',
    async (field, message, body) => {
      const before = await t.storedKeys();
      const res = await create(body);
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.body.errors[0].field).toBe(field);
      expect(res.body.errors[0].message).toContain(message);
      expect(await t.storedKeys()).toEqual(before);
    },
  );
});

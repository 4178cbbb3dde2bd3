import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';

/** Layout rules decided in review: zero-padded shorthand labels, white space around texts, and null. */
describe('POST /v1/events layout rules: padding, white space, null (HTTP)', () => {
  let t: TestApp;
  let manager: Account;

  beforeAll(async () => {
    t = await TestApp.start();
    manager = await t.register('manager');
  });
  afterAll(() => t.close());

  const CATEGORIES = [{ id: 'std', name: 'Standard', price: { amount: 1000, currency: 'EUR' } }];
  const create = (layout: unknown) => t.http().post('/v1/events').set(manager.auth).send({ name: 'Rules', layout });
  const labelsOf = async (eventId: string) => {
    const chart = await t.http().get(`/v1/events/${eventId}/layout`).expect(200);
    return chart.body.sections[0].rows.map((r: { seats: { label: string }[] }) => r.seats.map((s) => s.label));
  };

  it('keeps the width of a zero-padded firstLabel, and a number as it is', async () => {
    const res = await create({
      categories: CATEGORIES,
      sections: [
        {
          name: 'S',
          rows: [
            { label: 'A', count: 3, firstLabel: '007' },
            { label: 'B', count: 3, firstLabel: '098' },
            { label: 'C', count: 2, firstLabel: 7 },
            { label: 'D', count: 2, firstLabel: '7' },
          ],
        },
      ],
    });
    expect(res.status).toBe(201);
    expect(await labelsOf(res.body.id)).toEqual([
      ['007', '008', '009'],
      ['098', '099', '100'],
      ['7', '8'],
      ['7', '8'],
    ]);
  });

  it.each([
    ['a section name', { name: 'Stalls ', rows: [{ label: 'A', count: 1 }] }, 'layout.sections[0].name'],
    ['a row label', { name: 'S', rows: [{ label: ' A', count: 1 }] }, 'layout.sections[0].rows[0].label'],
    [
      'a seat label',
      { name: 'S', rows: [{ label: 'A', seats: [{ label: '1 ' }] }] },
      'layout.sections[0].rows[0].seats[0].label',
    ],
  ])('refuses white space around %s, naming its path', async (_what, section, path) => {
    const res = await create({ categories: CATEGORIES, sections: [section] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: path, message: 'must not start or end with white space' }]);
  });

  it('refuses white space around a category name', async () => {
    const res = await create({
      categories: [{ id: 'std', name: ' Standard', price: null }],
      sections: [{ name: 'S', rows: [{ label: 'A', count: 1 }] }],
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([
      { field: 'layout.categories[0].name', message: 'must not start or end with white space' },
    ]);
  });

  it.each([
    ['a section name', { name: null, rows: [{ label: 'A', count: 1 }] }, 'layout.sections[0].name'],
    [
      'a section categoryId',
      { name: 'S', categoryId: null, rows: [{ label: 'A', count: 1 }] },
      'layout.sections[0].categoryId',
    ],
    ['a row rank', { name: 'S', rows: [{ label: 'A', count: 1, rank: null }] }, 'layout.sections[0].rows[0].rank'],
    ['a row label', { name: 'S', rows: [{ label: null, count: 1 }] }, 'layout.sections[0].rows[0].label'],
    [
      'a firstLabel',
      { name: 'S', rows: [{ label: 'A', count: 1, firstLabel: null }] },
      'layout.sections[0].rows[0].firstLabel',
    ],
    [
      'a seat’s accessible',
      { name: 'S', rows: [{ label: 'A', seats: [{ label: '1', accessible: null }] }] },
      'layout.sections[0].rows[0].seats[0].accessible',
    ],
  ])('refuses null as %s, naming its path', async (_what, section, path) => {
    const res = await create({ categories: CATEGORIES, sections: [section] });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.errors).toEqual([{ field: path, message: 'must not be null (leave it out instead)' }]);
  });

  it('takes null as a category’s price (no price), as PATCH does', async () => {
    const res = await create({
      categories: [{ id: 'free', name: 'Free', price: null }],
      sections: [{ name: 'S', rows: [{ label: 'A', count: 1 }] }],
    });
    expect(res.status).toBe(201);
    const event = await t.http().get(`/v1/events/${res.body.id}`).expect(200);
    expect(event.body.categories).toEqual([{ id: 'free', name: 'Free', price: null }]);
  });
});

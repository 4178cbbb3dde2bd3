import { keys } from '../../src/redis/keys.js';
import { T0, iso, ok } from '../support/integrity-base.js';
import { outboxOf } from '../support/outbox.js';
import { EVENING, bookTable, restaurantWithTable } from '../support/restaurants.js';
import { TestApp } from '../support/test-app.js';

const HOUR = 3_600_000;

/**
 * Review finding 10: a move that changes nothing (an empty PATCH, or the same move sent again after its answer was
 * lost) kept bumping the version and appended a `moved` event each time, with a new event id.
 */
describe('restaurant reservation moves and the outbox', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400 });
    t.clock.set(T0);
  });
  afterAll(() => t.close());

  it('an empty PATCH and a re-sent move change nothing: one `moved`, one version step', async () => {
    const [manager, diner] = [await t.register('manager'), await t.register()];
    const { restaurant, reservations } = await restaurantWithTable(t, manager, 'Chez Move');
    const booked = await bookTable(t, diner, reservations);
    const unchanged = ok(await t.http().patch(`${reservations}/${booked.id}`).set(diner.auth).send({}), 200).body;
    expect(unchanged).toEqual(booked);

    const move = () =>
      t
        .http()
        .patch(`${reservations}/${booked.id}`)
        .set(diner.auth)
        .send({ start: iso(EVENING + HOUR) });
    const moved = ok(await move(), 200).body;
    const again = ok(await move(), 200).body;
    expect(again).toEqual(moved);

    const types = (await outboxOf(t.redis, keys.restaurantOutbox(restaurant.id))).map((e) => e.type);
    expect(types).toEqual(['restaurant-reservation.booked', 'restaurant-reservation.moved']);
  });
});

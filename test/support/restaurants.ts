import { iso, ok } from './integrity-base.js';
import type { Account, TestApp } from './test-app.js';

/** Open every day 18:00–23:00 (the restaurant's zone). */
export const EVERY_EVENING = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
  day,
  opens: '18:00',
  closes: '23:00',
}));

/**
 * A restaurant in Europe/Paris open every evening with one table "A" for four, created by the manager over HTTP;
 * its body and its reservations path.
 */
export async function restaurantWithTable(
  t: TestApp,
  manager: Account,
  name: string,
): Promise<{ restaurant: { id: string }; reservations: string }> {
  const restaurant = ok(
    await t
      .http()
      .post('/v1/restaurants')
      .set(manager.auth)
      .send({ name, timezone: 'Europe/Paris', openingHours: EVERY_EVENING }),
    201,
  ).body as { id: string };
  ok(
    await t.http().post(`/v1/restaurants/${restaurant.id}/tables`).set(manager.auth).send({ name: 'A', seats: 4 }),
    201,
  );
  return { restaurant, reservations: `/v1/restaurants/${restaurant.id}/reservations` };
}

/**
 * A restaurant created by the manager over HTTP: "Chez Monaco" in Europe/London, open every evening, unless `body`
 * says otherwise; then its tables, by name and seats. Its id and its tables' ids by name.
 */
export async function restaurantWithTables(
  t: TestApp,
  manager: Account,
  tables: [string, number][],
  body: Record<string, unknown> = {},
): Promise<{ id: string; tables: Record<string, string> }> {
  const res = await t
    .http()
    .post('/v1/restaurants')
    .set(manager.auth)
    .send({ name: 'Chez Monaco', timezone: 'Europe/London', openingHours: EVERY_EVENING, ...body });
  expect(res.status).toBe(201);
  const ids: Record<string, string> = {};
  for (const [name, seats] of tables) {
    const table = await t.http().post(`/v1/restaurants/${res.body.id}/tables`).set(manager.auth).send({ name, seats });
    expect(table.status).toBe(201);
    ids[name] = table.body.id;
  }
  return { id: res.body.id as string, tables: ids };
}

/** Tuesday 8 January 2030, 18:00 UTC: 19:00 in Paris, an evening {@link EVERY_EVENING} is open. */
export const EVENING = Date.parse('2030-01-08T18:00:00Z');

const HOUR = 3_600_000;

/** A reservation as the API answers it. */
export type BookedTable = { id: string } & Record<string, unknown>;

/** The diner books a table for `partySize` at `start` over HTTP; the reservation as answered. */
export async function bookTable(
  t: TestApp,
  diner: Account,
  reservations: string,
  start = EVENING,
  partySize = 2,
): Promise<BookedTable> {
  return ok(
    await t
      .http()
      .post(reservations)
      .set(diner.auth)
      .send({ start: iso(start), partySize }),
    201,
  ).body as BookedTable;
}

/**
 * One of each change a restaurant's outbox records, in this order: the diner books two at {@link EVENING}, moves it an
 * hour later and cancels it; then the manager books a guest's table (a booking that concerns no user) at EVENING.
 * The diner's reservation as first answered.
 */
export async function bookMoveCancelThenGuest(
  t: TestApp,
  manager: Account,
  diner: Account,
  reservations: string,
): Promise<BookedTable> {
  const booked = await bookTable(t, diner, reservations);
  ok(
    await t
      .http()
      .patch(`${reservations}/${booked.id}`)
      .set(diner.auth)
      .send({ start: iso(EVENING + HOUR) }),
    200,
  );
  ok(await t.http().delete(`${reservations}/${booked.id}`).set(diner.auth), 200, 204);
  ok(
    await t
      .http()
      .post(reservations)
      .set(manager.auth)
      .send({ start: iso(EVENING), partySize: 2, guestName: 'Walk In', guestPhone: '+33123456789' }),
    201,
  );
  return booked;
}

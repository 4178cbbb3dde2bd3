import { ok } from './integrity-base.js';
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

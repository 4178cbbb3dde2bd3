import type { Page } from 'playwright-core';
import type { Account, TestApp } from '../../support/test-app.js';

/** The two priced categories the venue browser tests draw (amounts in ISO 4217 minor units). */
export const CATEGORIES = [
  { id: 'premium', name: 'Premium', price: { amount: 8000, currency: 'EUR' } },
  { id: 'standard', name: 'Standard', price: { amount: 4500, currency: 'EUR' } },
];

/** A seated event with this layout, created by the manager through the API; its id. */
export async function createEvent(t: TestApp, manager: Account, name: string, layout: object): Promise<string> {
  const res = await t.http().post('/v1/events').set(manager.auth).send({ name, layout, holdSeconds: 300 });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** The ids of the layout's seats by "Section row label" (e.g. "Stalls B2"). */
export async function seatIds(t: TestApp, eventId: string): Promise<Map<string, string>> {
  const res = await t.http().get(`/v1/events/${eventId}/layout`);
  expect(res.status).toBe(200);
  const ids = new Map<string, string>();
  for (const section of res.body.sections as {
    name: string;
    rows: { label: string; seats: { id: string; label: string }[] }[];
  }[])
    for (const row of section.rows)
      for (const seat of row.seats) ids.set(`${section.name} ${row.label}${seat.label}`, seat.id);
  return ids;
}

/** A seat's button on the map by its accessible name and status ("available", "held by you", ...). */
export const seatButton = (page: Page, name: string, status: string) =>
  page.getByRole('button', { name: `${name}, ${status}`, exact: true });

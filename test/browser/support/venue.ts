import type { Locator, Page } from 'playwright-core';
import type { Account, TestApp } from '../../support/test-app.js';
import { UI_TIMEOUT } from './browser.js';

/** The two priced categories the venue browser tests draw (amounts in ISO 4217 minor units). */
export const CATEGORIES = [
  { id: 'premium', name: 'Premium', price: { amount: 8000, currency: 'EUR' } },
  { id: 'standard', name: 'Standard', price: { amount: 4500, currency: 'EUR' } },
];

/** Box row A: two Premium seats; Stalls row B: four Standard seats. */
export const BOX_AND_STALLS = {
  categories: CATEGORIES,
  sections: [
    { name: 'Box', categoryId: 'premium', rows: [{ label: 'A', count: 2, firstLabel: 1 }] },
    { name: 'Stalls', categoryId: 'standard', rows: [{ label: 'B', count: 4, firstLabel: 1 }] },
  ],
};

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

/** The counts line: painted once the status is known (a seat may be drawn before it, as "status loading"). */
export const countsShown = (page: Page) =>
  page.getByText(/^\d+ of \d+ seats available\.$/).waitFor({ timeout: UI_TIMEOUT });

/** The accessible name of the element that has the keyboard focus. */
export const focusedName = (page: Page) => page.evaluate('document.activeElement.getAttribute("aria-label")');

/** The account holds this one seat (through the API). */
export async function holdSeat(t: TestApp, eventId: string, account: Account, seatId: string | undefined) {
  const held = await t.http().post(`/v1/events/${eventId}/seats/${seatId}/hold`).set(account.auth);
  expect(held.status).toBe(200);
}

/** A new customer who holds these seats (through the API); their account. */
export async function heldBy(
  t: TestApp,
  eventId: string,
  name: string,
  seatIds: (string | undefined)[],
): Promise<Account> {
  const holder = await t.register('customer', name);
  expect((await t.http().post(`/v1/events/${eventId}/holds`).set(holder.auth).send({ seatIds })).status).toBe(200);
  return holder;
}

/** The holder lets these seats go (through the API), one at a time. */
export async function releaseHolds(t: TestApp, eventId: string, holder: Account, seatIds: (string | undefined)[]) {
  for (const seatId of seatIds) {
    const released = await t.http().delete(`/v1/events/${eventId}/seats/${seatId}/hold`).set(holder.auth);
    expect(released.status).toBe(204);
  }
}

/** The account joins the event's waiting list for `quantity` seats of a category (through the API). */
export async function joinWaitlist(
  t: TestApp,
  eventId: string,
  account: Account,
  quantity: number,
  categoryId: string,
) {
  const joined = await t.http().post(`/v1/events/${eventId}/waitlist`).set(account.auth).send({ quantity, categoryId });
  expect(joined.status).toBe(201);
}

/**
 * Asks the page's best-available form for seats: how many, the category's option label ("Premium (€80.00)"), next
 * to each other; what is not given stays as the form has it. The form.
 */
export async function holdBestAvailable(
  page: Page,
  ask: { quantity?: number; category?: string; together?: boolean },
): Promise<Locator> {
  const best = page.getByRole('form', { name: 'Best available seats' });
  if (ask.quantity !== undefined) await best.getByLabel('How many seats').fill(String(ask.quantity));
  if (ask.category !== undefined) await best.getByLabel('Category').selectOption({ label: ask.category });
  if (ask.together) await best.getByLabel('Next to each other').check();
  await best.getByRole('button', { name: 'Hold best available' }).click();
  return best;
}

/**
 * The page's live socket through a relay, then the page reloaded (it opened its socket at sign-in; reloaded, it
 * opens the relayed one). What the page sends goes to the service as it is; `connected` is called with the function
 * that delivers a message to the page and returns what to do with each message of the service.
 */
export async function relayLiveSocket(
  page: Page,
  connected: (toPage: (message: string) => void) => (fromService: string) => void,
): Promise<void> {
  await page.context().routeWebSocket(/\/v1\/live/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => server.send(String(message)));
    const onMessage = connected((message) => ws.send(message));
    server.onMessage((message) => onMessage(String(message)));
  });
  await page.reload();
}

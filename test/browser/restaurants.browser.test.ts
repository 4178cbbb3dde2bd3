import type { Browser, Page } from 'playwright-core';
import type { Account, TestApp } from '../support/test-app.js';
import {
  fitsWidth,
  newPage,
  PASSWORD,
  screenshot,
  seriousViolations,
  signIn,
  TEST_TIMEOUT,
} from './support/browser.js';
import { browserSuite } from './support/web-app.js';

const DAY = 86_400_000;

/**
 * Restaurants in Chromium: a manager creates a restaurant and sets up a table through the screen; a customer finds a
 * timeslot with a free table for a date and party size, books it and moves it to another time.
 */
describe('Restaurants (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  browserSuite({}, (app, b) => {
    t = app;
    browser = b;
  });

  const signedIn = async (account: Account, hash: string, width?: number): Promise<Page> => {
    const page = await newPage(browser, t.url, { width });
    await signIn(page, { email: account.email, password: PASSWORD });
    await page.goto(`/${hash}`);
    return page;
  };

  it(
    'a manager sets up a restaurant; a customer books a table, moves it and cancels it',
    async () => {
      const manager = await t.register('manager', 'Marco');
      const ann = await t.register('customer', 'Ann');
      const name = `Chez ${manager.id.slice(0, 6)}`;

      const office = await signedIn(manager, '#/restaurants');
      await office.getByRole('heading', { name: 'Create a restaurant' }).waitFor();
      await office.getByLabel('Name', { exact: true }).fill(name);
      await office.getByLabel('Time zone (IANA)').fill('UTC');
      await office.getByRole('button', { name: 'Create restaurant' }).click();
      await office.getByRole('heading', { name, level: 1 }).waitFor();
      await office.getByLabel('Table name').fill('Window');
      await office.getByLabel('Seats').fill('2');
      await office.getByRole('button', { name: 'Add table' }).click();
      await office.getByRole('list', { name: 'Tables' }).getByText('Window, 2 seats').waitFor();
      // The booking part above follows the tables: a party of 2 now has a table.
      await office.getByText('No table here seats 2.').waitFor({ state: 'detached' });
      expect(await seriousViolations(office)).toEqual([]);
      expect(await fitsWidth(office)).toBe(true);
      await screenshot(office, 'restaurant-manager');
      const restaurantId = office.url().split('#/restaurants/')[1];
      expect((await t.http().get(`/v1/restaurants/${restaurantId}/tables`).expect(200)).body).toEqual([
        expect.objectContaining({ name: 'Window', seats: 2 }),
      ]);

      const page = await signedIn(ann, '#/restaurants', 360);
      await page.getByRole('link', { name }).click();
      await page.getByRole('heading', { name: 'Book a table' }).waitFor();
      // Tomorrow at the restaurant (UTC), on the service's clock: every timeslot of the day is still ahead.
      await page.getByLabel('Date', { exact: true }).fill(new Date(t.clock.now() + DAY).toISOString().slice(0, 10));
      await page.getByLabel('Party size').fill('2');
      await page.getByRole('button', { name: 'Show times' }).click();
      const slots = page.getByRole('list', { name: 'Timeslots' });
      await slots.getByRole('button', { name: 'Book 19:00, 1 free table' }).click();

      const reservations = page.getByRole('list', { name: 'Reservations' });
      await reservations.getByRole('heading', { name: '19:00 for 2' }).waitFor();
      await slots.getByRole('button', { name: 'Book 19:00, full' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, 'restaurant-booking');

      await reservations.getByLabel('New time for 19:00 for 2').selectOption({ label: '20:30' });
      await reservations.getByRole('button', { name: 'Move reservation 19:00 for 2' }).click();
      await reservations.getByRole('heading', { name: '20:30 for 2' }).waitFor();
      await slots.getByRole('button', { name: 'Book 19:00, 1 free table' }).waitFor();

      const date = new Date(t.clock.now() + DAY).toISOString().slice(0, 10);
      const stored = (
        await t.http().get(`/v1/restaurants/${restaurantId}/reservations?date=${date}`).set(ann.auth).expect(200)
      ).body as { start: string; status: string }[];
      expect(stored.map((r) => [Date.parse(r.start), r.status])).toEqual([[Date.parse(`${date}T20:30:00Z`), 'booked']]);

      await reservations.getByRole('button', { name: 'Cancel reservation 20:30 for 2' }).click();
      await reservations.getByText('No reservations on this date.').waitFor();
      await slots.getByRole('button', { name: 'Book 20:30, 1 free table' }).waitFor();
      const after = (
        await t.http().get(`/v1/restaurants/${restaurantId}/reservations?date=${date}`).set(ann.auth).expect(200)
      ).body as { status: string }[];
      expect(after.filter((r) => r.status === 'booked')).toEqual([]);
    },
    TEST_TIMEOUT,
  );
});

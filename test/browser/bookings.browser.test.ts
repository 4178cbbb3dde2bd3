import type { Browser, Page } from 'playwright-core';
import { bookingBody } from '../support/factories.js';
import type { Account, TestApp } from '../support/test-app.js';
import {
  expectStatuses,
  fitsWidth,
  newPage,
  PASSWORD,
  screenshot,
  seriousViolations,
  signIn,
  TEST_TIMEOUT,
} from './support/browser.js';
import { browserSuite } from './support/web-app.js';

/**
 * "My bookings" in Chromium: create and delete through the form, and an edit that lost to a concurrent one (412)
 * shown side by side and resolved both ways (apply mine: resent with the new ETag; keep theirs: nothing sent).
 */
describe('My bookings (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  browserSuite({}, (app, b) => {
    t = app;
    browser = b;
  });

  const openBookings = async (account: Account, width?: number): Promise<Page> => {
    const page = await newPage(browser, t.url, { width });
    await signIn(page, { email: account.email, password: PASSWORD });
    await page.goto(`/#/bookings`);
    await page.getByRole('heading', { name: 'My bookings' }).waitFor();
    return page;
  };
  const stored = async (account: Account, id: string) =>
    (await t.http().get(`/v1/bookings/${id}`).set(account.auth).expect(200)).body as { title: string; version: number };

  it(
    'creates a booking through the form and deletes it',
    async () => {
      const ann = await t.register('customer', 'Ann');
      const page = await openBookings(ann);
      await page.getByText('No bookings yet.').waitFor();

      await page.getByLabel('Title').fill('Flat in Lisbon');
      await page.getByLabel('Location').fill('Rua Augusta 1');
      await page.getByRole('button', { name: 'Add booking' }).click();

      const item = page
        .getByRole('list', { name: 'Bookings' })
        .getByRole('listitem')
        .filter({ hasText: 'Flat in Lisbon' });
      await item.waitFor();
      const listed = (await t.http().get('/v1/bookings').set(ann.auth).expect(200)).body.items;
      expect(listed).toEqual([expect.objectContaining({ title: 'Flat in Lisbon', location: 'Rua Augusta 1' })]);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, 'bookings');

      page.once('dialog', (dialog) => void dialog.accept());
      await page.getByRole('button', { name: 'Delete Flat in Lisbon' }).click();
      await page.getByText('No bookings yet.').waitFor();
      expect((await t.http().get('/v1/bookings').set(ann.auth).expect(200)).body.items).toEqual([]);
    },
    TEST_TIMEOUT,
  );

  it(
    'an edit that lost to another shows both versions; "apply mine" resends on the current version, "keep theirs" keeps it',
    async () => {
      const ann = await t.register('customer', 'Ann');
      const created = (await t.http().post('/v1/bookings').set(ann.auth).send(bookingBody(t.clock.now())).expect(201))
        .body as { id: string };
      // The same user in two browsers (a laptop and a phone), both editing the booking they loaded.
      const [laptop, phone] = await Promise.all([openBookings(ann), openBookings(ann, 360)]);
      // Each loses one edit: the 412 is part of the flow, not a failed request.
      expectStatuses(laptop, 412);
      expectStatuses(phone, 412);
      for (const page of [laptop, phone]) await page.getByRole('button', { name: 'Edit Opera' }).click();

      await laptop.getByLabel('Title').fill('Opera with Bob');
      await laptop.getByRole('button', { name: 'Save' }).click();
      await laptop.getByRole('button', { name: 'Edit Opera with Bob' }).waitFor();
      expect(await stored(ann, created.id)).toMatchObject({ title: 'Opera with Bob', version: 2 });

      await phone.getByLabel('Title').fill('Opera in Paris');
      await phone.getByLabel('Location').fill('Palais Garnier');
      await phone.getByRole('button', { name: 'Save' }).click();

      await phone.getByRole('heading', { name: 'Someone else changed this booking' }).waitFor();
      const compare = phone.getByRole('table', { name: 'Your edit and the current booking' });
      await expect(rowOf(compare, 'Title')).resolves.toEqual(['Title', 'Opera in Paris', 'Opera with Bob']);
      await expect(rowOf(compare, 'Location')).resolves.toEqual(['Location', 'Palais Garnier', '—']);
      expect(await stored(ann, created.id)).toMatchObject({ title: 'Opera with Bob', version: 2 });
      expect(await seriousViolations(phone)).toEqual([]);
      expect(await fitsWidth(phone)).toBe(true);
      await screenshot(phone, 'bookings-conflict');

      await phone.getByRole('button', { name: 'Apply mine' }).click();
      await phone.getByRole('button', { name: 'Edit Opera in Paris' }).waitFor();
      expect(await stored(ann, created.id)).toMatchObject({ title: 'Opera in Paris', version: 3 });

      // The laptop's list followed (a user event): both edit again, the phone saves first, and this time the laptop's
      // user keeps the stored version.
      await laptop.getByRole('button', { name: 'Edit Opera in Paris' }).click();
      await laptop.getByLabel('Title').fill('Opera, stalls');
      await phone.getByRole('button', { name: 'Edit Opera in Paris' }).click();
      await phone.getByLabel('Title').fill('Opera, box');
      await phone.getByRole('button', { name: 'Save' }).click();
      await phone.getByRole('button', { name: 'Edit Opera, box' }).waitFor();
      await laptop.getByRole('button', { name: 'Save' }).click();
      await laptop.getByRole('heading', { name: 'Someone else changed this booking' }).waitFor();
      await laptop.getByRole('button', { name: 'Keep theirs' }).click();
      await laptop.getByRole('button', { name: 'Edit Opera, box' }).waitFor();
      await laptop.getByRole('heading', { name: 'New booking' }).waitFor();
      expect(await stored(ann, created.id)).toMatchObject({ title: 'Opera, box', version: 4 });
    },
    TEST_TIMEOUT,
  );
});

/** The cells of the comparison table's row for a field. */
async function rowOf(table: ReturnType<Page['getByRole']>, field: string): Promise<string[]> {
  const row = table.getByRole('row').filter({ has: table.page().getByRole('rowheader', { name: field, exact: true }) });
  return (await row.locator('th, td').allInnerTexts()).map((s) => s.trim());
}

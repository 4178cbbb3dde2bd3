import type { Browser, Page } from 'playwright-core';
import type { Account, TestApp } from '../support/test-app.js';
import {
  eventually,
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
 * Appointments in Chromium: a provider publishes a window through the screen; a client picks the provider and the
 * day, reserves a slot (pending, with its countdown), confirms it, and the provider's schedule shows it confirmed.
 */
describe('Appointments (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  browserSuite({}, (app, b) => {
    t = app;
    browser = b;
  });

  const signedIn = async (account: Account, width?: number): Promise<Page> => {
    const page = await newPage(browser, t.url, { width });
    await signIn(page, { email: account.email, password: PASSWORD });
    await page.goto(`/#/appointments`);
    await page.getByRole('heading', { name: 'Appointments', level: 1 }).waitFor();
    return page;
  };

  it(
    'a provider publishes availability; a client reserves a slot, confirms and cancels it; a slower client is told',
    async () => {
      const providerName = `Dr. ${Math.random().toString(36).slice(2, 8)}`;
      const provider = await t.register('provider', providerName);
      const [ann, bob] = await Promise.all([t.register('customer', 'Ann'), t.register('customer', 'Bob')]);

      // The screen proposes the day after tomorrow, 09:00 to 12:00: past the 24 h lead time.
      const office = await signedIn(provider);
      await office.getByRole('button', { name: 'Publish' }).click();
      const open = office.getByRole('list', { name: 'Your open slots' });
      await open
        .getByRole('button', { name: /^Remove slot / })
        .nth(11)
        .waitFor();
      expect(await open.getByRole('button', { name: /^Remove slot / }).count()).toBe(12);
      expect(await seriousViolations(office)).toEqual([]);
      expect(await fitsWidth(office)).toBe(true);
      await screenshot(office, 'appointments-provider');

      const openSlots = async (page: Page) => {
        await page.getByLabel('Provider').selectOption({ label: providerName });
        await page.getByRole('button', { name: 'Show open slots' }).click();
        const slots = page.getByRole('list', { name: 'Open slots' }).getByRole('button', { name: /^Reserve / });
        await slots.nth(11).waitFor();
        return slots;
      };
      const [page, late] = await Promise.all([signedIn(ann, 360), signedIn(bob)]);
      const [slots, lateSlots] = [await openSlots(page), await openSlots(late)];
      await slots.first().click();

      const mine = page.getByRole('list', { name: 'Your appointments' });
      await mine.getByText('pending', { exact: true }).waitFor();
      // The provider's schedule shows it without a reload (a user event on the provider's socket).
      const schedule = office.getByRole('list', { name: 'Your schedule' });
      await schedule.getByText('pending', { exact: true }).waitFor();
      await mine.getByText(/Held for you: confirm within \d+:\d\d/).waitFor();
      await expect(slots.count()).resolves.toBe(11);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, 'appointments-client');

      // Bob's list still offers the slot Ann took: his click is refused (409), said, and his list reloaded.
      expectStatuses(late, 409);
      await lateSlots.first().click();
      await late.getByRole('alert').getByText('Another client has reserved this slot').waitFor();
      await eventually(async () => expect(await lateSlots.count()).toBe(11));

      await mine.getByRole('button', { name: /^Confirm appointment / }).click();
      await mine.getByText('confirmed', { exact: true }).waitFor();
      expect(await mine.getByRole('button', { name: /^Confirm appointment / }).count()).toBe(0);
      const stored = (await t.http().get('/v1/appointments').set(ann.auth).expect(200)).body.items;
      expect(stored).toEqual([expect.objectContaining({ providerId: provider.id, status: 'confirmed' })]);

      await schedule.getByText('confirmed', { exact: true }).waitFor();

      await mine.getByRole('button', { name: /^Cancel appointment / }).click();
      await mine.getByText('cancelled', { exact: true }).waitFor();
      await schedule.getByText('cancelled', { exact: true }).waitFor();
      await eventually(async () => expect(await slots.count()).toBe(12));
      expect((await t.http().get('/v1/appointments').set(ann.auth).expect(200)).body.items).toEqual([
        expect.objectContaining({ status: 'cancelled' }),
      ]);
    },
    TEST_TIMEOUT,
  );
});

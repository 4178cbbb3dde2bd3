import type { Browser, Page } from 'playwright-core';
import {
  fitsWidth,
  newPage,
  PASSWORD,
  screenshot,
  seriousViolations,
  signIn,
  TEST_TIMEOUT,
  UI_TIMEOUT,
} from './support/browser.js';
import { browserSuite } from './support/web-app.js';
import type { TestApp } from '../support/test-app.js';

/** axe-core on each screen of the box office, at desktop width and at 360 px; the seat map by keyboard alone. */
describe('accessibility of the box office (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  browserSuite({}, (app, b) => {
    t = app;
    browser = b;
  });

  const focusedName = (page: Page) =>
    page.evaluate('document.activeElement.getAttribute("aria-label") ?? document.activeElement.textContent');

  it.each([1024, 360])(
    'has no serious violations on sign-in, events and the seat map at %i px',
    async (width) => {
      const manager = await t.register('manager', 'Mia Manager');
      const page = await newPage(browser, t.url, { width });
      await page.getByRole('heading', { level: 1, name: 'Welcome to the box office' }).waitFor({ timeout: UI_TIMEOUT });
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, `signin-${width}`);

      await signIn(page, { email: manager.email, password: PASSWORD });
      // A manager creates an event through the form.
      const form = page.getByRole('form', { name: 'Create an event' });
      await form.getByLabel('Name').fill(`Gala ${width}`);
      await form.getByLabel('Number of seats').fill('40');
      await form.getByRole('button', { name: 'Create event' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Event “Gala ${width}” created with 40 seats.` })
        .waitFor();
      await page.getByRole('link', { name: `Gala ${width}` }).waitFor({ timeout: UI_TIMEOUT });
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, `events-${width}`);

      await page.getByRole('link', { name: `Gala ${width}` }).click();
      await page.getByRole('button', { name: 'Seat 1, available', exact: true }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('button', { name: 'Seat 14, available', exact: true }).click();
      await page.getByRole('button', { name: 'Seat 14, held by you', exact: true }).waitFor({ timeout: UI_TIMEOUT });
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, `seat-map-${width}`);
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'works by keyboard: skip link, arrow keys between seats, Enter holds, the result is announced',
    async () => {
      const manager = await t.register('manager', 'Kim Keys');
      const created = await t.http().post('/v1/events').set(manager.auth).send({ name: 'Keys', numberOfSeats: 30 });
      const page = await newPage(browser, t.url);
      await signIn(page, { email: manager.email, password: PASSWORD });
      await page.goto(`/#/events/${created.body.id}`);
      await page.getByRole('button', { name: 'Seat 1, available', exact: true }).waitFor({ timeout: UI_TIMEOUT });

      await page.reload();
      await page.getByRole('button', { name: 'Seat 1, available', exact: true }).waitFor({ timeout: UI_TIMEOUT });
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe('Skip to content');

      // One tab stop for the whole map; arrows move within it (a row is 10 seats).
      await page.getByRole('button', { name: 'Seat 1, available', exact: true }).focus();
      await page.keyboard.press('ArrowRight');
      expect(await focusedName(page)).toBe('Seat 2, available');
      await page.keyboard.press('ArrowDown');
      expect(await focusedName(page)).toBe('Seat 12, available');
      await page.keyboard.press('Enter');
      await page.getByRole('status').filter({ hasText: 'You hold seat 12' }).waitFor({ timeout: UI_TIMEOUT });
      expect(await focusedName(page)).toBe('Seat 12, held by you');
      await page.keyboard.press('Shift+Tab');
      expect(await focusedName(page)).not.toMatch(/^Seat \d+/);
      await page.context().close();
    },
    TEST_TIMEOUT,
  );
});

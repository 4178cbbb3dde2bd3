import type { Browser } from 'playwright-core';
import {
  expectStatuses,
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
import {
  BOX_AND_STALLS,
  CATEGORIES,
  countsShown,
  createEvent as createVenueEvent,
  focusedName,
  heldBy,
  holdBestAvailable,
  holdSeat,
  releaseHolds,
  seatButton,
  seatIds as layoutSeatIds,
} from './support/venue.js';
import type { Account, TestApp } from '../support/test-app.js';

/**
 * The seat map of a venue (sections, rows, labelled seats, price categories) in a real browser against the real
 * service: what is drawn and named, a hold seen live by a second user, best available in a category with prices,
 * a large event one section at a time from the chart and the status (never the full seat list), and a waiting
 * list's offer reaching the page.
 */
describe('venue seat map (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let manager: Account;

  browserSuite({}, async (app, b) => {
    t = app;
    browser = b;
    manager = await t.register('manager', 'Vera Venue');
  });

  /** Stalls: row A premium (1..4, seat 2 accessible), row B standard 1..6; Circle: row C standard 1..6. */
  const THEATRE = {
    categories: CATEGORIES,
    sections: [
      {
        name: 'Stalls',
        categoryId: 'standard',
        rows: [
          {
            label: 'A',
            categoryId: 'premium',
            seats: [{ label: '1' }, { label: '2', accessible: true }, { label: '3' }, { label: '4' }],
          },
          { label: 'B', count: 6, firstLabel: 1 },
        ],
      },
      { name: 'Circle', categoryId: 'standard', rows: [{ label: 'C', count: 6, firstLabel: 1 }] },
    ],
  };

  const createEvent = (name: string, layout: object) => createVenueEvent(t, manager, name, layout);

  const seatIds = (eventId: string) => layoutSeatIds(t, eventId);

  /** A signed-in customer on the event's seat map once its status is shown; every request the page makes noted. */
  async function onSeatMap(name: string, eventId: string, first: string, width?: number) {
    const account = await t.register('customer', name);
    const page = await newPage(browser, t.url, width ? { width } : {});
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await signIn(page, { email: account.email, password: PASSWORD });
    await page.goto(`/#/events/${eventId}`);
    await countsShown(page);
    await seat(page, first, 'available').waitFor();
    return { page, account, requests };
  }

  const seat = seatButton;

  it.each([1024, 360])(
    'shows sections, rows, labels, categories with prices and accessible seats; a hold is seen live (%i px)',
    async (width) => {
      const eventId = await createEvent(`Hamlet ${width}`, THEATRE);
      const [{ page: a }, { page: b }] = await Promise.all([
        onSeatMap(`Ann ${width}`, eventId, 'Stalls row A seat 1', width),
        onSeatMap(`Bob ${width}`, eventId, 'Stalls row A seat 1'),
      ]);

      for (const section of ['Stalls', 'Circle']) await a.getByRole('heading', { level: 3, name: section }).waitFor();
      // Named by section, row and label; the accessible seat says so; its category is its description.
      await seat(a, 'Stalls row A seat 2, accessible', 'available').waitFor();
      await seat(a, 'Circle row C seat 6', 'available').waitFor();
      expect(await a.getByRole('group', { name: 'Seats' }).getByRole('button').count()).toBe(16);
      await expect(seat(a, 'Stalls row A seat 1', 'available').getAttribute('title')).resolves.toBe('Premium, €80.00');
      // The legend says each category in words with its price and free seats, not by colour alone.
      const legend = a.getByRole('list', { name: 'Price categories' });
      await legend.getByText('Premium €80.00: 4 available').waitFor();
      await legend.getByText('Standard €45.00: 12 available').waitFor();
      // Each row starts with its label.
      const rowLabels = await a.locator('.row-label').allTextContents();
      expect(rowLabels).toEqual(['A', 'B', 'C']);

      await seat(a, 'Stalls row B seat 3', 'available').click();
      await seat(a, 'Stalls row B seat 3', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await a.getByRole('status').filter({ hasText: 'You hold Stalls row B seat 3' }).waitFor();
      await a.getByRole('list', { name: 'Your held seats' }).getByText('Standard, €45.00').waitFor();
      await seat(b, 'Stalls row B seat 3', 'held').waitFor({ timeout: UI_TIMEOUT });
      await b.getByRole('list', { name: 'Price categories' }).getByText('Standard €45.00: 11 available').waitFor();

      expect(await seriousViolations(a)).toEqual([]);
      expect(await fitsWidth(a)).toBe(true);
      await screenshot(a, `venue-${width}`);

      await a.getByRole('button', { name: 'Reserve Stalls row B seat 3' }).click();
      await seat(a, 'Stalls row B seat 3', 'reserved by you').waitFor({ timeout: UI_TIMEOUT });
      await a.getByRole('status').filter({ hasText: 'Stalls row B seat 3 reserved for €45.00.' }).waitFor();
      await a.getByText('Reserved by you: Stalls row B seat 3. Total €45.00.').waitFor();
      await seat(b, 'Stalls row B seat 3', 'reserved').waitFor({ timeout: UI_TIMEOUT });

      await a.context().close();
      await b.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'holds the best two Premium seats together, reserves them with their total; the other map follows',
    async () => {
      const eventId = await createEvent('Macbeth', THEATRE);
      const [{ page: a }, { page: b }] = await Promise.all([
        onSeatMap('Cat', eventId, 'Stalls row A seat 1'),
        onSeatMap('Dan', eventId, 'Stalls row A seat 1'),
      ]);
      // B takes A1: the best two Premium seats together left are the centre pair A2, A3.
      await seat(b, 'Stalls row A seat 1', 'available').click();
      await seat(a, 'Stalls row A seat 1', 'held').waitFor({ timeout: UI_TIMEOUT });

      await holdBestAvailable(a, { quantity: 2, category: 'Premium (€80.00)', together: true });
      await a
        .getByRole('status')
        .filter({ hasText: /^You hold Stalls row A seats \d, \d\.$/ })
        .waitFor({ timeout: UI_TIMEOUT });
      const held = a.getByRole('group', { name: 'Seats' }).getByRole('button', { name: /held by you$/ });
      await expect(held.count()).resolves.toBe(2);
      const names = (await held.evaluateAll((buttons) => buttons.map((x) => x.getAttribute('aria-label')))) as string[];
      for (const name of names) expect(name).toMatch(/^Stalls row A seat [234](, accessible)?, held by you$/);
      for (const name of names)
        await seat(b, name.replace(', held by you', ''), 'held').waitFor({ timeout: UI_TIMEOUT });
      // The README's picture: two Premium seats held with their prices and countdowns, one held by someone else.
      await screenshot(a, 'venue-seat-map');

      await a.getByRole('button', { name: 'Reserve all 2 held seats (€160.00)' }).click();
      await a
        .getByRole('status')
        .filter({ hasText: /reserved for €160\.00\./ })
        .waitFor({ timeout: UI_TIMEOUT });
      await a.getByText(/^Reserved by you: Stalls row A seats \d, \d\. Total €160\.00\.$/).waitFor();
      for (const name of names)
        await seat(b, name.replace(', held by you', ''), 'reserved').waitFor({ timeout: UI_TIMEOUT });

      // Three more Premium seats are not there: said so, with the waiting list on offer.
      expectStatuses(a, 409);
      await holdBestAvailable(a, { quantity: 3 });
      await a
        .getByRole('alert')
        .filter({ hasText: 'There are not 3 Premium seats available next to each other (1 free)' })
        .waitFor({ timeout: UI_TIMEOUT });
      await a.getByRole('form', { name: 'Join the waiting list' }).waitFor();

      await a.context().close();
      await b.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'works by keyboard: Left/Right along the row, Up/Down to the nearest seat of the next row, Enter holds',
    async () => {
      const eventId = await createEvent('Lear', THEATRE);
      const { page } = await onSeatMap('Kim', eventId, 'Stalls row A seat 1');
      const focused = () => focusedName(page);
      await seat(page, 'Stalls row A seat 1', 'available').focus();
      const steps: [string, string][] = [
        ['ArrowRight', 'Stalls row A seat 2, accessible, available'],
        ['ArrowRight', 'Stalls row A seat 3, available'],
        ['ArrowRight', 'Stalls row A seat 4, available'],
        ['ArrowDown', 'Stalls row B seat 4, available'],
        ['End', 'Circle row C seat 6, available'],
        ['ArrowUp', 'Stalls row B seat 6, available'],
        // Row A has four seats: the nearest to the sixth column is its last.
        ['ArrowUp', 'Stalls row A seat 4, available'],
        ['ArrowDown', 'Stalls row B seat 4, available'],
        ['ArrowDown', 'Circle row C seat 4, available'],
        ['ArrowLeft', 'Circle row C seat 3, available'],
      ];
      for (const [key, name] of steps) {
        await page.keyboard.press(key);
        expect(await focused()).toBe(name);
      }
      await page.getByText('Circle row C seat 3 · Standard, €45.00 · available').waitFor();
      await page.keyboard.press('Enter');
      await page
        .getByRole('status')
        .filter({ hasText: 'You hold Circle row C seat 3' })
        .waitFor({ timeout: UI_TIMEOUT });
      expect(await focused()).toBe('Circle row C seat 3, held by you');
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a large event is drawn from the chart and the status, one section at a time; a hold there is seen live',
    async () => {
      // 1,500 seats: more than one view holds (SEATS_PER_VIEW, 1,000), so one section at a time.
      const rows = (count: number, from: number) =>
        Array.from({ length: count }, (_, i) => ({ label: String(from + i), count: 50, firstLabel: 1 }));
      const eventId = await createEvent('Stadium', {
        categories: CATEGORIES,
        sections: [
          { name: 'North', categoryId: 'standard', rows: rows(20, 1) },
          { name: 'South', categoryId: 'premium', rows: rows(10, 1) },
        ],
      });
      const [a, b] = await Promise.all([
        onSeatMap('Eve', eventId, 'North row 1 seat 1'),
        onSeatMap('Fay', eventId, 'North row 1 seat 1'),
      ]);
      const map = a.page.getByRole('group', { name: 'Seats' });
      await expect(map.getByRole('button').count()).resolves.toBe(1000);
      await a.page.getByText('1500 of 1500 seats available.').waitFor();

      for (const { page } of [a, b])
        await page.getByLabel('Section').selectOption({ label: 'South (500 of 500 available)' });
      await expect(map.getByRole('button').count()).resolves.toBe(500);
      await seat(a.page, 'South row 4 seat 25', 'available').click();
      await seat(a.page, 'South row 4 seat 25', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(b.page, 'South row 4 seat 25', 'held').waitFor({ timeout: UI_TIMEOUT });
      await b.page.getByLabel('Section').getByRole('option', { name: 'South (499 of 500 available)' }).waitFor({
        state: 'attached',
      });
      // Best available in another section shows that section.
      await holdBestAvailable(b.page, { category: 'Standard (€45.00)' });
      await b.page
        .getByRole('status')
        .filter({ hasText: /^You hold North row 1 seats \d+, \d+\.$/ })
        .waitFor({
          timeout: UI_TIMEOUT,
        });
      await expect(b.page.getByLabel('Section').inputValue()).resolves.toBe('0');
      await expect(
        b.page
          .getByRole('group', { name: 'Seats' })
          .getByRole('button', { name: /held by you$/ })
          .count(),
      ).resolves.toBe(2);
      await screenshot(a.page, 'venue-large');
      expect(await seriousViolations(a.page)).toEqual([]);

      // The chart and the status, never the whole seat list.
      for (const { requests } of [a, b]) {
        expect(requests.filter((url) => url.includes('/seats?'))).toEqual([]);
        expect(requests.filter((url) => url.includes(`/v1/events/${eventId}/layout`)).length).toBeGreaterThan(0);
        expect(requests.filter((url) => url.includes(`/v1/events/${eventId}/seat-status`)).length).toBeGreaterThan(0);
      }
      await a.page.context().close();
      await b.page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'the largest event (20,000 seats): 1,000 buttons at a time; a change in a section not shown reaches its counts',
    async () => {
      const sections = Array.from({ length: 20 }, (_, i) => ({
        name: `Block ${i + 1}`,
        categoryId: i < 5 ? 'premium' : 'standard',
        rows: Array.from({ length: 20 }, (_, r) => ({ label: String(r + 1), count: 50, firstLabel: 1 })),
      }));
      const eventId = await createEvent('Final', { categories: CATEGORIES, sections });
      const { page } = await onSeatMap('Lou', eventId, 'Block 1 row 1 seat 1');
      await page.getByText('20000 of 20000 seats available.').waitFor({ timeout: UI_TIMEOUT });
      await expect(page.getByRole('group', { name: 'Seats' }).getByRole('button').count()).resolves.toBe(1000);
      await expect(page.getByLabel('Section').locator('option').count()).resolves.toBe(20);

      // Someone else holds the last seat of the last block, which this page has no button for.
      const ids = await seatIds(eventId);
      const other = await t.register('customer', 'Max Other');
      await holdSeat(t, eventId, other, ids.get('Block 20 2050'));
      await page.getByText('19999 of 20000 seats available.').waitFor({ timeout: UI_TIMEOUT });
      await page
        .getByLabel('Section')
        .getByRole('option', { name: 'Block 20 (999 of 1000 available)' })
        .waitFor({ state: 'attached' });
      await page.getByLabel('Section').selectOption({ label: 'Block 20 (999 of 1000 available)' });
      await seat(page, 'Block 20 row 20 seat 50', 'held').waitFor();
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a sold-out category: join the waiting list, see your place; a release offers the seats, held with a countdown',
    async () => {
      const eventId = await createEvent('Othello', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const holder = await heldBy(t, eventId, 'Hal Holder', [ids.get('Box A1'), ids.get('Box A2')]);

      const { page } = await onSeatMap('Gil', eventId, 'Stalls row B seat 1');
      await seat(page, 'Box row A seat 1', 'held').waitFor();
      // Premium is sold out: the waiting list is on offer at once, for that category.
      const join = page.getByRole('form', { name: 'Join the waiting list' });
      await join.waitFor({ timeout: UI_TIMEOUT });
      await expect(join.getByLabel('Category').inputValue()).resolves.toBe('premium');
      expectStatuses(page, 409);
      await holdBestAvailable(page, { quantity: 2, category: 'Premium (€80.00)' });
      await page.getByRole('alert').filter({ hasText: 'There are not 2 Premium seats available' }).waitFor({
        timeout: UI_TIMEOUT,
      });

      await expect(join.getByLabel('Seats wanted').inputValue()).resolves.toBe('2');
      await expect(join.getByLabel('Category').inputValue()).resolves.toBe('premium');
      await join.getByRole('button', { name: 'Join the waiting list' }).click();
      await page.getByText('You are number 1 in line for 2 seats (Premium).').waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('status').filter({ hasText: 'You joined the waiting list: number 1 in line.' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);

      // The holder lets both seats go: they are offered to the line's head in the same step, never available.
      await releaseHolds(t, eventId, holder, [ids.get('Box A1'), ids.get('Box A2')]);
      await page
        .getByRole('status')
        .filter({ hasText: /^From the waiting list: Box row A seats 1, 2 are held for you for \d+:\d\d\. Reserve/ })
        .waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Box row A seat 1', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Box row A seat 2', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await expect(page.locator('.countdown').count()).resolves.toBe(2);
      await page
        .getByText(/^(10:00|9:\d\d) left$/)
        .first()
        .waitFor();
      await page.getByRole('heading', { name: 'Waiting list' }).waitFor({ state: 'hidden' });
      await screenshot(page, 'venue-waitlist-offer');

      await page.getByRole('button', { name: 'Reserve all 2 held seats (€160.00)' }).click();
      await seat(page, 'Box row A seat 2', 'reserved by you').waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );
});

import type { Browser, Page } from 'playwright-core';
import { expectStatuses, newPage, PASSWORD, screenshot, signIn, TEST_TIMEOUT, UI_TIMEOUT } from './support/browser.js';
import { browserSuite } from './support/web-app.js';
import type { Account, TestApp } from '../support/test-app.js';

const HOLD_SECONDS = 30;

/**
 * Two users, each in a browser context of their own, on one seat map served by the real service: what one does,
 * the other sees live; contention is decided by the service and each page says who won.
 */
describe('box office (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let manager: Account;

  // The hold-expiry sweeper runs (tests turn it off by default): it is what announces a lapsed hold.
  browserSuite({ holdSweepIntervalMs: 50 }, async (app, b) => {
    t = app;
    browser = b;
    manager = await t.register('manager', 'Mo Manager');
  });

  async function createEvent(seats = 20): Promise<string> {
    const res = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: `Concert ${seats}`, numberOfSeats: seats, holdSeconds: HOLD_SECONDS });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  /** A signed-in customer on the event's seat map, once the map is listed. */
  async function onSeatMap(name: string, eventId: string): Promise<Page> {
    const account = await t.register('customer', name);
    const page = await newPage(browser, t.url);
    await signIn(page, { email: account.email, password: PASSWORD });
    await page.goto(`/#/events/${eventId}`);
    await seat(page, 1, 'available').waitFor({ timeout: UI_TIMEOUT });
    return page;
  }

  const seat = (page: Page, number: number, status: string) =>
    page.getByRole('button', { name: `Seat ${number}, ${status}`, exact: true });

  it(
    'A holds a seat and B sees it held; B is told it is taken; the hold lapses and B sees it free',
    async () => {
      const eventId = await createEvent();
      const [a, b] = await Promise.all([onSeatMap('Ann', eventId), onSeatMap('Bob', eventId)]);

      await seat(a, 12, 'available').click();
      await seat(a, 12, 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await a.getByRole('status').filter({ hasText: 'You hold seat 12' }).waitFor();
      await a.getByText(/^\d+:\d\d left$/).waitFor();
      await seat(b, 12, 'held').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(a, 'seat-map-hold');

      expectStatuses(b, 409);
      await seat(b, 12, 'held').click();
      await b.getByRole('alert').filter({ hasText: 'Seat 12 is taken' }).waitFor({ timeout: UI_TIMEOUT });
      await seat(b, 12, 'held').waitFor();

      // Past the hold time by the service's clock: the sweeper frees the seat and announces it to every map.
      t.clock.advance((HOLD_SECONDS + 1) * 1000);
      await seat(b, 12, 'available').waitFor({ timeout: UI_TIMEOUT });
      await seat(a, 12, 'available').waitFor({ timeout: UI_TIMEOUT });
      await a.getByRole('alert').filter({ hasText: 'Your hold on seat 12 ran out' }).waitFor({ timeout: UI_TIMEOUT });

      await a.context().close();
      await b.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'both click one seat at once: exactly one holds it, the other is told it was taken; the winner reserves',
    async () => {
      const eventId = await createEvent();
      const pages = await Promise.all([onSeatMap('Cat', eventId), onSeatMap('Dan', eventId)]);
      for (const page of pages) expectStatuses(page, 409);

      await Promise.all(pages.map((page) => seat(page, 5, 'available').click()));
      const outcome = (page: Page) =>
        Promise.race([
          seat(page, 5, 'held by you')
            .waitFor({ timeout: UI_TIMEOUT })
            .then(() => 'won'),
          page
            .getByRole('alert')
            .filter({ hasText: 'Seat 5 is taken' })
            .waitFor({ timeout: UI_TIMEOUT })
            .then(() => 'lost'),
        ]);
      const outcomes = await Promise.all(pages.map(outcome));
      expect([...outcomes].sort()).toEqual(['lost', 'won']);

      const winner = pages[outcomes.indexOf('won')]!;
      const loser = pages[outcomes.indexOf('lost')]!;
      await seat(loser, 5, 'held').waitFor({ timeout: UI_TIMEOUT });
      await winner.getByRole('button', { name: 'Reserve seat 5' }).click();
      await seat(winner, 5, 'reserved by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(loser, 5, 'reserved').waitFor({ timeout: UI_TIMEOUT });

      // Both reserve one seat at once: each holds a seat of its own first, then both press reserve on seat 7, which
      // only one holds. The service decides; the other page is told, and no page shows a seat it does not have.
      await seat(loser, 7, 'available').click();
      await seat(loser, 7, 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(winner, 7, 'held').click();
      await winner.getByRole('alert').filter({ hasText: 'Seat 7 is taken' }).waitFor({ timeout: UI_TIMEOUT });
      await loser.getByRole('button', { name: 'Reserve seat 7' }).click();
      await seat(loser, 7, 'reserved by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(winner, 7, 'reserved').waitFor({ timeout: UI_TIMEOUT });

      for (const page of pages) await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'holds the best 3 seats together, renews and releases one, reserves the rest; the other map follows',
    async () => {
      const eventId = await createEvent();
      const [a, b] = await Promise.all([onSeatMap('Eve', eventId), onSeatMap('Fay', eventId)]);

      // B holds seat 2, so the best three together are 3, 4, 5.
      await seat(b, 2, 'available').click();
      await seat(b, 2, 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(a, 2, 'held').waitFor({ timeout: UI_TIMEOUT });

      const best = a.getByRole('form', { name: 'Best available seats' });
      await best.getByLabel('How many seats').fill('3');
      await best.getByLabel('Next to each other').check();
      await best.getByRole('button', { name: 'Hold best available' }).click();
      for (const n of [3, 4, 5]) {
        await seat(a, n, 'held by you').waitFor({ timeout: UI_TIMEOUT });
        await seat(b, n, 'held').waitFor({ timeout: UI_TIMEOUT });
      }

      await a.getByRole('status').filter({ hasText: 'You hold seats 3, 4, 5.' }).waitFor();
      await a.getByRole('button', { name: 'Renew seat 4' }).click();
      await a.getByRole('status').filter({ hasText: 'Renewed seat 4' }).waitFor({ timeout: UI_TIMEOUT });
      // The README's picture: three seats held with their countdowns, one held by someone else.
      await screenshot(a, 'seat-map');
      await a.getByRole('button', { name: 'Release seat 5' }).click();
      await seat(a, 5, 'available').waitFor({ timeout: UI_TIMEOUT });
      await seat(b, 5, 'available').waitFor({ timeout: UI_TIMEOUT });

      await a.getByRole('button', { name: 'Reserve all 2 held seats' }).click();
      for (const n of [3, 4]) {
        await seat(a, n, 'reserved by you').waitFor({ timeout: UI_TIMEOUT });
        await seat(b, n, 'reserved').waitFor({ timeout: UI_TIMEOUT });
      }
      await a.getByRole('status').filter({ hasText: 'Seats 3, 4 reserved.' }).waitFor();
      await a.getByText('Reserved by you: seats 3, 4.').waitFor();
      await screenshot(a, 'seat-map-reserved');
      // A release is not a lapse: no "ran out" message was shown for seat 5.
      expect(await a.getByText('ran out').count()).toBe(0);

      // After a reload the page still knows which seats are A's.
      await a.reload();
      await seat(a, 3, 'reserved by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(b, 2, 'held by you').waitFor();
      await b.reload();
      await seat(b, 2, 'held by you').waitFor({ timeout: UI_TIMEOUT });

      await a.context().close();
      await b.context().close();
    },
    TEST_TIMEOUT,
  );
});

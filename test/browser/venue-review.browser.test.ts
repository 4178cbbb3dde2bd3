import type { Browser, Page, Route } from 'playwright-core';
import {
  eventually,
  expectStatuses,
  fitsWidth,
  newPage,
  PASSWORD,
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
  joinWaitlist,
  relayLiveSocket,
  releaseHolds,
  seatButton,
  seatIds as layoutSeatIds,
} from './support/venue.js';
import type { Account, TestApp } from '../support/test-app.js';

/**
 * The venue map's review: reservations cancelled while the page is open, rows longer than a view, no seat shown
 * available before the status is known (and a failed status read tried again), an offer that lapses, your own holds
 * not counted as sold out, prices in ISO 4217 minor units, an old live update replayed after the status read.
 */
describe('venue seat map, review (browser)', () => {
  let t: TestApp;
  let browser: Browser;
  let manager: Account;

  // The sweeper runs (tests move the clock past an offer's time).
  browserSuite({ holdSweepIntervalMs: 50 }, async (app, b) => {
    t = app;
    browser = b;
    manager = await t.register('manager', 'Rita Review');
  });

  const createEvent = (name: string, layout: object) => createVenueEvent(t, manager, name, layout);

  const seatIds = (eventId: string) => layoutSeatIds(t, eventId);

  /** A signed-in customer's page in British English (the assertions' number and currency formats). */
  async function signedIn(name: string, width = 1024) {
    const account = await t.register('customer', name);
    const page = await newPage(browser, t.url, { width, locale: 'en-GB' });
    await signIn(page, { email: account.email, password: PASSWORD });
    return { page, account };
  }

  async function onSeatMap(name: string, eventId: string, width?: number) {
    const signed = await signedIn(name, width);
    await signed.page.goto(`/#/events/${eventId}`);
    await countsShown(signed.page);
    return signed;
  }

  const seat = seatButton;

  const alertText = async (page: Page) => (await page.locator('[role=alert]').textContent()) ?? '';

  it(
    'a reservation is cancelled from the page, and one cancelled by the manager leaves "reserved by you" and the total',
    async () => {
      const eventId = await createEvent('Tempest', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const { page } = await onSeatMap('Cara Cancel', eventId);
      for (const label of ['1', '2']) {
        await seat(page, `Stalls row B seat ${label}`, 'available').click();
        await seat(page, `Stalls row B seat ${label}`, 'held by you').waitFor({ timeout: UI_TIMEOUT });
      }
      await page.getByRole('button', { name: 'Reserve all 2 held seats (€90.00)' }).click();
      await page.getByText('Reserved by you: Stalls row B seats 1, 2. Total €90.00.').waitFor({ timeout: UI_TIMEOUT });

      // Cancelled here: the seat is free again and out of the total.
      const reservations = page.getByRole('list', { name: 'Your reservations' });
      await reservations.getByRole('button', { name: 'Cancel Stalls row B seat 1' }).click();
      await seat(page, 'Stalls row B seat 1', 'available').waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('Reserved by you: Stalls row B seat 2. Total €45.00.').waitFor({ timeout: UI_TIMEOUT });

      // Cancelled by the manager while the page is open: the socket says so.
      const cancelled = await t
        .http()
        .delete(`/v1/events/${eventId}/seats/${ids.get('Stalls B2')}/reservation`)
        .set(manager.auth);
      expect(cancelled.status).toBe(204);
      await seat(page, 'Stalls row B seat 2', 'available').waitFor({ timeout: UI_TIMEOUT });
      await reservations.waitFor({ state: 'hidden' });
      await expect(page.getByText(/^Reserved by you:/).count()).resolves.toBe(0);
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a row longer than a view is cut into runs of 1,000 seats, picked by section (360 px, axe)',
    async () => {
      const eventId = await createEvent('Arena', {
        categories: CATEGORIES,
        sections: [
          { name: 'Arena', categoryId: 'standard', rows: [{ label: '1', count: 1500, firstLabel: 1 }] },
          { name: 'Floor', categoryId: 'premium', rows: [{ label: 'F', count: 20, firstLabel: 1 }] },
        ],
      });
      const { page } = await onSeatMap('Rowan Run', eventId, 360);
      const map = page.getByRole('group', { name: 'Seats' });
      await expect(map.getByRole('button').count()).resolves.toBe(1000);
      const picker = page.getByLabel('Section');
      await expect(picker.locator('option').allTextContents()).resolves.toEqual([
        'Arena row 1 seats 1–1000 (1000 of 1000 available)',
        'Arena row 1 seats 1001–1500 (500 of 500 available)',
        'Floor (20 of 20 available)',
      ]);
      await picker.selectOption({ label: 'Arena row 1 seats 1001–1500 (500 of 500 available)' });
      await seat(page, 'Arena row 1 seat 1500', 'available').waitFor();
      await expect(map.getByRole('button').count()).resolves.toBe(500);
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'no seat is shown available before the status is known; a failed status read is tried again',
    async () => {
      const eventId = await createEvent('Pericles', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const { page } = await signedIn('Lola Loading');
      expectStatuses(page, 503);
      // No socket (its `subscribed` would read the status again): the page's own read is all there is. The page
      // opens a socket at sign-in: reloaded, it opens the routed one.
      await page.context().routeWebSocket(/\/v1\/live/, () => undefined);
      await page.reload();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let reads = 0;
      await page.route(`**/v1/events/${eventId}/seat-status`, async (route: Route) => {
        if (++reads > 1) return route.continue();
        await released;
        await route.fulfill({
          status: 503,
          contentType: 'application/problem+json',
          body: JSON.stringify({ type: 'about:blank', title: 'Busy', status: 503, code: 'SERVICE_UNAVAILABLE' }),
        });
      });
      // Someone holds a seat while the page loads.
      const other = await t.register('customer', 'Otto Other');
      await holdSeat(t, eventId, other, ids.get('Stalls B1'));
      await page.goto(`/#/events/${eventId}`);
      await seat(page, 'Stalls row B seat 1', 'status loading').waitFor({ timeout: UI_TIMEOUT });
      await expect(seat(page, 'Box row A seat 1', 'status loading').getAttribute('aria-disabled')).resolves.toBe(
        'true',
      );
      await expect(page.getByRole('button', { name: /, available$/ }).count()).resolves.toBe(0);
      release();
      // The read fails, is said, and is tried again: the map is right then.
      await page.getByRole('alert').filter({ hasText: /\S/ }).waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Stalls row B seat 1', 'held').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Box row A seat 1', 'available').waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('5 of 6 seats available.').waitFor();
      expect(reads).toBeGreaterThanOrEqual(2);
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'holding the last seats of a category yourself is not sold out: no waiting list on offer',
    async () => {
      const eventId = await createEvent('Cymbeline', BOX_AND_STALLS);
      const { page } = await onSeatMap('Sol Self', eventId);
      await holdBestAvailable(page, { quantity: 2, category: 'Premium (€80.00)' });
      await page.getByRole('status').filter({ hasText: 'You hold Box row A seats 1, 2.' }).waitFor({
        timeout: UI_TIMEOUT,
      });
      // The counts and the sold-out check run together: once the legend says 0, the check has run.
      await page
        .getByRole('list', { name: 'Price categories' })
        .getByText('Premium €80.00: 0 available')
        .waitFor({ timeout: UI_TIMEOUT });
      await expect(page.getByRole('form', { name: 'Join the waiting list' }).isVisible()).resolves.toBe(false);
      // The held seats' list says their category (inside the list, not anywhere on the page).
      await page.getByRole('list', { name: 'Your held seats' }).getByText('Premium, €80.00').first().waitFor();
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'an offer that lapses unreserved: said once, out of the line, the join form back',
    async () => {
      const eventId = await createEvent('Timon', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const both = [ids.get('Box A1'), ids.get('Box A2')];
      const holder = await heldBy(t, eventId, 'Hugo Holder', both);
      const { page } = await onSeatMap('Ola Offer', eventId);
      const join = page.getByRole('form', { name: 'Join the waiting list' });
      await join.waitFor({ timeout: UI_TIMEOUT });
      await join.getByLabel('Seats wanted').fill('2');
      await join.getByRole('button', { name: 'Join the waiting list' }).click();
      await page.getByText('You are number 1 in line for 2 seats (Premium).').waitFor({ timeout: UI_TIMEOUT });

      await releaseHolds(t, eventId, holder, both);
      await seat(page, 'Box row A seat 2', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('heading', { name: 'Waiting list' }).waitFor({ state: 'hidden' });

      // Past the offer's time by the service's clock: the sweeper frees both seats.
      t.clock.advance((t.config.waitlistOfferSeconds + 1) * 1000);
      await seat(page, 'Box row A seat 1', 'available').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Box row A seat 2', 'available').waitFor({ timeout: UI_TIMEOUT });
      await eventually(async () =>
        expect(await alertText(page)).toBe('Your offer ran out; you have left the waiting list.'),
      );
      await join.waitFor({ timeout: UI_TIMEOUT });
      await expect(join.getByLabel('Seats wanted').inputValue()).resolves.toBe('2');
      await expect(join.getByLabel('Category').inputValue()).resolves.toBe('premium');
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a change while the status read is on the wire, and an old update replayed after it: the map is right',
    async () => {
      const eventId = await createEvent('Pericles II', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const other = await t.register('customer', 'Nia Nearby');
      const { page } = await signedIn('Ned Replay');
      // Every message of the service to the page passes here (and is kept), so an old one can be sent again.
      const fromService: Record<string, unknown>[] = [];
      let toPage!: (message: string) => void;
      await relayLiveSocket(page, (send) => {
        toPage = send;
        return (message) => {
          fromService.push(JSON.parse(message) as Record<string, unknown>);
          send(message);
        };
      });
      const updateOf = (seatId: string | undefined) =>
        fromService.find((m) => m.type === 'seat.updated' && m.seatId === seatId);
      // Every status read waits until the seat has changed and its live update has reached the page.
      let changing: Promise<void> | undefined;
      const change = async () => {
        // Once the page follows the event (else the change would be in the subscription's starting point).
        await eventually(async () =>
          expect(fromService.some((m) => m.type === 'subscribed' && m.eventId === eventId)).toBe(true),
        );
        await holdSeat(t, eventId, other, ids.get('Stalls B1'));
        await eventually(async () => expect(updateOf(ids.get('Stalls B1'))).toBeDefined());
      };
      await page.route(`**/v1/events/${eventId}/seat-status`, async (route: Route) => {
        await (changing ??= change());
        await route.continue();
      });
      await page.goto(`/#/events/${eventId}`);
      await page.getByText('5 of 6 seats available.').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Stalls row B seat 1', 'held').waitFor();

      // The same change sent again, now saying "available" with its old seq (at or below the status's): ignored.
      expect(updateOf(ids.get('Stalls B1'))).toBeDefined();
      toPage(JSON.stringify({ ...updateOf(ids.get('Stalls B1')), status: 'available' }));
      // A later change, after it on the same socket: once it is shown, the replayed one has been handled.
      await holdSeat(t, eventId, other, ids.get('Stalls B2'));
      await seat(page, 'Stalls row B seat 2', 'held').waitFor({ timeout: UI_TIMEOUT });
      await expect(seat(page, 'Stalls row B seat 1', 'held').count()).resolves.toBe(1);
      await page.getByText('4 of 6 seats available.').waitFor();
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    "a hold's answer before the socket's older `available` of that seat: no lapse, still held by you",
    async () => {
      const eventId = await createEvent('Pericles III', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const other = await t.register('customer', 'Pia Marker');
      const { page, account } = await signedIn('Hal Hold');
      // The service's messages to the page wait while `gated`, then go in their order.
      let gated = false;
      const queued: string[] = [];
      let flush!: () => void;
      await relayLiveSocket(page, (send) => {
        flush = () => {
          gated = false;
          for (const message of queued.splice(0)) send(message);
        };
        return (message) => (gated ? queued.push(message) : send(message));
      });
      await page.goto(`/#/events/${eventId}`);
      await countsShown(page);
      await seat(page, 'Stalls row B seat 1', 'available').click();
      await seat(page, 'Stalls row B seat 1', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('5 of 6 seats available.').waitFor({ timeout: UI_TIMEOUT });

      // Let go elsewhere (another tab), then held again here: the socket's `available` comes after the answer.
      gated = true;
      const released = await t
        .http()
        .delete(`/v1/events/${eventId}/seats/${ids.get('Stalls B1')}/hold`)
        .set(account.auth);
      expect(released.status).toBe(204);
      await page.getByRole('button', { name: 'Renew Stalls row B seat 1' }).click();
      await page
        .getByRole('status')
        .filter({ hasText: 'Renewed Stalls row B seat 1' })
        .waitFor({ timeout: UI_TIMEOUT });
      flush();
      // A later change: once it is shown, the held-back messages have been handled.
      await holdSeat(t, eventId, other, ids.get('Stalls B4'));
      await seat(page, 'Stalls row B seat 4', 'held').waitFor({ timeout: UI_TIMEOUT });
      await expect(seat(page, 'Stalls row B seat 1', 'held by you').count()).resolves.toBe(1);
      await page
        .getByRole('list', { name: 'Your held seats' })
        .getByText('Stalls row B seat 1', { exact: true })
        .waitFor();
      expect(await alertText(page)).toBe('');
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'an offer that arrives while the page reads your holds stays yours (the older list does not wipe it)',
    async () => {
      const eventId = await createEvent('Timon II', BOX_AND_STALLS);
      const ids = await seatIds(eventId);
      const both = [ids.get('Box A1'), ids.get('Box A2')];
      const holder = await heldBy(t, eventId, 'Hana Holder', both);
      const { page, account } = await signedIn('Wes Waiting');
      await joinWaitlist(t, eventId, account, 2, 'premium');
      let first = true;
      let failure: unknown;
      // The page reads the status again when its socket has subscribed: then the socket is there for the offer.
      let statusReads = 0;
      page.on('request', (request) => void (request.url().includes('/seat-status') && statusReads++));
      await page.route('**/v1/users/me/holds', async (route: Route) => {
        if (!first) return route.continue();
        first = false;
        // The list is read (no holds yet); before it reaches the page the seats are offered and the page shows them.
        const response = await route.fetch();
        try {
          await eventually(async () => expect(statusReads).toBeGreaterThanOrEqual(2));
          await releaseHolds(t, eventId, holder, both);
          await page
            .getByRole('list', { name: 'Your held seats' })
            .locator('.countdown')
            .nth(1)
            .waitFor({ timeout: UI_TIMEOUT });
        } catch (error) {
          failure = error;
        } finally {
          await route.fulfill({ response });
        }
      });
      // The reservations are read right after the holds list is applied; the page paints once they are in.
      const reservationsRead = page.waitForResponse((r) => r.url().includes('/v1/users/me/reservations'));
      await page.goto(`/#/events/${eventId}`);
      await reservationsRead;
      if (failure) throw failure;
      // A frame and a task later the page has painted what it made of them.
      await page.evaluate('new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)))');
      await page.getByText('4 of 6 seats available.').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Box row A seat 1', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 'Box row A seat 2', 'held by you').waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('button', { name: 'Reserve all 2 held seats (€160.00)' }).waitFor();
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'an offer in another section does not switch the map away from a keyboard user (focus stays on their seat)',
    async () => {
      const eventId = await createEvent('Coriolanus', {
        categories: CATEGORIES,
        sections: [
          {
            name: 'North',
            categoryId: 'standard',
            rows: Array.from({ length: 20 }, (_, r) => ({ label: String(r + 1), count: 50, firstLabel: 1 })),
          },
          { name: 'South', categoryId: 'premium', rows: [{ label: 'P', count: 2, firstLabel: 1 }] },
        ],
      });
      const ids = await seatIds(eventId);
      const both = [ids.get('South P1'), ids.get('South P2')];
      const holder = await heldBy(t, eventId, 'Kai Keeper', both);
      const { page, account } = await onSeatMap('Fern Focus', eventId);
      await joinWaitlist(t, eventId, account, 2, 'premium');
      const focused = () => focusedName(page);
      await seat(page, 'North row 1 seat 1', 'available').focus();
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('North row 1 seat 2, available');

      await releaseHolds(t, eventId, holder, both);
      await page
        .getByRole('status')
        .filter({ hasText: /^From the waiting list: South row P seats 1, 2 are held for you/ })
        .waitFor({ timeout: UI_TIMEOUT });
      expect(await focused()).toBe('North row 1 seat 2, available');
      await expect(page.getByLabel('Section').inputValue()).resolves.toBe('0');
      await page.keyboard.press('ArrowRight');
      expect(await focused()).toBe('North row 1 seat 3, available');
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'prices in ISO 4217 minor units: 8000 IQD (exponent 3) is IQD 8.000, not IQD 8,000',
    async () => {
      const eventId = await createEvent('Iraqi tour', {
        categories: [{ id: 'general', name: 'General', price: { amount: 8000, currency: 'IQD' } }],
        sections: [{ name: 'Hall', categoryId: 'general', rows: [{ label: 'A', count: 3, firstLabel: 1 }] }],
      });
      const { page } = await onSeatMap('Ida Dinar', eventId);
      await page
        .getByRole('list', { name: 'Price categories' })
        .getByText('General IQD 8.000: 3 available')
        .waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );
});

import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import {
  eventually,
  expectStatuses,
  newPage,
  PASSWORD,
  resetStatuses,
  signIn,
  TEST_TIMEOUT,
  UI_TIMEOUT,
  watchPage,
} from './support/browser.js';
import { browserSuite } from './support/web-app.js';
import { waitFor } from '../support/live.js';
import type { TestApp } from '../support/test-app.js';

const HOLD_SECONDS = 30;
const ACCESS_TOKEN_SECONDS = 60;
const LIVE = /\/v1\/live/;

/**
 * What issue 17's review found in the web app, in Chromium against the real service: tabs that share a session,
 * an access token that expires mid-session, a socket that never subscribes or is told to resync, two users pressing
 * at once, and a lapse after a release.
 */
describe('web app when things go wrong (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  browserSuite({ holdSweepIntervalMs: 50, accessTokenTtlSeconds: ACCESS_TOKEN_SECONDS }, (app, b) => {
    t = app;
    browser = b;
  });

  // Tests move the clock past the access token's life: a manager registered now has a token that is good now.
  async function createEvent(seats = 20): Promise<string> {
    const manager = await t.register('manager', 'Mo Manager');
    const res = await t
      .http()
      .post('/v1/events')
      .set(manager.auth)
      .send({ name: `Recital ${seats}`, numberOfSeats: seats, holdSeconds: HOLD_SECONDS });
    expect(res.status).toBe(201);
    return res.body.id as string;
  }

  async function holdByApi(eventId: string, number: number): Promise<void> {
    const other = await t.register('customer', 'Someone Else');
    const seats = await t.http().get(`/v1/events/${eventId}/seats`).set(other.auth);
    const seatId = (seats.body as { id: string; number: number }[]).find((s) => s.number === number)!.id;
    const res = await t.http().post(`/v1/events/${eventId}/seats/${seatId}/hold`).set(other.auth);
    expect(res.status).toBe(200);
  }

  async function signedIn(name: string): Promise<Page> {
    const account = await t.register('customer', name);
    const page = await newPage(browser, t.url);
    await signIn(page, { email: account.email, password: PASSWORD });
    return page;
  }

  /** The page's refresh requests from now on. */
  function refreshesOf(page: Page): string[] {
    const seen: string[] = [];
    page.context().on('request', (request) => {
      if (new URL(request.url()).pathname === '/v1/auth/refresh') seen.push(request.url());
    });
    return seen;
  }

  const seat = (page: Page, number: number, status: string) =>
    page.getByRole('button', { name: `Seat ${number}, ${status}`, exact: true });
  const alertText = async (page: Page) => (await page.locator('[role=alert]').textContent()) ?? '';

  it(
    'two tabs of one session refresh at once and both stay signed in; signing out in one signs out the other',
    async () => {
      const one = await signedIn('Tess Tabs');
      const two = await one.context().newPage();
      watchPage(two);
      await two.goto('/#/events');
      await two.getByText('Tess Tabs (customer)').waitFor({ timeout: UI_TIMEOUT });
      const refreshes = refreshesOf(one);
      const refreshAnswers: number[] = [];
      one.context().on('response', (response) => {
        if (new URL(response.url()).pathname === '/v1/auth/refresh') refreshAnswers.push(response.status());
      });

      t.clock.advance((ACCESS_TOKEN_SECONDS + 1) * 1000);
      for (const page of [one, two]) expectStatuses(page, 401);
      await Promise.all([one.reload(), two.reload()]);
      for (const page of [one, two]) {
        await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
        await page.getByText('Tess Tabs (customer)').waitFor({ timeout: UI_TIMEOUT });
      }
      // No refresh token was sent twice (the service would refuse it and end the session): every refresh was answered
      // 200. Usually one refresh serves both tabs (the second finds the pair the first stored, under the lock); a tab
      // whose request failed with the new pair's predecessor after the lock was free may refresh once more, with the
      // new pair's own refresh token, which is as valid.
      expect(refreshes.length).toBeGreaterThanOrEqual(1);
      await waitFor(() => (refreshAnswers.length === refreshes.length ? true : undefined), UI_TIMEOUT);
      expect(refreshAnswers.every((status) => status === 200)).toBe(true);

      await one.getByRole('button', { name: 'Sign out' }).click();
      await two.getByRole('heading', { level: 1, name: 'Welcome to the box office' }).waitFor({ timeout: UI_TIMEOUT });
      await one.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'an access token that expires mid-session is refreshed once, without a reload, and the shell carries on',
    async () => {
      const page = await signedIn('Max Midway');
      const refreshes = refreshesOf(page);
      t.clock.advance((ACCESS_TOKEN_SECONDS + 1) * 1000);
      expectStatuses(page, 401);
      await page.getByRole('link', { name: 'My bookings' }).click();
      await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('Max Midway (customer)').waitFor();
      expect(refreshes).toHaveLength(1);

      resetStatuses(page);
      await page.getByRole('link', { name: 'Events' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
      expect(refreshes).toHaveLength(1);
      expect(await alertText(page)).toBe('');
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'lists the seat map even when the socket never subscribes (a proxy that swallows WebSockets)',
    async () => {
      const eventId = await createEvent();
      await holdByApi(eventId, 2);
      const page = await signedIn('Sid Silent');
      // The socket opens, but nothing reaches the service and nothing comes back.
      await page.context().routeWebSocket(LIVE, () => undefined);
      await page.goto(`/#/events/${eventId}`);
      await page.reload();
      await seat(page, 1, 'available').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 2, 'held').waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a subscription the service refuses (busy) is tried again, and the map is live after that',
    async () => {
      const eventId = await createEvent();
      const page = await signedIn('Ray Retry');
      let subscribes = 0;
      await page.context().routeWebSocket(LIVE, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          const parsed = JSON.parse(String(message)) as { type: string; eventId?: string };
          if (parsed.type === 'subscribe' && parsed.eventId === eventId && ++subscribes === 1) {
            // What the gateway answers when it cannot follow the event now.
            ws.send(JSON.stringify({ type: 'error', code: 'SERVICE_UNAVAILABLE', message: 'Try again', eventId }));
            return;
          }
          server.send(String(message));
        });
      });
      await page.goto(`/#/events/${eventId}`);
      await page.reload();
      await seat(page, 1, 'available').waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('alert').filter({ hasText: 'Live updates paused' }).waitFor({ timeout: UI_TIMEOUT });
      await eventually(async () => expect(subscribes).toBeGreaterThanOrEqual(2));
      await holdByApi(eventId, 4);
      await seat(page, 4, 'held').waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a resync (a lastSeq the service does not have) lists the map again, right and without an alert, and live goes on',
    async () => {
      const eventId = await createEvent();
      await holdByApi(eventId, 2);
      const page = await signedIn('Rae Resync');
      await page.context().routeWebSocket(LIVE, (ws) => {
        const server = ws.connectToServer();
        ws.onMessage((message) => {
          const parsed = JSON.parse(String(message)) as { type: string; lastSeq?: number };
          if (parsed.type === 'subscribe') parsed.lastSeq = 1_000_000;
          server.send(JSON.stringify(parsed));
        });
      });
      await page.goto(`/#/events/${eventId}`);
      await page.reload();
      await seat(page, 2, 'held').waitFor({ timeout: UI_TIMEOUT });
      await seat(page, 1, 'available').waitFor({ timeout: UI_TIMEOUT });

      await holdByApi(eventId, 3);
      await seat(page, 3, 'held').waitFor({ timeout: UI_TIMEOUT });
      expect(await seat(page, 2, 'held').count()).toBe(1);
      expect(await alertText(page)).toBe('');
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'both press "Hold best available" for more than half the seats at once: exactly one gets them; a double click reserves once',
    async () => {
      const eventId = await createEvent(10);
      const pages = await Promise.all([signedIn('Ann Race'), signedIn('Bob Race')]);
      for (const page of pages) {
        expectStatuses(page, 409);
        await page.goto(`/#/events/${eventId}`);
        await seat(page, 10, 'available').waitFor({ timeout: UI_TIMEOUT });
        await page.getByRole('form', { name: 'Best available seats' }).getByLabel('How many seats').fill('6');
      }
      const press = (page: Page) =>
        page.getByRole('form', { name: 'Best available seats' }).getByRole('button', { name: 'Hold best available' });
      await Promise.all(pages.map((page) => press(page).click()));
      const outcome = (page: Page) =>
        Promise.race([
          page
            .getByRole('status')
            .filter({ hasText: /^You hold seats/ })
            .waitFor({ timeout: UI_TIMEOUT })
            .then(() => 'won'),
          page
            .getByRole('alert')
            .filter({ hasText: 'There are not 6 seats available' })
            .waitFor({ timeout: UI_TIMEOUT })
            .then(() => 'lost'),
        ]);
      const outcomes = await Promise.all(pages.map(outcome));
      expect([...outcomes].sort()).toEqual(['lost', 'won']);
      const winner = pages[outcomes.indexOf('won')]!;
      const loser = pages[outcomes.indexOf('lost')]!;
      const viewer = await t.register('customer', 'Vic Viewer');
      const listed = await t.http().get(`/v1/events/${eventId}/seats`).query({ status: 'all' }).set(viewer.auth);
      const statuses = (listed.body as { status: string }[]).map((s) => s.status);
      expect(statuses.filter((s) => s === 'held')).toHaveLength(6);
      expect(await winner.getByRole('button', { name: /, held by you$/ }).count()).toBe(6);
      expect(await loser.getByRole('button', { name: /, held by you$/ }).count()).toBe(0);

      const reservations: string[] = [];
      winner.on('request', (request) => {
        if (request.method() === 'POST' && request.url().endsWith('/reservations')) reservations.push(request.url());
      });
      await winner.getByRole('button', { name: 'Reserve all 6 held seats' }).dblclick();
      await winner.getByRole('status').filter({ hasText: 'reserved. Enjoy' }).waitFor({ timeout: UI_TIMEOUT });
      await loser
        .getByRole('button', { name: /, reserved$/ })
        .nth(5)
        .waitFor({ timeout: UI_TIMEOUT });
      expect(reservations).toHaveLength(1);
      expect(await alertText(winner)).toBe('');
      for (const page of pages) await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'a hold that lapses after an earlier release of the same seat is announced (the release answer came first)',
    async () => {
      const eventId = await createEvent();
      const page = await signedIn('Lou Lapse');
      // The socket's seat updates can be held back, so that the DELETE's answer lands before the socket's `available`.
      let gate = false;
      const heldBack: string[] = [];
      let toPage: WebSocketRoute | undefined;
      await page.context().routeWebSocket(LIVE, (ws) => {
        toPage = ws;
        const server = ws.connectToServer();
        server.onMessage((message) => {
          if (gate && String(message).includes('"seat.updated"')) heldBack.push(String(message));
          else ws.send(message);
        });
      });
      await page.goto(`/#/events/${eventId}`);
      await page.reload();
      await seat(page, 3, 'available').click();
      await seat(page, 3, 'held by you').waitFor({ timeout: UI_TIMEOUT });

      gate = true;
      await page.getByRole('button', { name: 'Release seat 3' }).click();
      await page.getByRole('status').filter({ hasText: 'Released seat 3.' }).waitFor({ timeout: UI_TIMEOUT });
      gate = false;
      for (const message of heldBack.splice(0)) toPage!.send(message);

      await seat(page, 3, 'available').click();
      await seat(page, 3, 'held by you').waitFor({ timeout: UI_TIMEOUT });
      t.clock.advance((HOLD_SECONDS + 1) * 1000);
      await page.getByRole('alert').filter({ hasText: 'Your hold on seat 3 ran out' }).waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );
});

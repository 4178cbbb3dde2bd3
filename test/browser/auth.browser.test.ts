import type { Browser } from 'playwright-core';
import {
  expectStatuses,
  newPage,
  PASSWORD,
  resetStatuses,
  screenshot,
  seriousViolations,
  signIn,
  TEST_TIMEOUT,
  UI_TIMEOUT,
} from './support/browser.js';
import { browserSuite } from './support/web-app.js';
import type { TestApp } from '../support/test-app.js';

const SESSION_KEY = 'booking-service.session';
describe('sign in, register, sign out (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  // A short access token life, so the test can let one expire by moving the clock; the reminder worker runs, so
  // that a reminder reaches the inbox (and the header's unread count).
  browserSuite({ accessTokenTtlSeconds: 60, reminderWorker: 'inline' }, (app, b) => {
    t = app;
    browser = b;
  });

  it(
    'registers a customer, keeps the session across a reload, and signs out',
    async () => {
      const page = await newPage(browser, t.url);
      await page.getByRole('heading', { level: 1, name: 'Welcome to the box office' }).waitFor({ timeout: UI_TIMEOUT });
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'signin');

      const form = page.getByRole('form', { name: 'Create an account' });
      await form.getByLabel('Name').fill('Ada Lovelace');
      await form.getByLabel('Email').fill(`ada-${Date.now()}@example.com`);
      await form.getByLabel('Password (at least 8 characters)').fill(PASSWORD);
      await form.getByLabel('Account type').selectOption('provider');
      await form.getByRole('button', { name: 'Create account' }).click();

      await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('Ada Lovelace (provider)').waitFor();

      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('Ada Lovelace (provider)').waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Welcome to the box office' }).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.evaluate(`localStorage.getItem(${JSON.stringify(SESSION_KEY)})`)).toBeNull();
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Welcome to the box office' }).waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'says why a sign-in was refused, in an alert',
    async () => {
      const account = await t.register('customer', 'Grace Hopper');
      const page = await newPage(browser, t.url);
      expectStatuses(page, 401);
      await page.goto('/#/signin');
      const form = page.getByRole('form', { name: 'Sign in' });
      await form.getByLabel('Email').fill(account.email);
      await form.getByLabel('Password').fill('not the password');
      await form.getByRole('button', { name: 'Sign in' }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: /password/i })
        .waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'shows the unread count in the header and updates it live when a reminder arrives',
    async () => {
      const account = await t.register('customer', 'Rita Reminded');
      const page = await newPage(browser, t.url);
      await signIn(page, { email: account.email, password: PASSWORD });
      // The header names the link once it has counted (nothing unread yet): waited for, the count loads after sign-in.
      await page.locator('a[data-nav="#/inbox"][aria-label="Inbox"]').waitFor({ timeout: UI_TIMEOUT });

      // A booking whose reminder time has already passed is reminded at once: a notification and a socket message.
      const start = t.clock.now() + 10 * 60_000;
      const created = await t
        .http()
        .post('/v1/bookings')
        .set(account.auth)
        .send({
          type: 'show',
          title: 'Matinee',
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 3_600_000).toISOString(),
          reminderMinutesBefore: 60,
        });
      expect(created.status).toBe(201);
      await page.getByRole('link', { name: 'Inbox, 1 unread' }).waitFor({ timeout: UI_TIMEOUT });
      await page.context().close();
    },
    TEST_TIMEOUT,
  );

  it(
    'keeps the session through an access-token expiry: the client refreshes and retries',
    async () => {
      const account = await t.register('customer', 'Alan Turing');
      const page = await newPage(browser, t.url);
      await signIn(page, { email: account.email, password: PASSWORD });
      const before = await page.evaluate(`localStorage.getItem(${JSON.stringify(SESSION_KEY)})`);

      // The access token is now past its life by the service's clock: the next calls are refused with 401 once.
      t.clock.advance(5 * 60_000);
      expectStatuses(page, 401);
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByText('Alan Turing (customer)').waitFor({ timeout: UI_TIMEOUT });
      const after = await page.evaluate(`localStorage.getItem(${JSON.stringify(SESSION_KEY)})`);
      expect(after).not.toBeNull();
      expect(after).not.toEqual(before);

      // The rotated pair works without another refresh: a screen change makes calls that all succeed (a 401 now is a
      // problem again, and no refresh request is sent).
      resetStatuses(page);
      const refreshes: string[] = [];
      page.on('request', (request) => {
        if (new URL(request.url()).pathname === '/v1/auth/refresh') refreshes.push(request.url());
      });
      await page.getByRole('link', { name: 'My bookings' }).click();
      await page.getByRole('heading', { level: 1, name: 'My bookings' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('link', { name: 'Events' }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
      expect(refreshes).toEqual([]);
      await page.context().close();
    },
    TEST_TIMEOUT,
  );
});

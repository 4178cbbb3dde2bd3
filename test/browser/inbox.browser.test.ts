import type { Browser } from 'playwright-core';
import type { TestApp } from '../support/test-app.js';
import {
  eventually,
  fitsWidth,
  newPage,
  PASSWORD,
  screenshot,
  seriousViolations,
  signIn,
  TEST_TIMEOUT,
} from './support/browser.js';
import { browserSuite } from './support/web-app.js';

const MIN = 60_000;

/**
 * The inbox in Chromium: a reminder that fires while the screen is open appears without a reload (it arrives on the
 * user's /v1/live socket), with the unread count; marking it read empties the count. Reminders run on the real
 * BullMQ worker: a booking whose reminder time has passed is reminded at once.
 */
describe('Notifications inbox (browser)', () => {
  let t: TestApp;
  let browser: Browser;

  browserSuite({ reminderWorker: 'inline' }, (app, b) => {
    t = app;
    browser = b;
  });

  it(
    'shows a new notification live, counts it unread and marks it read',
    async () => {
      const ann = await t.register('customer', 'Ann');
      const page = await newPage(browser, t.url, { width: 360 });
      // The page's socket, opened at sign-in, is welcomed once the service listens for the user's events: from then
      // on no reminder of theirs is missed.
      let welcomed = false;
      page.on('websocket', (ws) => {
        ws.on('framereceived', (frame) => {
          if (typeof frame.payload === 'string' && frame.payload.includes('"welcome"')) welcomed = true;
        });
      });
      await signIn(page, { email: ann.email, password: PASSWORD });
      await page.goto('/#/inbox');
      await page.getByText('No unread notifications').waitFor();
      await page.getByText('Nothing here yet.').waitFor();
      await eventually(async () => expect(welcomed).toBe(true));

      const title = `Show ${ann.id.slice(0, 6)}`;
      const now = t.clock.now();
      await t
        .http()
        .post('/v1/bookings')
        .set(ann.auth)
        .send({
          type: 'show',
          title,
          startTime: new Date(now + 10 * MIN).toISOString(),
          endTime: new Date(now + 70 * MIN).toISOString(),
          reminderMinutesBefore: 60,
        })
        .expect(201);

      const list = page.getByRole('list', { name: 'Notifications' });
      const item = list.getByRole('listitem').filter({ hasText: title });
      await item.waitFor();
      await page.getByText('1 unread notification').waitFor();
      await page.getByRole('link', { name: 'Inbox, 1 unread' }).waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      expect(await fitsWidth(page)).toBe(true);
      await screenshot(page, 'inbox');

      await item.getByRole('button', { name: /^Mark read: / }).click();
      await page.getByText('No unread notifications').waitFor();
      // The header's badge follows (the screen tells the shell it marked something read).
      await page.getByRole('link', { name: 'Inbox', exact: true }).waitFor();
      await expect(item.getByRole('button', { name: /^Mark read: / }).count()).resolves.toBe(0);
      const stored = (await t.http().get('/v1/notifications').set(ann.auth).expect(200)).body.items;
      expect(stored).toEqual([expect.objectContaining({ type: 'booking.reminder', read: true })]);
    },
    TEST_TIMEOUT,
  );
});

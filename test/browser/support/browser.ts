import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../../support/build.js';
import { TEST_PASSWORD } from '../../support/test-app.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test', 'browser', 'screenshots');

/** The password `TestApp.register` gives every account, to sign in through the page. */
export const PASSWORD = TEST_PASSWORD;

/** No horizontal scrolling: the screen is usable at the page's width (360 px for the phone-sized pages). */
export const fitsWidth = (page: Page): Promise<boolean> =>
  page.evaluate('document.documentElement.scrollWidth <= document.documentElement.clientWidth');

/** How long a page may take to show what a test waits for (two shared cores: generous, never a fixed sleep). */
export const UI_TIMEOUT = 10_000;
/** One browser test: several such waits in a row, on a machine the rest of the suite also loads. */
export const TEST_TIMEOUT = 60_000;
/** Building the web app (when stale), starting the service and the browser. */
export const SETUP_TIMEOUT = 120_000;

/** Debian's chromium, headless (the registry's browser downloads do not work on these machines). */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
  });
}

const problems: string[] = [];
const allowed = new WeakMap<Page, Set<number>>();

/**
 * A page in a context of its own (its own localStorage: one user), at `baseUrl`, in `locale` when given (else the
 * browser's). Every console error, uncaught
 * exception, failed request and HTTP error answer is recorded as a problem (see `takeProblems`), except HTTP
 * statuses the test expects (`expectStatuses(page, 409)`) and the console lines Chromium logs for them.
 */
export async function newPage(
  browser: Browser,
  baseUrl: string,
  options: { width?: number; locale?: string } = {},
): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width ?? 1024, height: 800 },
    ...(options.locale ? { locale: options.locale } : {}),
  });
  const page = await context.newPage();
  watchPage(page);
  await page.goto('/');
  return page;
}

/**
 * Records the page's problems (see `newPage`); for a further page of a context, e.g. a second tab sharing the first
 * one's localStorage.
 */
export function watchPage(page: Page): void {
  allowed.set(page, new Set());
  const isAllowed = (status: number) => allowed.get(page)!.has(status);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const status = /status of (\d{3})/.exec(message.text());
    if (status && isAllowed(Number(status[1]))) return;
    problems.push(`console error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // A page that navigates away or closes its EventSource cancels requests on purpose.
    if (reason === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400 && !isAllowed(response.status()))
      problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
}

/** HTTP statuses this page is expected to receive (a lost race's 409, an expired token's 401). */
export function expectStatuses(page: Page, ...statuses: number[]): void {
  for (const status of statuses) allowed.get(page)!.add(status);
}

/** From now on no HTTP error status is expected on this page (the set `expectStatuses` added to is emptied). */
export function resetStatuses(page: Page): void {
  allowed.get(page)!.clear();
}

/** The problems recorded since the last call (expect it to be empty after each test). */
export function takeProblems(): string[] {
  return problems.splice(0);
}

export interface BrowserAccount {
  readonly email: string;
  readonly password: string;
}

/** Signs in through the sign-in screen and waits for the events screen. */
export async function signIn(page: Page, account: BrowserAccount): Promise<void> {
  await page.goto('/#/signin');
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('Email').fill(account.email);
  await form.getByLabel('Password').fill(account.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Events' }).waitFor({ timeout: UI_TIMEOUT });
}

/** A full-page screenshot into test/browser/screenshots/ (git-ignored). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** axe-core's violations of impact serious or critical on the page as it is now (WCAG 2.x A and AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Polls until `check` passes (Playwright's locators wait by themselves; this is for reads like counts). */
export async function eventually(check: () => Promise<void>, timeout = UI_TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

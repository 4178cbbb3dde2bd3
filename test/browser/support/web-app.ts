import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ROOT } from '../../support/build.js';
import { TestApp } from '../../support/test-app.js';
import type { AppConfig } from '../../../src/config/app-config.js';
import type { ManualClock } from '../../../src/common/clock.js';
import { SETUP_TIMEOUT, launchBrowser, takeProblems } from './browser.js';

const WEB = join(ROOT, 'web');
const INDEX = join(WEB, 'dist', 'index.html');
const LOCK = join(ROOT, 'web', '.build-lock');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = stat.mtimeMs;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** The newest modification of what the web build reads: the app and the typed client it imports. */
function newestSource(): number {
  return Math.max(
    newest(join(WEB, 'src')),
    newest(join(WEB, 'public')),
    newest(join(WEB, 'index.html')),
    newest(join(WEB, 'vite.config.ts')),
    newest(join(ROOT, 'clients', 'typescript', 'src')),
  );
}

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/**
 * web/dist built from the current sources (`npm run build:web`), as on a fresh clone; reused when newer than every
 * source. Test files run in parallel workers: one builds under a lock directory while the others wait for it.
 */
export function ensureWebBuilt(): void {
  const fresh = () => existsSync(INDEX) && statSync(INDEX).mtimeMs >= newestSource();
  if (fresh()) return;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      // A lock older than two minutes was left by a run that was killed.
      if (existsSync(LOCK) && Date.now() - statSync(LOCK).mtimeMs > 120_000) rmSync(LOCK, { recursive: true });
      sleep(200);
    }
  }
  try {
    if (fresh()) return;
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(WEB, 'vite.config.ts')],
      { cwd: ROOT, stdio: 'pipe' },
    );
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** The real service with the web app built and served at `/`. */
export async function startWebApp(overrides: Partial<AppConfig> = {}, clock?: ManualClock): Promise<TestApp> {
  ensureWebBuilt();
  return TestApp.start(overrides, clock);
}

/**
 * What every browser test file does around its tests: before all, the service with the built app (`overrides`) and
 * the browser, handed to `ready` (which may set up more); after each test, no unexpected console error or failed
 * request is left; after all, both closed.
 */
export function browserSuite(
  overrides: Partial<AppConfig>,
  ready: (app: TestApp, browser: Browser) => void | Promise<void>,
): void {
  let app: TestApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startWebApp(overrides);
    browser = await launchBrowser();
    await ready(app, browser);
  }, SETUP_TIMEOUT);
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });
  afterEach(() => expect(takeProblems()).toEqual([]));
}

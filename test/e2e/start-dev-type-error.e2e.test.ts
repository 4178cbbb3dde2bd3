import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { runNpmScript, stopNpmScript } from '../support/npm-script.js';
import { testRedisUrl } from '../support/test-app.js';

/**
 * Review of issue 18, item 5: `npm run start:dev` on sources with a type error prints it and serves what tsc emitted
 * (it used to die at start: the one-shot build's exit status 2 threw), so a developer fixes it with the service up.
 * In a copy of the sources, as start-dev.e2e.test.ts.
 */
describe('npm run start:dev with a type error', () => {
  let dir: string;
  let dev: ChildProcess | undefined;
  let output = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'booking-dev-'));
    for (const entry of ['src', 'tools', 'package.json', 'tsconfig.json', 'tsconfig.build.json'])
      cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  });
  afterAll(async () => {
    await stopNpmScript(dev);
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the error and serves', async () => {
    const port = await freePort();
    writeFileSync(
      join(dir, '.env'),
      `PORT=${port}\nHOST=127.0.0.1\nREDIS_URL=${testRedisUrl()}\nREDIS_KEY_PREFIX=dev:${randomUUID().slice(0, 8)}:\n` +
        'REMINDER_WORKER=off\nHOLD_SWEEP_INTERVAL_MS=0\nLOG_LEVEL=info\n',
    );
    appendFileSync(
      join(dir, 'src', 'health', 'health.controller.ts'),
      "\nexport const typeErrorOfTheTest: number = 'not a number';\n",
    );
    dev = runNpmScript('start:dev', dir, {}, (chunk) => (output += chunk));
    await eventually(
      async () => expect((await request(`http://127.0.0.1:${port}`).get('/health/ready')).status).toBe(200),
      150_000,
      250,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nstart:dev output:\n${output}`);
    });
    expect(output).toMatch(/health\.controller\.ts.*error TS2322/);
  }, 300_000);
});

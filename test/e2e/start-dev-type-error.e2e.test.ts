import type { ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { eventually } from '../support/eventually.js';
import { runNpmScript, serviceDotEnv, sourceCopy, stopNpmScript } from '../support/npm-script.js';

/**
 * Review of issue 18, item 5: `npm run start:dev` on sources with a type error prints it and serves what tsc emitted
 * (it used to die at start: the one-shot build's exit status 2 threw), so a developer fixes it with the service up.
 * In a copy of the sources, as start-dev.e2e.test.ts.
 */
describe('npm run start:dev with a type error', () => {
  let copy: ReturnType<typeof sourceCopy>;
  let dir: string;
  let dev: ChildProcess | undefined;
  let output = '';
  beforeAll(() => {
    copy = sourceCopy();
    dir = copy.dir;
  });
  afterAll(async () => {
    await stopNpmScript(dev);
    copy.remove();
  });

  it('prints the error and serves', async () => {
    const port = await freePort();
    writeFileSync(join(dir, '.env'), serviceDotEnv(port));
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

import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { runNpmScript, scratchCheckout, stopNpmScript } from '../support/npm-script.js';
import { testRedisUrl } from '../support/test-app.js';

/**
 * Issue 18, item 5: `npm start` and `npm run worker` read `.env` from the working directory when it is there (Node's
 * --env-file-if-exists), and a variable set in the environment wins over the file.
 */
describe('.env at start', () => {
  const running: ChildProcess[] = [];
  const folders: { remove(): void }[] = [];
  beforeAll(() => builtMain(), 180_000);
  afterAll(async () => {
    await Promise.all(running.map(stopNpmScript));
    for (const folder of folders) folder.remove();
  });

  async function start(script: string, files: Record<string, string>, env: Record<string, string>) {
    const checkout = scratchCheckout(files);
    folders.push(checkout);
    let output = '';
    running.push(runNpmScript(script, checkout.dir, env, (chunk) => (output += chunk)));
    return { output: () => output };
  }

  const failWith = (output: () => string) => (error: Error) => {
    throw new Error(`${error.message}\noutput:\n${output()}`);
  };

  it('npm start takes what only .env sets, and the environment over .env', async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const token = `dotenv-${randomUUID()}`;
    const dotenv = [
      `PORT=${filePort}`,
      'HOST=127.0.0.1',
      `REDIS_URL=${testRedisUrl()}`,
      `REDIS_KEY_PREFIX=envfile:${randomUUID().slice(0, 8)}:`,
      `METRICS_TOKEN=${token}`,
      'REMINDER_WORKER=off',
      'LOG_LEVEL=warn',
      '',
    ].join('\n');
    const api = await start('start', { '.env': dotenv }, { PORT: String(envPort) });
    const http = () => request(`http://127.0.0.1:${envPort}`);
    await eventually(async () => expect((await http().get('/health/ready')).status).toBe(200), 60_000).catch(
      failWith(api.output),
    );
    // METRICS_TOKEN is only in .env.
    expect((await http().get('/metrics')).status).toBe(401);
    expect((await http().get('/metrics').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    // PORT is in both: the environment's won, nothing listens on the file's.
    await expect(request(`http://127.0.0.1:${filePort}`).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);

  it('npm run worker takes REDIS_URL from .env (it exits without one) and WORKER_PORT from the environment', async () => {
    const [filePort, envPort] = [await freePort(), await freePort()];
    const dotenv = `REDIS_URL=${testRedisUrl()}\nWORKER_PORT=${filePort}\nHOST=127.0.0.1\nLOG_LEVEL=warn\n`;
    const worker = await start('worker', { '.env': dotenv }, { WORKER_PORT: String(envPort) });
    await eventually(
      async () => expect((await request(`http://127.0.0.1:${envPort}`).get('/health/ready')).status).toBe(200),
      60_000,
    ).catch(failWith(worker.output));
    await expect(request(`http://127.0.0.1:${filePort}`).get('/health/live')).rejects.toThrow(/ECONNREFUSED/);
  }, 120_000);

  it('npm run worker starts without a .env, from the environment alone', async () => {
    const port = await freePort();
    const worker = await start(
      'worker',
      {},
      { REDIS_URL: testRedisUrl(), WORKER_PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    );
    await eventually(
      async () => expect((await request(`http://127.0.0.1:${port}`).get('/health/ready')).status).toBe(200),
      60_000,
    ).catch(failWith(worker.output));
  }, 120_000);
});

import { randomUUID } from 'node:crypto';
import { execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { parse } from 'yaml';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT, builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { killService, spawnService } from '../support/service.js';
import { TestApp, testRedisUrl } from '../support/test-app.js';

/** The `node -e` script of the image's HEALTHCHECK and of compose's `worker` healthcheck. */
function healthchecks(): { image: string; composeWorker: string } {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const image = JSON.parse(/^HEALTHCHECK [^\n]*\\\n\s*CMD (\[.*\])$/m.exec(dockerfile)![1]) as string[];
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true });
  const worker = (compose.services.worker.healthcheck?.test ?? []) as string[];
  expect(image.slice(0, 2)).toEqual(['node', '-e']);
  expect(worker.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
  return { image: image[2], composeWorker: worker[3] };
}

/** Runs a healthcheck script as the container would (its environment only): its exit code. */
function runCheck(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve) =>
    execFile(process.execPath, ['-e', script], { env: { PATH: process.env.PATH, ...env }, timeout: 20_000 }, (error) =>
      resolve(error ? ((error.code as number | undefined) ?? 1) : 0),
    ),
  );
}

/** `node dist/worker.js` as the worker container runs it: probed on WORKER_PORT, since it serves no API. */
describe('the worker process health port', () => {
  const services: ChildProcess[] = [];
  afterAll(() => Promise.all(services.map(killService)));
  beforeAll(() => builtMain(), 180_000);

  async function startWorker(env: Record<string, string>) {
    const port = await freePort();
    let output = '';
    services.push(
      spawnService(
        join(ROOT, 'dist', 'worker.js'),
        { WORKER_PORT: String(port), LOG_LEVEL: 'warn', ...env },
        (chunk) => (output += chunk),
      ),
    );
    const http = () => request(`http://127.0.0.1:${port}`);
    const live = async () =>
      eventually(async () => expect((await http().get('/health/live')).status).toBe(200), 60_000).catch(
        (error: Error) => {
          throw new Error(`${error.message}\nworker output:\n${output}`);
        },
      );
    return { http, live, port };
  }

  it('is ready with Redis and a running reminder worker, and shows the reminder queue depths', async () => {
    const prefix = `worker-health:${randomUUID().slice(0, 8)}:`;
    const worker = await startWorker({ REDIS_URL: testRedisUrl(), REDIS_KEY_PREFIX: prefix });
    await worker.live();
    await eventually(async () => {
      const ready = await worker.http().get('/health/ready');
      expect({ status: ready.status, body: ready.body }).toEqual({
        status: 200,
        body: { status: 'ok', redis: 'up', queue: 'up', worker: 'running' },
      });
    }, 30_000);

    // A booking with a reminder a day away, made through the API on the same Redis: one delayed job.
    // The worker's Redis, also in the cluster run (the worker was started on the one Redis).
    const api = await TestApp.start({ redisKeyPrefix: prefix, redisUrl: testRedisUrl() });
    try {
      const user = await api.register();
      const start = Date.now() + 2 * 86_400_000;
      await api
        .http()
        .post('/v1/bookings')
        .set(user.auth)
        .send({
          type: 'show',
          title: 'Later',
          startTime: new Date(start).toISOString(),
          endTime: new Date(start + 3_600_000).toISOString(),
          reminderMinutesBefore: 60,
        })
        .expect(201);
    } finally {
      await api.close();
    }
    // A scrape whose queue probe timed out (a loaded machine) has no queue samples: the next one will.
    await eventually(async () => {
      const scrape = await worker.http().get('/metrics');
      expect(scrape.status).toBe(200);
      expect(scrape.text).toMatch(/^booking_reminder_jobs\{state="delayed"\} 1$/m);
      for (const state of ['waiting', 'active', 'failed'])
        expect(scrape.text).toMatch(new RegExp(`^booking_reminder_jobs\\{state="${state}"\\} 0$`, 'm'));
      expect(scrape.text).toContain('booking_process_resident_memory_bytes');
    }, 30_000);

    const unknown = await worker.http().get('/v1/events');
    expect({ status: unknown.status, type: unknown.headers['content-type'] }).toEqual({
      status: 404,
      type: expect.stringMatching(/^application\/problem\+json/),
    });
  }, 90_000);

  it('the image healthcheck and compose worker healthcheck pass for a ready worker, the image one for the API too', async () => {
    const { image, composeWorker } = healthchecks();
    const worker = await startWorker({ REDIS_URL: testRedisUrl() });
    await worker.live();
    await eventually(async () => expect((await worker.http().get('/health/ready')).status).toBe(200), 30_000);
    const nothing = String(await freePort());
    // The worker's container: nothing listens on PORT there.
    expect(await runCheck(image, { PORT: nothing, WORKER_PORT: String(worker.port) })).toBe(0);
    expect(await runCheck(composeWorker, { WORKER_PORT: String(worker.port) })).toBe(0);
    // The API's container: no worker port open.
    const api = await TestApp.start();
    try {
      const port = new URL(api.url).port;
      expect(await runCheck(image, { PORT: port, WORKER_PORT: nothing })).toBe(0);
    } finally {
      await api.close();
    }
    // A container where nothing answers is unhealthy.
    expect(await runCheck(image, { PORT: nothing, WORKER_PORT: nothing })).toBe(1);
  }, 90_000);

  it('is live but not ready while its Redis is unreachable', async () => {
    const nowhere = await freePort();
    const worker = await startWorker({ REDIS_URL: `redis://127.0.0.1:${nowhere}` });
    await worker.live();
    const ready = await worker.http().get('/health/ready');
    expect({ status: ready.status, body: ready.body }).toEqual({
      status: 503,
      body: { status: 'unavailable', redis: 'down', queue: 'down', worker: expect.any(String) },
    });
    expect(ready.headers['retry-after']).toBeDefined();
  }, 90_000);
});

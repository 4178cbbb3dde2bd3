import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT, builtMain } from '../support/build.js';
import { eventually } from '../support/eventually.js';
import { killService, spawnService } from '../support/service.js';
import { TestApp, expectProblem, testRedisUrl } from '../support/test-app.js';

/** Review of issue 18, item 3: the pages are cached publicly a day, so they must vary by Origin when CORS is on. */
describe('problem pages with CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start({ corsOrigins: ['https://app.example.com'] })));
  afterAll(() => t.close());

  it('keep Vary: Origin and add Accept', async () => {
    for (const path of ['/problems', '/problems/not-found']) {
      const page = await t.http().get(path).set('Origin', 'https://app.example.com');
      expect(page.status).toBe(200);
      expect(page.headers['access-control-allow-origin']).toBe('https://app.example.com');
      const vary = String(page.headers.vary)
        .split(',')
        .map((v) => v.trim().toLowerCase());
      expect({ path, vary: vary.sort() }).toEqual({ path, vary: ['accept', 'origin'] });
    }
  });
});

/** Review of issue 18, item 8: the worker's own problems have relative `type`s, which must resolve on its port. */
describe('problem pages on the worker health port', () => {
  let worker: ChildProcess | undefined;
  afterAll(() => killService(worker));
  beforeAll(() => builtMain(), 180_000);

  it('serves /problems and /problems/{code}; the type of its 404 resolves there', async () => {
    const port = await freePort();
    let output = '';
    worker = spawnService(
      join(ROOT, 'dist', 'worker.js'),
      { WORKER_PORT: String(port), LOG_LEVEL: 'warn', REDIS_URL: testRedisUrl() },
      (chunk) => (output += chunk),
    );
    const http = () => request(`http://127.0.0.1:${port}`);
    await eventually(async () => expect((await http().get('/health/live')).status).toBe(200), 60_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\nworker output:\n${output}`);
      },
    );

    const missing = await http().get('/nothing-here');
    expectProblem(missing, 404, 'NOT_FOUND');
    const page = await http().get(missing.body.type).set('Accept', 'application/json');
    expect({ status: page.status, code: page.body.code, type: page.body.type }).toEqual({
      status: 200,
      code: 'NOT_FOUND',
      type: missing.body.type,
    });
    const html = await http().get('/problems').set('Accept', 'text/html');
    expect(html.status).toBe(200);
    expect(html.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(html.text).toContain('href="problems/not-found"');
    const again = await http().get(missing.body.type).set('If-None-Match', page.headers.etag);
    expect(again.status).toBe(304);
    expectProblem(await http().get('/problems/no-such-code'), 404, 'NOT_FOUND');
  }, 120_000);
});

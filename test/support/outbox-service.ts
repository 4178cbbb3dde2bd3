import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { ROOT } from './build.js';
import { eventually } from './eventually.js';
import { spawnService } from './service.js';
import { testRedisUrl } from './test-app.js';

export interface RunningService {
  readonly process: ChildProcess;
  readonly http: () => ReturnType<typeof request>;
}

/**
 * The built service as a real process (dist/main.js) on a free port, relaying its outbox to private addresses (the
 * tests' receiver), under this key prefix and admin; pushed onto `services` for the suite to kill; resolves once
 * /health/ready answers 200 (its output is in the error otherwise).
 */
export async function startOutboxService(
  services: ChildProcess[],
  prefix: string,
  admin: { email: string; password: string },
  env: Record<string, string> = {},
): Promise<RunningService> {
  const port = await freePort();
  let output = '';
  const service = spawnService(
    join(ROOT, 'dist', 'main.js'),
    {
      PORT: String(port),
      REDIS_URL: testRedisUrl(),
      REDIS_KEY_PREFIX: prefix,
      ADMIN_EMAIL: admin.email,
      ADMIN_PASSWORD: admin.password,
      LOG_LEVEL: 'warn',
      WEBHOOK_ALLOW_PRIVATE: 'true',
      OUTBOX_POLL_INTERVAL_MS: '50',
      ...env,
    },
    (chunk) => (output += chunk),
  );
  services.push(service);
  const http = () => request(`http://127.0.0.1:${port}`);
  await eventually(async () => expect((await http().get('/health/ready')).status).toBe(200), 60_000).catch(
    (error: Error) => {
      throw new Error(`${error.message}\nservice output:\n${output}`);
    },
  );
  return { process: service, http };
}

/**
 * As the admin: a webhook for seat.reserved to `url`, a 10-seat event, its first seat held and reserved (one
 * seat.reserved in the event's outbox). The admin's auth header, the webhook and the event as answered.
 */
export async function reserveWithWebhook(
  service: RunningService,
  admin: { email: string; password: string },
  url: string,
) {
  const http = service.http;
  const token = (await http().post('/v1/auth/login').send(admin).expect(200)).body.accessToken as string;
  const auth = { Authorization: `Bearer ${token}` };
  const hook = await http()
    .post('/v1/webhooks')
    .set(auth)
    .send({ url, events: ['seat.reserved'] })
    .expect(201);
  const event = await http().post('/v1/events').set(auth).send({ name: 'Crash', numberOfSeats: 10 }).expect(201);
  const seats = (await http().get(`/v1/events/${event.body.id}/seats?status=all`).expect(200)).body;
  const seat = `/v1/events/${event.body.id}/seats/${seats[0].id}`;
  await http().post(`${seat}/hold`).set(auth).expect(200);
  await http().post(`${seat}/reserve`).set(auth).expect(201);
  return { auth, hook, event };
}

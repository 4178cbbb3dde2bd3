import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { WebSocket } from 'ws';
import { freePort, startEmbeddedRedis } from '../../src/redis/embedded-redis.js';
import type { EmbeddedRedis } from '../../src/redis/embedded-redis.js';
import { builtMain } from '../support/build.js';
import { spawnService } from '../support/service.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { eventually } from '../support/eventually.js';

const SHUTDOWN_TIMEOUT_MS = 3000;
const LOOPS = 16;
const ADMIN = { email: 'admin@sigterm.test', password: 'sigterm admin password' };

interface Answer {
  readonly status: number;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
interface Sent {
  readonly what: string;
  readonly at: number;
  outcome?: Answer | { error: string };
}

/**
 * The built service as a real process (node dist/main.js) on a Redis of this file's own, under a steady stream of
 * holds and seat-map reads from keep-alive clients plus a live WebSocket and an SSE stream, gets SIGTERM.
 */
describe('SIGTERM under load', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'sigterm-'));
  let redis: EmbeddedRedis;
  let store: Redis;
  let service: ChildProcess;
  let base: string;
  let port: number;
  let log = '';
  const exited = { code: null as number | null, signal: null as string | null, at: 0 };
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const quietAgent = new Agent({ keepAlive: true });
  let monitor: { lines: string[]; close(): void } | undefined;

  beforeAll(async () => {
    const main = builtMain(); // compiles on a fresh clone (tens of seconds), reuses an up-to-date dist otherwise
    redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, undefined, false);
    store = new Redis(redis.url, { connectionName: 'sigterm-test' });
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawnService(
      main,
      {
        PORT: String(port),
        REDIS_URL: redis.url,
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        REDIS_KEY_PREFIX: 'sigterm:',
        REDIS_COMMAND_TIMEOUT_MS: '5000',
        ADMIN_EMAIL: ADMIN.email,
        ADMIN_PASSWORD: ADMIN.password,
        AUTH_RATE_LIMIT_PER_MINUTE: '100000',
        // Each loop renews its hold over and over: the renewal cap has its own tests.
        HOLD_MAX_RENEWALS: '1000000',
        LOG_LEVEL: 'info',
      },
      (chunk) => (log += chunk),
    );
    service.once('exit', (code, signal) => Object.assign(exited, { code, signal, at: Date.now() }));
    await eventually(async () => expect((await send('GET', '/health/ready')).status).toBe(200), 20_000);
  }, 180_000);

  afterAll(async () => {
    if (service?.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    agent.destroy();
    quietAgent.destroy();
    monitor?.close();
    store?.disconnect();
    redis?.process.kill('SIGCONT');
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** A request on a kept-alive connection of `via` (a new one when none is free), or on a new one (`via` false). */
  function send(
    method: string,
    path: string,
    body?: unknown,
    token?: string,
    via: Agent | false = agent,
  ): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        `${base}${path}`,
        {
          method,
          agent: via,
          headers: {
            ...(payload !== undefined && { 'content-type': 'application/json' }),
            ...(token && { authorization: `Bearer ${token}` }),
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  it('finishes what it accepted, refuses new connections, closes Redis and exits 0 in time', async () => {
    // An event, and customers who each renew a hold on their own seat and read the seat map in a loop.
    let admin: Answer | undefined;
    await eventually(async () => {
      admin = await send('POST', '/v1/auth/login', ADMIN);
      expect(admin.status).toBe(200);
    }, 10_000);
    const adminToken = JSON.parse(admin!.body).accessToken as string;
    const event = JSON.parse((await send('POST', '/v1/events', { name: 'Load', numberOfSeats: 100 }, adminToken)).body);
    const seats = JSON.parse((await send('GET', `/v1/events/${event.id}/seats`)).body) as { id: string }[];
    const customers = await Promise.all(
      Array.from({ length: LOOPS }, async (_, i) => {
        const res = await send('POST', '/v1/auth/register', {
          email: `customer${i}@sigterm.test`,
          password: 'customer password',
          name: `Customer ${i}`,
        });
        return JSON.parse(res.body).accessToken as string;
      }),
    );

    // Long-lived connections: a live WebSocket subscribed to the event, and an SSE stream of its seat map.
    const ws = new WebSocket(`ws://127.0.0.1:${port}/v1/live?access_token=${customers[0]}`);
    const wsClosed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify({ type: 'subscribe', eventId: event.id }));
    const sse = await openStream(`${base}/v1/events/${event.id}/seats/stream`);

    const sent: Sent[] = [];
    let stop = false;
    const loops = customers.map(async (token, i) => {
      for (let n = 0; !stop; n++) {
        const request: Sent =
          n % 2 === 0 ? { what: `hold ${i}`, at: Date.now() } : { what: `seat map ${i}`, at: Date.now() };
        sent.push(request);
        try {
          request.outcome =
            n % 2 === 0
              ? await send('POST', `/v1/events/${event.id}/seats/${seats[i].id}/hold`, undefined, token)
              : await send('GET', `/v1/events/${event.id}/seats`);
        } catch (error) {
          request.outcome = { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
        }
        // Turned away (refused, or told to come back later): a client would go to another instance now.
        if ('error' in request.outcome || request.outcome.status === 503) return;
      }
    });
    // Every loop has been answered at least once: the service is under load.
    await eventually(async () => {
      for (let i = 0; i < LOOPS; i++) expect(sent.some((r) => r.what.endsWith(` ${i}`) && r.outcome)).toBe(true);
    }, 20_000);
    // Its connections: the command connection and the subscriber (both named booking-service) and BullMQ's.
    const clientsBefore = await serviceClients(store);
    expect(clientsBefore.filter((c) => c.name === 'booking-service')).toHaveLength(2);
    const main = clientsBefore.find((c) => c.name === 'booking-service' && c.psub === '0')!;

    // Freeze Redis so that every loop's current request is certainly inside the service, waiting for its answer,
    // when SIGTERM arrives; they must still get their normal answers once Redis goes on.
    monitor = await watchCommands(redis.url);
    redis.process.kill('SIGSTOP');
    // And a quiet client: one request in flight on a kept-alive connection, then nothing more. The service must close
    // that connection after the answer, or it would wait for it until the shutdown timeout.
    const quiet = send(
      'POST',
      `/v1/events/${event.id}/seats/${seats[LOOPS].id}/hold`,
      undefined,
      customers[0],
      quietAgent,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const inFlight = sent.filter((r) => r.outcome === undefined);
    expect(inFlight.length).toBe(LOOPS);

    const sigtermAt = Date.now();
    service.kill('SIGTERM');
    await eventually(async () => expect(log).toContain('SIGTERM received'), 2000);
    // From now on a new connection is refused, while the process is still finishing its work.
    const probe = await send('GET', '/health/live', undefined, undefined, false).then(
      (res) => `answered ${res.status}`,
      (error: NodeJS.ErrnoException) => error.code,
    );
    expect(probe).toBe('ECONNREFUSED');
    expect(exited.at).toBe(0);

    // Let Redis go on only once the HTTP server has begun its own close (after the live connections were ended), so
    // that the parked requests finish during it: their kept-alive connections must not hold it up afterwards.
    expect(await wsClosed).toBe(1001);
    await new Promise((resolve) => setTimeout(resolve, 500));
    redis.process.kill('SIGCONT');
    await eventually(async () => expect(exited.at).toBeGreaterThan(0), SHUTDOWN_TIMEOUT_MS + 20_000);
    stop = true;
    await Promise.all(loops);

    // Exit code 0 means it finished before SHUTDOWN_TIMEOUT_MS (past it, the process exits with 1): no clock needed.
    expect({ code: exited.code, signal: exited.signal }).toEqual({ code: 0, signal: null });

    // Every request that reached the service before SIGTERM got its normal answer.
    const outcome = (r: Sent) => (r.outcome && 'status' in r.outcome ? r.outcome.status : r.outcome?.error);
    const before = sent.filter((r) => r.at < sigtermAt);
    expect(before.filter((r) => outcome(r) !== 200).map((r) => `${r.what}: ${outcome(r)}`)).toEqual([]);
    for (const r of inFlight) expect(outcome(r)).toBe(200);
    const quietAnswer = await quiet;
    expect(quietAnswer.status).toBe(200);
    // Answers given while draining tell the client not to reuse the connection.
    expect(quietAnswer.headers.connection).toBe('close');
    // Later ones were turned away cleanly: a 503 problem with Retry-After, or a refused connection; no resets.
    const after = sent.filter((r) => r.at >= sigtermAt);
    expect(after).toHaveLength(LOOPS); // each loop tried once more, and stopped when turned away
    for (const r of after) {
      expect([503, 'ECONNREFUSED']).toContain(outcome(r));
      if (r.outcome && 'status' in r.outcome) {
        expect(r.outcome.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(r.outcome.headers['retry-after']).toBeDefined();
        expect(JSON.parse(r.outcome.body)).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
      }
    }
    // The live connections were ended by the server, not cut.
    expect(await sse.ended).toBe('end');

    // Redis: the service said goodbye (QUIT) instead of leaving it to the process exit, and nothing of it is left.
    expect(monitor.lines.filter((line) => line.endsWith(`${main.addr}] "quit"`))).toHaveLength(1);
    await eventually(async () => expect(await serviceClients(store)).toEqual([]), 2000);
  }, 60_000);
});

describe('a request arriving while the application shuts down', () => {
  it('is answered 503 problem+json with Retry-After, and its connection is closed', async () => {
    const t = await TestApp.start({ retryAfterSeconds: 4 });
    try {
      // What Nest does first in app.close(), before any hook and before the HTTP server closes.
      t.app.getHttpAdapter().beforeClose?.();
      const res = await t.http().get('/v1/events');
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('4');
      expect(res.headers.connection).toBe('close');
    } finally {
      await t.close();
    }
  });
});

/** The service's connections to Redis (every one this test did not open), with CLIENT LIST's fields. */
async function serviceClients(store: Redis): Promise<Record<string, string>[]> {
  const list = (await store.client('LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      Object.fromEntries(
        line
          .trim()
          .split(' ')
          .map((field) => field.split(/=(.*)/s).slice(0, 2)),
      ),
    )
    .filter((client) => client.name !== 'sigterm-test');
}

/** Every command Redis runs from now on, as MONITOR prints it (`<time> [<db> <client address>] "cmd" "arg"...`). */
async function watchCommands(url: string): Promise<{ lines: string[]; close(): void }> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  const lines: string[] = [];
  let pending = '';
  socket.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split('\r\n');
    pending = complete.pop()!;
    for (const line of complete) if (line.startsWith('+')) lines.push(line.slice(1));
  });
  socket.write('CLIENT SETNAME sigterm-test\r\nMONITOR\r\n');
  await eventually(async () => expect(lines.filter((line) => line === 'OK')).toHaveLength(2), 2000);
  return { lines, close: () => socket.destroy() };
}

/** An SSE stream; `ended` tells how it finished: closed by the server ('end') or cut ('aborted' / an error code). */
function openStream(url: string): Promise<{ ended: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
      const ended = new Promise<string>((done) => {
        res.on('end', () => done('end'));
        res.on('aborted', () => done('aborted'));
        res.on('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
      });
      res.resume();
      resolve({ ended });
    });
    req.on('error', reject);
    req.end();
  });
}

/** CLUSTER_WORKERS: copies behind one port, supervised: a copy that dies is replaced, SIGTERM stops them all. */
describe('CLUSTER_WORKERS=2', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'workers-'));
  let redis: EmbeddedRedis;
  let store: Redis;
  let primary: ChildProcess;
  let base: string;
  const exited = { code: null as number | null, at: 0 };
  let log = '';

  const copies = () => {
    try {
      return execFileSync('pgrep', ['-P', String(primary.pid)], { encoding: 'utf8' })
        .trim()
        .split('\n')
        .filter(Boolean);
    } catch {
      return []; // pgrep exits 1 when there are none
    }
  };
  // A new connection each time, so that the primary hands requests to both copies in turn.
  const ready = () =>
    new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${base}/health/ready`, { agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    const main = builtMain();
    redis = await startEmbeddedRedis(dataDir, process.env.REDIS_SERVER_BIN, undefined, false);
    store = new Redis(redis.url, { connectionName: 'sigterm-test' });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    primary = spawnService(
      main,
      {
        PORT: String(port),
        REDIS_URL: redis.url,
        SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
        CLUSTER_WORKERS: '2',
        REDIS_KEY_PREFIX: 'workers:',
        LOG_LEVEL: 'warn',
      },
      (chunk) => (log += chunk),
    );
    primary.once('exit', (code) => Object.assign(exited, { code, at: Date.now() }));
    await eventually(async () => expect(await ready()).toBe(200), 20_000);
  }, 180_000);

  afterAll(async () => {
    if (primary?.exitCode === null && primary.signalCode === null) primary.kill('SIGKILL');
    for (const pid of copies()) process.kill(Number(pid), 'SIGKILL');
    store?.disconnect();
    await redis?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves from two copies, replaces one that dies, and stops them all on SIGTERM with exit 0', async () => {
    await eventually(async () => expect(copies()).toHaveLength(2), 5000);
    // Each copy has one main connection to Redis, made by the first request it serves (BullMQ's connections are
    // named booking-service:jobs): two of them means both copies took requests. A copy takes connections once it
    // listens, which may be a moment after the other.
    await eventually(async () => {
      for (let i = 0; i < 10; i++) expect(await ready()).toBe(200);
      const main = (await serviceClients(store)).filter((client) => client.name === 'booking-service');
      expect(main).toHaveLength(2);
    }, 10_000);

    const [victim] = copies();
    process.kill(Number(victim), 'SIGKILL');
    await eventually(async () => {
      const now = copies();
      expect(now).toHaveLength(2);
      expect(now).not.toContain(victim);
    }, 10_000);
    await eventually(async () => expect(await ready()).toBe(200), 10_000);

    primary.kill('SIGTERM');
    await eventually(async () => expect(exited.at).toBeGreaterThan(0), SHUTDOWN_TIMEOUT_MS + 20_000);
    expect({ code: exited.code, log }).toMatchObject({ code: 0 });
    expect(copies()).toEqual([]);
    await eventually(async () => expect(await serviceClients(store)).toEqual([]), 2000);
  });
});

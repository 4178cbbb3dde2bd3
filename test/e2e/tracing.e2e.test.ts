import { randomBytes, randomUUID } from 'node:crypto';
import { tracingChannel } from 'node:diagnostics_channel';
import { createServer, request as httpRequest } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Test } from 'supertest';
import { freePort } from '../../src/redis/embedded-redis.js';
import { Tracing } from '../../src/tracing/tracing.js';
import { createEvent } from '../support/events.js';
import { TestApp } from '../support/test-app.js';

/** One span as OTLP/JSON carries it, with its attributes made a plain object. */
interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's numbering: 2 server, 3 client. */
  kind: number;
  status?: { code?: number };
  attributes: Record<string, unknown>;
  resource: Record<string, unknown>;
}

const SERVER = 2;
const CLIENT = 3;

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}

function plain(value: OtlpValue): unknown {
  if (value.arrayValue) return (value.arrayValue.values ?? []).map(plain);
  if (value.intValue !== undefined) return Number(value.intValue);
  return value.stringValue ?? value.boolValue;
}

function attributesOf(list: { key: string; value: OtlpValue }[] = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, plain(value)]));
}

/** A stand-in for an OpenTelemetry collector: takes OTLP/HTTP JSON on /v1/traces and keeps every span. */
class FakeCollector {
  readonly spans: ExportedSpan[] = [];
  readonly contentTypes = new Set<string>();
  private readonly server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || request.url !== '/v1/traces') {
        response.writeHead(404).end();
        return;
      }
      this.contentTypes.add(String(request.headers['content-type']));
      this.receive(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });

  private constructor() {}

  static async start(): Promise<FakeCollector> {
    const collector = new FakeCollector();
    await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
    return collector;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private receive(body: {
    resourceSpans?: {
      resource?: { attributes?: { key: string; value: OtlpValue }[] };
      scopeSpans?: { spans?: (Omit<ExportedSpan, 'attributes' | 'resource'> & { attributes?: [] })[] }[];
    }[];
  }): void {
    for (const { resource, scopeSpans = [] } of body.resourceSpans ?? []) {
      for (const { spans = [] } of scopeSpans) {
        for (const span of spans) {
          this.spans.push({
            ...span,
            attributes: attributesOf(span.attributes),
            resource: attributesOf(resource?.attributes),
          });
        }
      }
    }
  }

  inTrace(traceId: string): ExportedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Flushes the app's spans until `ready` holds (a response can reach the client just before its onResponse hook). */
async function until(t: TestApp, ready: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    await t.app.get(Tracing).flush();
    if (ready()) return;
    if (Date.now() > deadline) throw new Error('the expected spans did not arrive within 5 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How many subscribers ioredis' command channel gains while `work` runs. */
async function commandChannelSubscriptions(work: () => Promise<unknown>): Promise<number> {
  const prototype = Object.getPrototypeOf(tracingChannel('probe')) as { subscribe: (...args: unknown[]) => void };
  const subscribe = prototype.subscribe;
  let count = 0;
  prototype.subscribe = function (this: { start: { name: string } }, ...args: unknown[]) {
    if (this.start.name === 'tracing:ioredis:command:start') count += 1;
    return subscribe.apply(this, args);
  };
  try {
    await work();
  } finally {
    prototype.subscribe = subscribe;
  }
  return count;
}

function hookNames(t: TestApp): string {
  return t.app.getHttpAdapter().getInstance().printRoutes({ includeHooks: true });
}

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT set', () => {
  let collector: FakeCollector;
  let t: TestApp;
  let subscriptions: number;

  beforeAll(async () => {
    collector = await FakeCollector.start();
    subscriptions = await commandChannelSubscriptions(async () => {
      t = await TestApp.start({ otelExporterOtlpEndpoint: collector.url, otelServiceName: 'booking-test' });
    });
  });
  afterAll(async () => {
    await t?.close();
    await collector?.close();
  });

  it('subscribes to the command channel and adds its hooks', () => {
    // The metrics' subscription and this one.
    expect(subscriptions).toBe(2);
    expect(t.app.get(Tracing).enabled).toBe(true);
    expect(hookNames(t)).toContain('startServerSpan');
  });

  it('traces concurrent requests apart: a server span each, continuing the caller trace, its Redis commands under it', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const newUser = { email: `${randomUUID()}@example.com`, password: 'a secret passphrase', name: 'Zelda Private' };
    const holders = event.seats.slice(0, 6).map((seat) => ({ seat, holder: t.bearer() }));
    const holdRoute = '/v1/events/:eventId/seats/:seatId/hold';
    const calls: { route: string; path: string; status: number; send: () => Test }[] = [
      {
        route: '/v1/auth/register',
        path: '/v1/auth/register',
        status: 201,
        send: () => t.http().post('/v1/auth/register').send(newUser),
      },
      {
        route: '/v1/events',
        path: '/v1/events',
        status: 201,
        send: () => t.http().post('/v1/events').set(manager.auth).send({ name: 'Traced', numberOfSeats: 10 }),
      },
      ...holders.map(({ seat, holder }) => ({
        route: holdRoute,
        path: `/v1/events/${event.id}/seats/${seat.id}/hold`,
        status: 200,
        send: () => t.http().post(`/v1/events/${event.id}/seats/${seat.id}/hold`).set(holder.auth),
      })),
    ];
    const traced = calls.map((call) => ({ ...call, traceId: hex(16), callerSpanId: hex(8), requestId: randomUUID() }));

    const responses = await Promise.all(
      traced.map((call) =>
        call
          .send()
          .set('traceparent', `00-${call.traceId}-${call.callerSpanId}-01`)
          .set('x-request-id', call.requestId),
      ),
    );
    await until(t, () => traced.every((call) => collector.inTrace(call.traceId).some((s) => s.kind === SERVER)));

    for (const [i, call] of traced.entries()) {
      expect({ route: call.route, status: responses[i].status }).toEqual({ route: call.route, status: call.status });
      // The trace id comes back to the caller.
      expect(responses[i].headers['x-trace-id']).toBe(call.traceId);

      const spans = collector.inTrace(call.traceId);
      const servers = spans.filter((s) => s.kind === SERVER);
      expect(servers).toHaveLength(1);
      const [server] = servers;
      expect(server).toMatchObject({
        name: `POST ${call.route}`,
        parentSpanId: call.callerSpanId,
        attributes: {
          'http.request.method': 'POST',
          'http.route': call.route,
          'http.response.status_code': call.status,
          'url.path': call.path,
          'url.scheme': 'http',
          'http.response.header.x-request-id': [call.requestId],
        },
        resource: { 'service.name': 'booking-test' },
      });
      expect(server.status?.code ?? 0).toBe(0);

      // Every Redis command of the request is a client span directly under its server span: none of another's.
      const commands = spans.filter((s) => s.kind === CLIENT);
      expect(commands.length).toBeGreaterThan(0);
      for (const command of commands) {
        expect(command).toMatchObject({
          parentSpanId: server.spanId,
          attributes: { 'db.system.name': 'redis', 'db.namespace': '0', 'server.address': expect.any(String) },
        });
        expect(command.attributes['db.operation.name']).toMatch(/^[A-Z]+$/);
      }
      const scripts = commands.map((s) => s.attributes['db.stored_procedure.name']).filter(Boolean);
      if (call.route === holdRoute) {
        expect(scripts).toEqual(['holdSeats']);
        // ioredis sends a script it has not loaded on the connection yet as EVAL, then by SHA1.
        const script = commands.find((s) => s.attributes['db.stored_procedure.name'] === 'holdSeats')!;
        expect(script.name).toBe(`${script.attributes['db.operation.name']} holdSeats`);
        expect(script.attributes['db.operation.name']).toMatch(/^EVAL(SHA)?$/);
      } else {
        expect(scripts).not.toContain('holdSeats');
      }
    }
    const registerCommands = collector.inTrace(traced[0].traceId).map((s) => s.name);
    expect(registerCommands).toEqual(expect.arrayContaining(['HSET', 'SET', 'ZADD']));

    // Each hold's script span sits in that hold's trace and no other, and no client span anywhere lacks its request.
    const holdSpans = collector.spans.filter((s) => s.attributes['db.stored_procedure.name'] === 'holdSeats');
    expect(new Set(holdSpans.map((s) => s.traceId))).toEqual(
      new Set(traced.filter((c) => c.route === holdRoute).map((c) => c.traceId)),
    );
    const serverSpans = new Map(collector.spans.filter((s) => s.kind === SERVER).map((s) => [s.spanId, s]));
    for (const command of collector.spans.filter((s) => s.kind === CLIENT)) {
      expect(serverSpans.get(command.parentSpanId ?? '')?.traceId).toBe(command.traceId);
    }

    // Argument values are never recorded: the new user's details, nor the holders' ids (arguments of holdSeats).
    const exported = JSON.stringify(collector.spans);
    for (const secret of [newUser.email, newUser.password, newUser.name, ...holders.map((h) => h.holder.id)]) {
      expect({ secret, exported: exported.includes(secret) }).toEqual({ secret, exported: false });
    }
    expect([...collector.contentTypes]).toEqual(['application/json']);
  });

  it('keeps a request in its span when the body arrives after the headers', async () => {
    const manager = await t.register('manager');
    const traceId = hex(16);
    // Headers first, the body a moment later: the body is read in the socket's async context, which Fastify's
    // parser leaves for the request's (a Fastify that stopped doing so would lose the span here).
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${t.url}/v1/events`, {
        method: 'POST',
        agent: false,
        headers: { ...manager.auth, 'content-type': 'application/json', traceparent: `00-${traceId}-${hex(8)}-01` },
      });
      request.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      });
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => request.end(JSON.stringify({ name: 'Slow body', numberOfSeats: 10 })), 50);
    });
    expect(status).toBe(201);
    await until(t, () => collector.inTrace(traceId).some((s) => s.kind === SERVER));
    const spans = collector.inTrace(traceId);
    const server = spans.find((s) => s.kind === SERVER)!;
    const commands = spans.filter((s) => s.kind === CLIENT);
    expect(commands.map((s) => s.name)).toContain('ZADD');
    for (const command of commands) expect(command.parentSpanId).toBe(server.spanId);
  });

  it('ends the span of a request whose client hangs up before the answer', async () => {
    const manager = await t.register('manager');
    const traceId = hex(16);
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${t.url}/v1/events`, {
        method: 'POST',
        agent: false,
        headers: { ...manager.auth, 'content-type': 'application/json', traceparent: `00-${traceId}-${hex(8)}-01` },
      });
      request.on('error', () => resolve());
      request.flushHeaders();
      // Gone before the body: the request never reaches its handler, and no response follows.
      setTimeout(() => request.destroy(), 50);
    });
    await until(t, () => collector.inTrace(traceId).length > 0);
    const [span] = collector.inTrace(traceId);
    expect(span).toMatchObject({ name: 'POST /v1/events', attributes: { 'error.type': 'aborted' } });
    expect(span.attributes['http.response.status_code']).toBeUndefined();
  });

  it('ends the span of a seat stream (SSE) when its client closes it, as answered', async () => {
    const manager = await t.register('manager');
    const event = await createEvent(t, manager);
    const traceId = hex(16);
    await new Promise<void>((resolve, reject) => {
      const request = httpRequest(`${t.url}/v1/events/${event.id}/seats/stream`, {
        agent: false,
        headers: { traceparent: `00-${traceId}-${hex(8)}-01` },
      });
      request.on('response', (response) => {
        expect(response.statusCode).toBe(200);
        response.once('data', () => {
          request.destroy();
          resolve();
        });
      });
      request.on('error', reject);
      request.end();
    });
    await until(t, () => collector.inTrace(traceId).some((s) => s.kind === SERVER));
    const server = collector.inTrace(traceId).find((s) => s.kind === SERVER)!;
    expect(server).toMatchObject({
      name: 'GET /v1/events/:eventId/seats/stream',
      attributes: { 'http.response.status_code': 200 },
    });
    expect(server.attributes['error.type']).toBeUndefined();
  });

  it('starts a trace for a request without traceparent, and records the path without its query', async () => {
    const res = await t.http().get('/v1/events?limit=5').expect(200);
    const traceId = res.headers['x-trace-id'];
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    await until(t, () => collector.inTrace(traceId).some((s) => s.kind === SERVER));
    const server = collector.inTrace(traceId).find((s) => s.kind === SERVER)!;
    expect(server.parentSpanId ?? '').toBe('');
    expect(server).toMatchObject({ name: 'GET /v1/events', attributes: { 'url.path': '/v1/events' } });
  });

  it('records nothing for a caller trace that is not sampled, and still answers its trace id', async () => {
    const traceId = hex(16);
    const res = await t
      .http()
      .get('/v1/events')
      .set('traceparent', `00-${traceId}-${hex(8)}-00`)
      .expect(200);
    expect(res.headers['x-trace-id']).toBe(traceId);
    // A sampled request after it: once its span is in, the unsampled one would be too.
    const after = await t.http().get('/v1/events').expect(200);
    await until(t, () => collector.inTrace(after.headers['x-trace-id']).length > 0);
    expect(collector.inTrace(traceId)).toEqual([]);
  });

  it('names an unmatched request by its method only, and leaves probes untraced', async () => {
    const missing = await t.http().get('/v1/no-such-route').expect(404);
    const probe = await t.http().get('/health/live').expect(200);
    expect(probe.headers['x-trace-id']).toBeUndefined();
    await until(t, () => collector.inTrace(missing.headers['x-trace-id']).length > 0);
    const [span] = collector.inTrace(missing.headers['x-trace-id']);
    expect(span).toMatchObject({ name: 'GET', attributes: { 'http.response.status_code': 404 } });
    expect(span.attributes['http.route']).toBeUndefined();
    expect(collector.spans.filter((s) => s.attributes['http.route'] === '/health/live')).toEqual([]);
  });

  it('marks a 5xx answer as an error', async () => {
    const down = await TestApp.start({
      redisUrl: `redis://127.0.0.1:${await freePort()}`,
      redisCommandTimeoutMs: 200,
      otelExporterOtlpEndpoint: collector.url,
    });
    try {
      const res = await down.http().get('/v1/events').expect(503);
      await until(down, () => collector.inTrace(res.headers['x-trace-id']).length > 0);
      expect(collector.inTrace(res.headers['x-trace-id'])).toMatchObject([
        {
          name: 'GET /v1/events',
          status: { code: 2 },
          attributes: { 'http.response.status_code': 503, 'error.type': '503' },
        },
      ]);
    } finally {
      await down.close();
    }
  });

  it('sends the last spans when the app shuts down', async () => {
    const second = await TestApp.start({ otelExporterOtlpEndpoint: collector.url });
    const res = await second.http().get('/v1/events').expect(200);
    await second.close();
    expect(collector.inTrace(res.headers['x-trace-id']).map((s) => s.name)).toContain('GET /v1/events');
  });
});

describe('tracing without an endpoint', () => {
  let t: TestApp;
  let subscriptions: number;

  beforeAll(async () => {
    subscriptions = await commandChannelSubscriptions(async () => {
      t = await TestApp.start();
    });
  });
  afterAll(() => t?.close());

  it('adds no hook and no channel subscriber, and answers no trace id', async () => {
    expect(t.config.otelExporterOtlpEndpoint).toBeUndefined();
    // Only the metrics' subscription.
    expect(subscriptions).toBe(1);
    expect(t.app.get(Tracing).enabled).toBe(false);
    const hooks = hookNames(t);
    for (const name of ['startServerSpan', 'endServerSpan', 'endAbortedSpan']) expect(hooks).not.toContain(name);
    const res = await t
      .http()
      .get('/v1/events')
      .set('traceparent', `00-${hex(16)}-${hex(8)}-01`)
      .expect(200);
    expect(res.headers['x-trace-id']).toBeUndefined();
  });
});

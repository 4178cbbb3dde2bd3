import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { WebSocket } from 'ws';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { SeatStreamController } from '../../src/events/seat-stream.controller.js';
import { SeatChanges } from '../../src/events/seat-changes.js';
import { createEvent } from '../support/events.js';
import { eventually } from '../support/eventually.js';
import { connectLive, openSse as openStream, waitFor } from '../support/live.js';
import type { LiveClient, SseEvent } from '../support/live.js';

/** The answer to a WebSocket handshake the server refuses: status, headers and body. */
function refusedHandshake(
  baseUrl: string,
  query: string,
  path = '/v1/live',
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}${path}${query}`);
    ws.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    ws.once('open', () => {
      ws.close();
      reject(new Error('the handshake was accepted'));
    });
    ws.once('error', () => undefined);
  });
}

/** A raw socket that records its messages and how it was closed. */
async function rawSocket(baseUrl: string, token: string) {
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/v1/live?access_token=${encodeURIComponent(token)}`);
  const messages: Record<string, unknown>[] = [];
  let closeCode: number | undefined;
  ws.on('message', (data) => messages.push(JSON.parse(data.toString())));
  ws.on('close', (code) => (closeCode = code));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return { ws, messages, closeCode: () => closeCode };
}

const seatSeqs = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'seat.updated').map((e) => (JSON.parse(e.data) as { seq: number }).seq);

describe('live updates, hardened', () => {
  let t: TestApp;
  let manager: Account;
  let alice: Account;
  let bob: Account;
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    // The clock stands still, so no socket's message budget refills: a million is more than any test here sends.
    t = await TestApp.start({ accessTokenTtlSeconds: 86_400, liveMaxMessagesPerSecond: 1_000_000 });
    [manager, alice, bob] = await Promise.all([t.register('manager'), t.register(), t.register()]);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });

  const live = async (who: Account, app = t) => {
    const socket = await connectLive(app.url, who.token);
    sockets.push(socket);
    return socket;
  };
  const hold = (event: { id: string; seats: { id: string }[] }, n: number, who = bob, app = t) =>
    app
      .http()
      .post(`/v1/events/${event.id}/seats/${event.seats[n - 1].id}/hold`)
      .set(who.auth);
  const count = (socket: LiveClient, predicate: (m: Record<string, unknown>) => boolean) =>
    socket.messages.filter(predicate).length;
  const atLeast = (socket: LiveClient, predicate: (m: Record<string, unknown>) => boolean, n: number) =>
    waitFor(() => (count(socket, predicate) >= n ? true : undefined), 20_000);

  describe('a new stream misses nothing', () => {
    it('delivers the change made right after an SSE stream answered, 30 times, each on a fresh instance', async () => {
      for (let i = 0; i < 30; i++) {
        // A fresh instance has no pub/sub subscription yet: the widest window between answering and listening.
        const fresh = await TestApp.start({ redisKeyPrefix: t.config.redisKeyPrefix, accessTokenTtlSeconds: 86_400 });
        try {
          const event = await createEvent(t, manager);
          let first: Promise<unknown> | undefined;
          // The hold is sent in the same tick as the stream's headers arrive.
          const stream = openStream(`${fresh.url}/v1/events/${event.id}/seats/stream`, {}, () => {
            first = hold(event, 1, alice, fresh).then((res) => expect(res.status).toBe(200));
          });
          try {
            await waitFor(() => first, 5000);
            await first;
            await hold(event, 2, alice, fresh).expect(200); // the sentinel: once it is on the stream, so is the first
            await waitFor(() => (seatSeqs(stream.events).includes(2) ? true : undefined), 5000);
            expect(seatSeqs(stream.events)).toEqual([1, 2]);
          } finally {
            stream.close();
          }
        } finally {
          await fresh.close();
        }
      }
    });
  });

  describe('one socket’s messages are handled in order', () => {
    const subscribed = (eventId: string) => (m: Record<string, unknown>) =>
      m.type === 'subscribed' && m.eventId === eventId;
    const replies = (socket: LiveClient) =>
      socket.messages.filter((m) => m.type === 'subscribed' || m.type === 'unsubscribed' || m.type === 'error');

    it('leaves a socket unsubscribed after 500 subscribe/unsubscribe pairs, answering each in order', async () => {
      const event = await createEvent(t, manager);
      const socket = await live(alice);
      for (let i = 0; i < 500; i++) {
        socket.send({ type: 'subscribe', eventId: event.id });
        socket.send({ type: 'unsubscribe', eventId: event.id });
      }
      await waitFor(() => (replies(socket).length >= 1000 ? true : undefined), 20_000);
      expect(replies(socket).map((m) => m.type)).toEqual(
        Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? 'subscribed' : 'unsubscribed')),
      );
      await hold(event, 1).expect(200);
      // The sentinel: subscribed again from now on, a later change arrives after the first hold would have.
      socket.send({ type: 'subscribe', eventId: event.id });
      await atLeast(socket, subscribed(event.id), 501);
      await hold(event, 2).expect(200);
      const seat = (n: number) => (m: Record<string, unknown>) =>
        m.type === 'seat.updated' && m.seatId === event.seats[n - 1].id;
      await socket.next(seat(2));
      expect(count(socket, seat(1))).toBe(0);
      expect(count(socket, seat(2))).toBe(1);
    });

    it('counts every live subscription against the cap of 20 per socket, and only live ones', async () => {
      const events = await Promise.all(Array.from({ length: 21 }, () => createEvent(t, manager)));
      const socket = await live(alice);
      for (const event of events.slice(0, 20)) {
        socket.send({ type: 'subscribe', eventId: event.id });
        socket.send({ type: 'unsubscribe', eventId: event.id });
      }
      for (const event of events) socket.send({ type: 'subscribe', eventId: event.id });
      await waitFor(() => (replies(socket).length >= 61 ? true : undefined), 20_000);
      expect(
        replies(socket)
          .slice(40)
          .map((m) => [m.type, m.code, m.eventId]),
      ).toEqual([
        ...events.slice(0, 20).map((e) => ['subscribed', undefined, e.id]),
        ['error', 'TOO_MANY_SUBSCRIPTIONS', events[20].id],
      ]);
      socket.send({ type: 'unsubscribe', eventId: events[0].id });
      socket.send({ type: 'subscribe', eventId: events[20].id });
      await socket.next(subscribed(events[20].id));
    });
  });

  describe('a client ahead of the event’s sequence', () => {
    it('gets resync on a socket subscribing with a lastSeq above the current one, then every later change', async () => {
      const event = await createEvent(t, manager);
      await hold(event, 1).expect(200); // seq 1
      const socket = await live(alice);
      socket.send({ type: 'subscribe', eventId: event.id, lastSeq: 50 });
      const resync = await socket.next((m) => m.type === 'resync' && m.eventId === event.id);
      expect(resync.seq).toBe(1);
      expect(await socket.next((m) => m.type === 'subscribed' && m.eventId === event.id)).toMatchObject({ seq: 1 });
      await hold(event, 2).expect(200);
      const update = await socket.next((m) => m.type === 'seat.updated' && m.eventId === event.id);
      expect(update).toMatchObject({ seatId: event.seats[1].id, status: 'held', seq: 2 });
    });

    it('gets a resync event on an SSE stream resuming from a Last-Event-ID above the current one', async () => {
      const event = await createEvent(t, manager);
      await hold(event, 1).expect(200);
      const stream = openStream(`${t.url}/v1/events/${event.id}/seats/stream`, { 'Last-Event-ID': '50' });
      try {
        const resync = await waitFor(() => stream.events.find((e) => e.event === 'resync'), 3000);
        expect(resync.id).toBe('1');
        expect(JSON.parse(resync.data)).toEqual({ eventId: event.id, seq: 1 });
        await hold(event, 2).expect(200);
        await waitFor(() => (seatSeqs(stream.events).includes(2) ? true : undefined), 3000);
        expect(seatSeqs(stream.events)).toEqual([2]);
      } finally {
        stream.close();
      }
    });
  });

  describe('the handshake refusal', () => {
    it('is the same problem+json as every other 401, with request id and security headers', async () => {
      const http401 = await t.http().get('/v1/users/me/holds');
      expectProblem(http401, 401, 'UNAUTHORIZED');
      for (const query of ['', '?access_token=garbage']) {
        const refused = await refusedHandshake(t.url, query);
        expect(refused.status).toBe(401);
        expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
        const problem = JSON.parse(refused.body);
        expect(problem).toMatchObject({
          type: http401.body.type,
          title: http401.body.title,
          status: 401,
          code: 'UNAUTHORIZED',
          instance: '/v1/live',
          detail: expect.any(String),
          requestId: refused.headers['x-request-id'],
        });
        for (const name of [
          'content-security-policy',
          'strict-transport-security',
          'x-content-type-options',
          'x-frame-options',
          'referrer-policy',
          'cross-origin-opener-policy',
          'cross-origin-resource-policy',
        ]) {
          expect([name, refused.headers[name]]).toEqual([name, http401.headers[name]]);
        }
        expect(refused.headers['x-powered-by']).toBeUndefined();
      }
      const elsewhere = await refusedHandshake(t.url, `?access_token=${alice.token}`, '/v1/elsewhere');
      expect(elsewhere.status).toBe(404);
      expect(JSON.parse(elsewhere.body)).toMatchObject({
        code: 'NOT_FOUND',
        requestId: elsewhere.headers['x-request-id'],
      });
      expect(elsewhere.headers['x-content-type-options']).toBe('nosniff');
      // A handshake `ws` itself would refuse (no Sec-WebSocket-Key) is problem+json too.
      const bare = await new Promise<{ status: number; headers: IncomingHttpHeaders; body: string }>((resolve) => {
        const req = httpRequest(`${t.url}/v1/live?access_token=${alice.token}`, {
          headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13' },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.end();
      });
      expect(bare.status).toBe(400);
      expect(JSON.parse(bare.body)).toMatchObject({
        code: 'MALFORMED_REQUEST',
        requestId: bare.headers['x-request-id'],
      });
    });

    it('answers an Upgrade request whose target no URL parser accepts, and the process lives on', async () => {
      const { port } = new URL(t.url);
      for (const target of ['//[', '//@', '//']) {
        const answer = await new Promise<string>((resolve, reject) => {
          const socket = connect(Number(port), '127.0.0.1');
          let text = '';
          socket.on('data', (chunk) => (text += chunk.toString()));
          socket.on('end', () => resolve(text));
          socket.on('error', reject);
          socket.write(
            `GET ${target} HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
              'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
          );
        });
        expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
        expect(answer).toMatch(/content-type: application\/problem\+json/i);
      }
      expect((await t.http().get('/health/live')).status).toBe(200);
    });
  });
});

describe('live connection limits', () => {
  let t: TestApp;
  let manager: Account;
  let alice: Account;
  let bob: Account;
  const closers: (() => void)[] = [];

  beforeAll(async () => {
    t = await TestApp.start({
      accessTokenTtlSeconds: 86_400,
      liveMaxSocketsPerClient: 2,
      liveMaxStreamsPerClient: 2,
      liveMaxStreamsPerAddress: 3,
      liveMaxMessagesPerSecond: 5,
    });
    [manager, alice, bob] = await Promise.all([t.register('manager'), t.register(), t.register()]);
  });
  afterAll(async () => {
    closers.forEach((close) => close());
    await t.close();
  });

  const socket = async (who: Account) => {
    const s = await rawSocket(t.url, who.token);
    closers.push(() => s.ws.close());
    return s;
  };
  const stream = async (eventId: string, headers: Record<string, string> = {}) => {
    const s = openStream(`${t.url}/v1/events/${eventId}/seats/stream`, headers);
    closers.push(s.close);
    await waitFor(() => (s.status() ? true : undefined), 3000);
    return s;
  };

  it('refuses a user’s WebSocket beyond the cap with 429 problem+json and Retry-After, until one closes', async () => {
    const first = await socket(alice);
    await socket(alice);
    const refused = await refusedHandshake(t.url, `?access_token=${alice.token}`);
    expect(refused.status).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(JSON.parse(refused.body)).toMatchObject({
      status: 429,
      code: 'TOO_MANY_CONNECTIONS',
      requestId: refused.headers['x-request-id'],
    });
    await socket(bob); // another user has caps of their own
    first.ws.close();
    await eventually(async () => {
      await socket(alice);
    }, 5000);
  });

  it('refuses a client’s SSE stream beyond the cap with 429, counting users and anonymous addresses apart', async () => {
    const event = await createEvent(t, manager);
    const first = await stream(event.id);
    expect(first.status()).toBe(200);
    expect((await stream(event.id)).status()).toBe(200);
    // Anonymous viewers share their address (EventSource sends no token): their cap is the per-address one, 3 here.
    expect((await stream(event.id)).status()).toBe(200);
    // Read as a stream: were it accepted, the answer would never end.
    const refused = await stream(event.id);
    expect(refused.status()).toBe(429);
    expect(refused.headers()['content-type']).toMatch(/^application\/problem\+json/);
    expect(Number(refused.headers()['retry-after'])).toBeGreaterThan(0);
    await waitFor(() => (refused.ended() ? true : undefined), 3000);
    expect(JSON.parse(refused.body())).toMatchObject({
      status: 429,
      code: 'TOO_MANY_CONNECTIONS',
      requestId: refused.headers()['x-request-id'],
    });
    expect((await stream(event.id, alice.auth)).status()).toBe(200); // counted as alice, not as the address
    expect((await stream(event.id, alice.auth)).status()).toBe(200);
    const aliceRefused = await stream(event.id, alice.auth); // a signed-in user's own cap, 2 here
    expect(aliceRefused.status()).toBe(429);
    first.close();
    await eventually(async () => {
      const again = await stream(event.id);
      if (again.status() !== 200) again.close();
      expect(again.status()).toBe(200);
    }, 5000);
  });

  it('lets go of everything of a stream whose client left while its start was read from Redis', async () => {
    const event = await createEvent(t, manager);
    const controller = t.app.get(SeatStreamController) as unknown as {
      open: Set<unknown>;
      userStreams: { open: Map<string, number> };
    };
    const live = t.app.get(SeatChanges);
    const currentSeq = live.currentSeq.bind(live);
    let asked = false;
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    // The real read, answered only once the client has gone.
    live.currentSeq = async (eventId: string) => {
      asked = true;
      const seq = await currentSeq(eventId);
      await held;
      return seq;
    };
    try {
      // Other tests' streams may still be open: compare with what was open before.
      const counted = () => [...controller.userStreams.open.values()].reduce((a, b) => a + b, 0);
      const [before, countedBefore] = [controller.open.size, counted()];
      const leaving = openStream(`${t.url}/v1/events/${event.id}/seats/stream`, bob.auth);
      await waitFor(() => (asked ? true : undefined), 10_000);
      leaving.close();
      await waitFor(() => (counted() === countedBefore ? true : undefined), 10_000);
      letGo();
      // Let the handler run to its end: the read's answer and everything chained on it settle before I/O resumes.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      expect(controller.open.size).toBe(before);
      expect(counted()).toBe(countedBefore);
    } finally {
      live.currentSeq = currentSeq;
    }
  });

  it('closes a socket that sends more messages than its budget with 1008, and keeps one that does not', async () => {
    const calm = await socket(bob);
    for (let i = 0; i < 5; i++) calm.ws.send('{not json');
    await waitFor(() => (calm.messages.filter((m) => m.code === 'BAD_MESSAGE').length === 5 ? true : undefined), 3000);
    t.clock.advance(1000); // a second later the budget is full again
    for (let i = 0; i < 5; i++) calm.ws.send('{not json');
    await waitFor(() => (calm.messages.filter((m) => m.code === 'BAD_MESSAGE').length === 10 ? true : undefined), 3000);
    expect(calm.closeCode()).toBeUndefined();

    const flood = await socket(manager);
    for (let i = 0; i < 1000; i++) flood.ws.send('{not json');
    await waitFor(() => flood.closeCode(), 5000);
    expect(flood.closeCode()).toBe(1008);
    expect(flood.messages.filter((m) => m.code === 'BAD_MESSAGE').length).toBeLessThanOrEqual(5);
  });
});

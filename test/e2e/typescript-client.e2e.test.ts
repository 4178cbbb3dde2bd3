import { randomUUID } from 'node:crypto';
import { MemoryTokenStore, ProblemError, createBookingClient, ok } from '../../clients/typescript/src/index.js';
import type { BookingClient, LiveMessage, SeatUpdated } from '../../clients/typescript/src/index.js';
import { LiveSocket, followSeatStream } from '../../clients/typescript/src/live.js';
import { bookingBody } from '../support/factories.js';
import { waitFor } from '../support/live.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/**
 * The hand-written layer of clients/typescript against the real service and Redis, through Node's own fetch and
 * WebSocket (the globals a browser has). Refresh requests are counted on the wire, under the client.
 */
describe('TypeScript client', () => {
  let t: TestApp;
  const refreshes: string[] = [];
  const countingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).pathname === '/v1/auth/refresh') refreshes.push(url);
    return fetch(input, init);
  };

  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());
  beforeEach(() => (refreshes.length = 0));

  const newClient = (onSessionEnded?: () => void) =>
    createBookingClient({ baseUrl: t.url, fetch: countingFetch, onSessionEnded });
  const clientOf = (account: Account) => {
    const tokens = new MemoryTokenStore();
    tokens.save({ accessToken: account.token, refreshToken: account.refreshToken });
    return createBookingClient({ baseUrl: t.url, tokens, fetch: countingFetch });
  };
  const registered = async (): Promise<BookingClient> => {
    const client = newClient();
    await client.register({
      email: `${randomUUID()}@example.com`,
      password: 'correct horse battery',
      name: 'Ann',
      role: 'customer',
    });
    return client;
  };
  const expireAccessToken = () => t.clock.advance((t.config.accessTokenTtlSeconds + 1) * 1000);

  it('registers, signs in and calls a protected route with the stored token', async () => {
    const email = `${randomUUID()}@example.com`;
    const client = newClient();
    const session = await client.register({ email, password: 'correct horse battery', name: 'Ann', role: 'customer' });
    expect(ok(await client.api.GET('/v1/auth/me')).id).toBe(session.user.id);

    const other = newClient();
    await other.login({ email, password: 'correct horse battery' });
    expect(ok(await other.api.GET('/v1/auth/me')).email).toBe(email);
    await expect(other.login({ email, password: 'wrong horse battery' })).rejects.toMatchObject({
      status: 401,
      code: 'INVALID_CREDENTIALS',
    });
  });

  it('a 401 after the access token expired is refreshed once and the call retried', async () => {
    const client = await registered();
    const before = client.tokens.load()!;
    expireAccessToken();

    const me = await client.api.GET('/v1/auth/me');

    expect(me.response.status).toBe(200);
    expect(refreshes).toHaveLength(1);
    const after = client.tokens.load()!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(after.accessToken).not.toBe(before.accessToken);
  });

  it('calls made together while the token is expired share one refresh', async () => {
    const client = await registered();
    expireAccessToken();

    const answers = await Promise.all(Array.from({ length: 8 }, () => client.api.GET('/v1/auth/me')));

    expect(answers.map((a) => a.response.status)).toEqual(Array(8).fill(200));
    expect(refreshes).toHaveLength(1);
  });

  it('a refresh token used twice ends the session: the client forgets it and reports the end once', async () => {
    let ended = 0;
    const client = newClient(() => ended++);
    await client.register({
      email: `${randomUUID()}@example.com`,
      password: 'correct horse battery',
      name: 'Ann',
      role: 'customer',
    });
    const stolen = client.tokens.load()!.refreshToken;
    await client.refresh();
    // Someone replays the old refresh token after the reuse grace: the service ends every session of that login.
    t.clock.advance(t.config.refreshReuseGraceSeconds * 1000);
    const replay = await fetch(`${t.url}/v1/auth/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: stolen }),
    });
    expect(replay.status).toBe(401);
    expireAccessToken();

    const me = await client.api.GET('/v1/auth/me');

    expect(me.response.status).toBe(401);
    expect(() => ok(me)).toThrow(ProblemError);
    expect(client.tokens.load()).toBeNull();
    expect(client.signedIn()).toBe(false);
    expect(ended).toBe(1);
  });

  it('a create retried with the same Idempotency-Key makes one booking; without one, the client sends a fresh key', async () => {
    const client = await registered();
    const body = bookingBody(t.clock.now());
    const key = randomUUID();

    const first = await client.api.POST('/v1/bookings', { body, params: { header: { 'Idempotency-Key': key } } });
    const again = await client.api.POST('/v1/bookings', { body, params: { header: { 'Idempotency-Key': key } } });

    expect(ok(again).id).toBe(ok(first).id);
    expect(again.response.headers.get('Idempotent-Replayed')).toBe('true');
    expect(ok(await client.api.GET('/v1/bookings')).items).toHaveLength(1);

    const sent: (string | null)[] = [];
    const spying = createBookingClient({
      baseUrl: t.url,
      tokens: client.tokens,
      fetch: async (input, init) => {
        sent.push((input as Request).headers.get('Idempotency-Key'));
        return fetch(input, init);
      },
    });
    ok(await spying.api.POST('/v1/bookings', { body }));
    ok(await spying.api.POST('/v1/bookings', { body }));
    expect(sent).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/), expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect(sent[0]).not.toBe(sent[1]);
  });

  it('If-Match comes from the last ETag seen; an edit that lost to another gets the typed 412', async () => {
    const email = `${randomUUID()}@example.com`;
    const mine = newClient();
    await mine.register({ email, password: 'correct horse battery', name: 'Ann', role: 'customer' });
    const theirs = newClient();
    await theirs.login({ email, password: 'correct horse battery' });
    const created = ok(await mine.api.POST('/v1/bookings', { body: bookingBody(t.clock.now()) }));
    const path = `/v1/bookings/${created.id}`;
    const params = { path: { bookingId: created.id } };
    expect(mine.ifMatch(path)).toBe('"1"');

    ok(await theirs.api.GET('/v1/bookings/{bookingId}', { params }));
    ok(
      await theirs.api.PATCH('/v1/bookings/{bookingId}', {
        params: { ...params, header: { 'If-Match': theirs.ifMatch(path) } },
        body: { title: 'Theirs' },
      }),
    );
    expect(theirs.ifMatch(path)).toBe('"2"');

    const lost = await mine.api.PATCH('/v1/bookings/{bookingId}', {
      params: { ...params, header: { 'If-Match': mine.ifMatch(path) } },
      body: { title: 'Mine' },
    });
    const error = catchProblem(() => ok(lost));
    expect(error).toMatchObject({ status: 412, code: 'PRECONDITION_FAILED' });
    expect(error.title).toEqual(expect.any(String));
    expect(error.detail).toEqual(expect.any(String));
    expect(error.field('requestId')).toBe(lost.response.headers.get('x-request-id'));

    const explicit = await mine.api.PATCH('/v1/bookings/{bookingId}', {
      params: { ...params, header: { 'If-Match': mine.ifMatch(path, 2) } },
      body: { title: 'Mine' },
    });
    expect(ok(explicit).title).toBe('Mine');
  });

  it('a seat someone else holds is a 409 whose error carries the code', async () => {
    const manager = clientOf(await t.register('manager'));
    const event = ok(await manager.api.POST('/v1/events', { body: { name: 'Opera', numberOfSeats: 10 } }));
    const seats = ok(await manager.api.GET('/v1/events/{eventId}/seats', { params: { path: { eventId: event.id } } }));
    const seat = { eventId: event.id, seatId: seats[0].id };
    const ann = await registered();
    const bob = await registered();

    ok(await ann.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', { params: { path: seat } }));
    const taken = await bob.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', { params: { path: seat } });

    expect(catchProblem(() => ok(taken))).toMatchObject({ status: 409, code: 'SEAT_UNAVAILABLE' });
  });

  it('the WebSocket delivers seat changes and, after a dropped connection, resubscribes with lastSeq', async () => {
    const manager = clientOf(await t.register('manager'));
    const event = ok(await manager.api.POST('/v1/events', { body: { name: 'Ballet', numberOfSeats: 10 } }));
    const seats = ok(await manager.api.GET('/v1/events/{eventId}/seats', { params: { path: { eventId: event.id } } }));
    const seatPath = (i: number) => ({ params: { path: { eventId: event.id, seatId: seats[i].id } } });
    const viewer = await registered();
    const buyer = await registered();

    const sockets: RecordingSocket[] = [];
    class RecordingSocket extends WebSocket {
      readonly sent: Record<string, unknown>[] = [];
      constructor(url: string | URL) {
        super(url);
        sockets.push(this);
      }
      override send(data: string): void {
        this.sent.push(JSON.parse(data));
        super.send(data);
      }
    }
    const updates: SeatUpdated[] = [];
    const messages: LiveMessage[] = [];
    const live = new LiveSocket(t.url, {
      accessToken: () => viewer.tokens.load()?.accessToken,
      refresh: () => viewer.refresh(),
      onSeat: (u) => updates.push(u),
      onMessage: (m) => messages.push(m as LiveMessage),
      reconnectDelayMs: 10,
      WebSocket: RecordingSocket as unknown as typeof WebSocket,
    });
    live.connect();
    try {
      live.follow(event.id);
      await waitFor(() => messages.find((m) => m.type === 'subscribed'), 10_000);

      ok(await buyer.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', seatPath(0)));
      const held = await waitFor(() => updates.find((u) => u.seatId === seats[0].id), 10_000);
      expect(held).toMatchObject({ eventId: event.id, status: 'held' });
      expect(live.lastSeq(event.id)).toBe(held.seq);

      // The connection drops under the client (not through live.close()): it must come back on its own.
      sockets[0].close();
      ok(await buyer.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', seatPath(1)));

      const missed = await waitFor(() => updates.find((u) => u.seatId === seats[1].id), 10_000);
      expect(missed).toMatchObject({ status: 'held', seq: held.seq + 1 });
      expect(sockets.length).toBeGreaterThanOrEqual(2);
      expect(sockets.at(-1)!.sent).toContainEqual({ type: 'subscribe', eventId: event.id, lastSeq: held.seq });
      expect(updates.filter((u) => u.seq === missed.seq)).toHaveLength(1);
    } finally {
      live.close();
    }
  });

  it('a lastSeq the event has not reached gets resync', async () => {
    const manager = clientOf(await t.register('manager'));
    const event = ok(await manager.api.POST('/v1/events', { body: { name: 'Jazz', numberOfSeats: 10 } }));
    const viewer = await registered();
    const resyncs: [string, number][] = [];
    const live = new LiveSocket(t.url, {
      accessToken: () => viewer.tokens.load()?.accessToken,
      onResync: (eventId, seq) => resyncs.push([eventId, seq]),
      onStatus: (status) => status === 'open' && live.follow(event.id, 1000),
    });
    live.connect();
    try {
      expect(await waitFor(() => resyncs[0], 10_000)).toEqual([event.id, 0]);
      expect(live.lastSeq(event.id)).toBe(0);
    } finally {
      live.close();
    }
  });
});

describe('TypeScript client: the seat stream (EventSource; npm test turns on Node’s with --experimental-eventsource)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start();
  });
  afterAll(() => t.close());

  it('follows a seat map and resumes after the last event id it saw, with no change twice or lost', async () => {
    const tokens = new MemoryTokenStore();
    const manager = await t.register('manager');
    tokens.save({ accessToken: manager.token, refreshToken: manager.refreshToken });
    const client = createBookingClient({ baseUrl: t.url, tokens });
    const event = ok(await client.api.POST('/v1/events', { body: { name: 'Choir', numberOfSeats: 10 } }));
    const seats = ok(await client.api.GET('/v1/events/{eventId}/seats', { params: { path: { eventId: event.id } } }));
    const hold = async (i: number) =>
      ok(
        await client.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', {
          params: { path: { eventId: event.id, seatId: seats[i].id } },
        }),
      );

    const first: SeatUpdated[] = [];
    let opened = false;
    const stream = followSeatStream(t.url, event.id, { onSeat: (u) => first.push(u), onOpen: () => (opened = true) });
    await waitFor(() => opened || undefined, 10_000);
    await hold(0);
    const held = await waitFor(() => first[0], 10_000);
    expect(held).toMatchObject({ seatId: seats[0].id, status: 'held' });
    expect(stream.lastSeq).toBe(held.seq);
    stream.close();

    await hold(1);
    const later: SeatUpdated[] = [];
    const resumed = followSeatStream(t.url, event.id, { onSeat: (u) => later.push(u) }, { lastSeq: stream.lastSeq });
    try {
      const missed = await waitFor(() => later[0], 10_000);
      expect(missed).toMatchObject({ seatId: seats[1].id, status: 'held', seq: held.seq + 1 });
      await hold(2);
      await waitFor(() => later[1], 10_000);
      expect(later.map((u) => u.seq)).toEqual([held.seq + 1, held.seq + 2]);
    } finally {
      resumed.close();
    }
  });

  it('a lastSeq ahead of the event gets resync', async () => {
    const tokens = new MemoryTokenStore();
    const manager = await t.register('manager');
    tokens.save({ accessToken: manager.token, refreshToken: manager.refreshToken });
    const client = createBookingClient({ baseUrl: t.url, tokens });
    const event = ok(await client.api.POST('/v1/events', { body: { name: 'Folk', numberOfSeats: 10 } }));
    const resyncs: (number | undefined)[] = [];
    const stream = followSeatStream(
      t.url,
      event.id,
      { onSeat: () => undefined, onResync: (seq) => resyncs.push(seq) },
      { lastSeq: 50 },
    );
    try {
      expect(await waitFor(() => resyncs[0], 10_000)).toBe(0);
    } finally {
      stream.close();
    }
  });
});

function catchProblem(work: () => unknown): ProblemError {
  try {
    work();
  } catch (error) {
    if (error instanceof ProblemError) return error;
    throw error;
  }
  throw new Error('no ProblemError was thrown');
}

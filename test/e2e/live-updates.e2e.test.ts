import { randomUUID } from 'node:crypto';
import { keys } from '../../src/redis/keys.js';
import type { Account } from '../support/test-app.js';
import { TestApp, expectProblem } from '../support/test-app.js';
import { createEvent } from '../support/events.js';
import type { SeatRow } from '../support/events.js';
import { connectLive, openSse, refusal, waitFor } from '../support/live.js';
import type { LiveClient } from '../support/live.js';

describe('live updates over WebSocket and SSE', () => {
  let t: TestApp;
  let manager: Account;
  let alice: Account;
  let event: { id: string; seats: SeatRow[] };
  const sockets: LiveClient[] = [];

  beforeAll(async () => {
    t = await TestApp.start({
      holdSweepIntervalMs: 100,
      appointmentSweepIntervalMs: 100,
      accessTokenTtlSeconds: 86_400,
    });
    [manager, alice] = await Promise.all([t.register('manager'), t.register()]);
  });
  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await t.close();
  });
  beforeEach(async () => {
    event = await createEvent(t, manager, { holdSeconds: 1 });
  });

  const live = async (who: Account, app = t) => {
    const socket = await connectLive(app.url, who.token);
    sockets.push(socket);
    return socket;
  };
  const subscribe = async (socket: LiveClient, eventId: string, lastSeq?: number) => {
    socket.send({ type: 'subscribe', eventId, ...(lastSeq !== undefined && { lastSeq }) });
    return socket.next((m) => m.type === 'subscribed' && m.eventId === eventId);
  };
  const hold = (n: number, who = alice, app = t) =>
    app
      .http()
      .post(`/v1/events/${event.id}/seats/${event.seats[n - 1].id}/hold`)
      .set(who.auth);
  const seatUpdate = (n: number, status: string) => (m: Record<string, unknown>) =>
    m.type === 'seat.updated' && m.seatId === event.seats[n - 1].id && m.status === status;

  it('refuses a handshake with no, a malformed or an expired token, saying why', async () => {
    const none = await refusal(t.url, '');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body)).toMatchObject({
      code: 'UNAUTHORIZED',
      detail: expect.stringContaining('access_token'),
    });
    expect((await refusal(t.url, '?access_token=garbage')).status).toBe(401);
    const expired = t.app.get((await import('../../src/auth/access-tokens.js')).AccessTokens);
    const old = expired.sign({ id: alice.id, role: 'customer' });
    t.clock.advance(2 * 86_400_000);
    try {
      expect((await refusal(t.url, `?access_token=${old}`)).status).toBe(401);
    } finally {
      t.clock.advance(-2 * 86_400_000);
    }
  });

  it('pushes a seat held through HTTP to a subscribed socket, with a sequence number', async () => {
    const socket = await live(alice);
    const subscribed = await subscribe(socket, event.id);
    await hold(3).expect(200);
    const update = await socket.next(seatUpdate(3, 'held'));
    expect(update).toMatchObject({ eventId: event.id, at: expect.any(String), seq: (subscribed.seq as number) + 1 });
  });

  it('pushes an expired hold, though no request caused it', async () => {
    const socket = await live(alice);
    await subscribe(socket, event.id);
    await hold(4).expect(200);
    t.clock.advance(1000);
    // The sweeper runs every 100 ms here; how soon is a matter for the bench, not for a test on a shared machine.
    await socket.next(seatUpdate(4, 'available'));
    expect((await t.http().get(`/v1/events/${event.id}/seats`)).body.map((s: SeatRow) => s.number)).toContain(4);
  });

  it('replays what a reconnecting client missed, or tells it to re-sync when that is no longer kept', async () => {
    const first = await live(alice);
    const { seq } = await subscribe(first, event.id);
    first.close();
    await hold(1).expect(200);
    await hold(2).expect(200);
    const second = await live(alice);
    await subscribe(second, event.id, seq as number);
    const replayed = second.messages.filter((m) => m.type === 'seat.updated').map((m) => m.seq);
    expect(replayed).toEqual([(seq as number) + 1, (seq as number) + 2]);

    await t.redis.xtrim(keys.seatLog(event.id), 'MAXLEN', 0);
    const third = await live(alice);
    third.send({ type: 'subscribe', eventId: event.id, lastSeq: 0 });
    await third.next((m) => m.type === 'resync' && m.eventId === event.id);
  });

  it('delivers a change made through one instance to a socket connected to another', async () => {
    const other = await TestApp.start({ redisKeyPrefix: t.config.redisKeyPrefix, accessTokenTtlSeconds: 86_400 });
    try {
      const socket = await live(alice, other);
      await subscribe(socket, event.id);
      await hold(6, alice, t).expect(200);
      await socket.next(seatUpdate(6, 'held'));
    } finally {
      await other.close();
    }
  });

  it('sends users their own events and nobody else’s', async () => {
    const bob = await t.register();
    const [aliceSocket, bobSocket] = [await live(alice), await live(bob)];
    const start = new Date(t.clock.now() + 86_400_000).toISOString();
    const end = new Date(t.clock.now() + 2 * 86_400_000).toISOString();
    const created = await t
      .http()
      .post('/v1/bookings')
      .set(alice.auth)
      .send({ type: 'show', title: 'Opera', startTime: start, endTime: end });
    const message = await aliceSocket.next((m) => m.type === 'booking.created');
    expect(message.booking).toMatchObject({ id: created.body.id, title: 'Opera' });
    await hold(7).expect(200);
    await aliceSocket.next((m) => m.type === 'seat.held');
    // Sentinel: bob's own hold, published after alice's messages; anything of alice's would have come before it.
    await hold(8, bob).expect(200);
    await bobSocket.next((m) => m.type === 'seat.held');
    expect(bobSocket.messages.filter((m) => m.type !== 'welcome').map((m) => m.type)).toEqual(['seat.held']);
    expect(bobSocket.messages.find((m) => m.type === 'seat.held')).toMatchObject({ seatIds: [event.seats[7].id] });
  });

  it('tells users of their own holds and releases, with the hold’s times, and nothing of refused ones', async () => {
    const bob = await t.register();
    const socket = await live(alice);
    const held = await hold(9).expect(200);
    await hold(9, bob).expect(409);
    await t.http().delete(`/v1/events/${event.id}/seats/${event.seats[8].id}/hold`).set(alice.auth).expect(204);
    await t.http().delete(`/v1/events/${event.id}/seats/${event.seats[8].id}/hold`).set(alice.auth).expect(404);
    // Sentinel: published after everything above; a message from a refused call would have come before it.
    await hold(10).expect(200);
    await socket.next((m) => m.type === 'seat.held' && (m.seatIds as string[])[0] === event.seats[9].id);
    const mine = socket.messages.filter((m) => m.type !== 'welcome');
    expect(mine.map((m) => m.type)).toEqual(['seat.held', 'seat.released', 'seat.held']);
    expect(mine[0]).toEqual({
      type: 'seat.held',
      at: held.body.serverTime,
      eventId: event.id,
      seatIds: [event.seats[8].id],
      expiresAt: held.body.expiresAt,
    });
    expect(mine[1]).toEqual({
      type: 'seat.released',
      at: expect.any(String),
      eventId: event.id,
      seatIds: [event.seats[8].id],
    });
  });

  it('tells client and provider once when a pending appointment runs out', async () => {
    const provider = await t.register('provider');
    const client = await t.register();
    const start = Math.ceil((t.clock.now() + 48 * 3_600_000) / 900_000) * 900_000;
    const window = { start: new Date(start).toISOString(), end: new Date(start + 1_800_000).toISOString() };
    const { body } = await t
      .http()
      .post('/v1/providers/me/availability')
      .set(provider.auth)
      .send({ windows: [window] });
    const [providerSocket, clientSocket] = [await live(provider), await live(client)];
    const reserved = await t.http().post('/v1/appointments').set(client.auth).send({ slotId: body.slots[0].id });
    expect(reserved.status).toBe(201);
    t.clock.advance(30 * 60_000 + 1000);
    const expiredOf = (id: string) => (m: Record<string, unknown>) =>
      m.type === 'appointment.expired' && (m.appointment as { id: string }).id === id;
    for (const socket of [providerSocket, clientSocket]) {
      const expired = await socket.next(expiredOf(reserved.body.id));
      expect(expired.appointment).toMatchObject({ id: reserved.body.id, status: 'expired' });
    }
    // Sentinel: a second appointment that runs out later is announced by a later sweep; by then a repeated
    // announcement of the first would have come.
    const sentinel = await t.http().post('/v1/appointments').set(client.auth).send({ slotId: body.slots[1].id });
    expect(sentinel.status).toBe(201);
    t.clock.advance(30 * 60_000 + 1000);
    await clientSocket.next(expiredOf(sentinel.body.id));
    expect(clientSocket.messages.filter(expiredOf(reserved.body.id))).toHaveLength(1);
  });

  it('answers bad socket messages with an error and keeps the connection', async () => {
    const socket = await live(alice);
    socket.send({ type: 'subscribe', eventId: randomUUID() });
    expect(await socket.next((m) => m.type === 'error' && m.code === 'NOT_FOUND')).toBeDefined();
    socket.sendRaw('{not json');
    socket.sendRaw('x'.repeat(10_000));
    socket.sendRaw(Buffer.from([1, 2, 3]));
    socket.send({ type: 'dance', eventId: event.id });
    socket.send({ type: 'subscribe', eventId: event.id, lastSeq: -4 });
    await waitFor(
      () => (socket.messages.filter((m) => m.code === 'BAD_MESSAGE').length === 5 ? true : undefined),
      15_000,
    );
    await subscribe(socket, event.id);
    await hold(8).expect(200);
    await socket.next(seatUpdate(8, 'held'));
  });

  it('streams the same seat changes as Server-Sent Events, resuming after Last-Event-ID', async () => {
    const stream = openSse(`${t.url}/v1/events/${event.id}/seats/stream`);
    try {
      await waitFor(() => (stream.status() === 200 ? true : undefined), 15_000);
      await hold(9).expect(200);
      const held = await waitFor(() => stream.events.find((e) => e.event === 'seat.updated'), 15_000);
      expect(JSON.parse(held.data)).toMatchObject({ seatId: event.seats[8].id, status: 'held' });
      stream.close();
      await hold(10).expect(200);
      const resumed = openSse(`${t.url}/v1/events/${event.id}/seats/stream`, { 'Last-Event-ID': held.id! });
      const missed = await waitFor(() => resumed.events.find((e) => e.event === 'seat.updated'), 15_000);
      expect(JSON.parse(missed.data)).toMatchObject({
        seatId: event.seats[9].id,
        status: 'held',
        seq: Number(held.id) + 1,
      });
      resumed.close();
    } finally {
      stream.close();
    }
    expectProblem(await t.http().get(`/v1/events/${randomUUID()}/seats/stream`), 404, 'NOT_FOUND');
    expectProblem(await t.http().get(`/v1/events/${event.id}/seats/stream?lastSeq=abc`), 400, 'VALIDATION_FAILED');
  });
});

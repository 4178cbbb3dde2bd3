import { MemoryTokenStore, createBookingClient, ok } from '../../clients/typescript/src/index.js';
import type { BookingClient } from '../../clients/typescript/src/index.js';
import { LiveSocket, followSeatStream } from '../../clients/typescript/src/live.js';
import { waitFor } from '../support/live.js';
import { TestApp } from '../support/test-app.js';
import type { Account } from '../support/test-app.js';

/** Long enough for several reconnects at `reconnectDelayMs: 10`; only used to prove that nothing more happens. */
const QUIET_MS = 300;
const quiet = () => new Promise((resolve) => setTimeout(resolve, QUIET_MS));

/**
 * The client's session and live channels when things go wrong (issue 17's review): tabs sharing one token store,
 * a session that ends under a reconnecting socket, a socket refused for another reason than its token, and a seat
 * stream reopened with nothing to resume from. Real service, real Redis, Node's fetch, WebSocket and EventSource.
 */
describe('TypeScript client: sessions and reconnects', () => {
  let t: TestApp;
  const refreshes: string[] = [];
  const countingFetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (new URL(url).pathname === '/v1/auth/refresh') refreshes.push(url);
    return fetch(input, init);
  };

  beforeAll(async () => {
    t = await TestApp.start({ liveMaxSocketsPerClient: 1 });
  });
  afterAll(() => t.close());
  beforeEach(() => (refreshes.length = 0));

  const storeOf = (account: Account) => {
    const tokens = new MemoryTokenStore();
    tokens.save({ accessToken: account.token, refreshToken: account.refreshToken });
    return tokens;
  };
  const clientOn = (tokens: MemoryTokenStore, onSessionEnded?: () => void): BookingClient =>
    createBookingClient({ baseUrl: t.url, tokens, fetch: countingFetch, onSessionEnded });
  const expireAccessTokens = () => t.clock.advance((t.config.accessTokenTtlSeconds + 1) * 1000);

  it('two clients on one store (two tabs on localStorage) refreshing at once keep the session', async () => {
    const account = await t.register('customer');
    const store = storeOf(account);
    const ended: string[] = [];
    const tabs = [clientOn(store, () => ended.push('a')), clientOn(store, () => ended.push('b'))];
    for (let round = 0; round < 3; round++) {
      expireAccessTokens();
      const mes = await Promise.all(tabs.map(async (tab) => ok(await tab.api.GET('/v1/auth/me'))));
      expect(mes.map((me) => me.id)).toEqual([account.id, account.id]);
    }
    expect(ended).toEqual([]);
    // One refresh per expiry: the second tab used the pair the first one stored instead of spending the same token.
    expect(refreshes).toHaveLength(3);
    expect(ok(await tabs[1]!.api.GET('/v1/auth/me')).id).toBe(account.id);
  });

  it('a sign-out while a refresh is on the wire stays signed out', async () => {
    const account = await t.register('customer');
    const store = storeOf(account);
    const client = clientOn(store);
    const refreshing = client.refresh();
    await client.logout();
    await refreshing;
    expect(store.load()).toBeNull();
  });

  it('a session that ends while the socket reconnects stops the socket for good', async () => {
    const account = await t.register('customer');
    // A revoked refresh token and an access token that is no longer good: the handshake is refused, the refresh too.
    ok(await clientOn(storeOf(account)).api.POST('/v1/auth/logout', { body: { refreshToken: account.refreshToken } }));
    const store = new MemoryTokenStore();
    store.save({ accessToken: 'expired', refreshToken: account.refreshToken });
    let ended = 0;
    const client = clientOn(store, () => {
      ended++;
      live.close();
    });
    let handshakes = 0;
    class CountingSocket extends WebSocket {
      constructor(url: string | URL) {
        super(url);
        handshakes++;
      }
    }
    const live = new LiveSocket(t.url, {
      accessToken: () => store.load()?.accessToken,
      refresh: () => client.refresh(),
      reconnectDelayMs: 10,
      WebSocket: CountingSocket as unknown as typeof WebSocket,
    });
    live.connect();
    await waitFor(() => ended || undefined, 10_000);
    await quiet();
    expect(handshakes).toBe(1);
    expect(refreshes).toHaveLength(1);
  });

  it('a handshake refused with a good token (over the socket limit) backs off and does not refresh', async () => {
    const account = await t.register('customer');
    const store = storeOf(account);
    const client = clientOn(store);
    const first = new LiveSocket(t.url, { accessToken: () => store.load()?.accessToken });
    const opened = new Promise<void>((resolve) => {
      const stop = first.listen((m) => m.type === 'welcome' && (stop(), resolve()));
    });
    first.connect();
    await opened;
    let handshakes = 0;
    class CountingSocket extends WebSocket {
      constructor(url: string | URL) {
        super(url);
        handshakes++;
      }
    }
    const surplus = new LiveSocket(t.url, {
      accessToken: () => store.load()?.accessToken,
      refresh: () => client.refresh(),
      reconnectDelayMs: 10,
      WebSocket: CountingSocket as unknown as typeof WebSocket,
    });
    try {
      surplus.connect();
      await waitFor(() => (handshakes >= 3 ? true : undefined), 10_000);
      expect(refreshes).toEqual([]);
      expect(store.load()?.refreshToken).toBe(account.refreshToken);
    } finally {
      surplus.close();
      first.close();
    }
  });

  it('a seat stream reopened before its first change asks the caller to list the seats again', async () => {
    const manager = await t.register('manager');
    const client = clientOn(storeOf(manager));
    const event = ok(await client.api.POST('/v1/events', { body: { name: 'Opera', numberOfSeats: 10 } }));
    const seats = ok(await client.api.GET('/v1/events/{eventId}/seats', { params: { path: { eventId: event.id } } }));
    const sources: EventSource[] = [];
    class RecordingSource extends EventSource {
      constructor(url: string | URL) {
        super(url);
        sources.push(this);
      }
    }
    const resyncs: (number | undefined)[] = [];
    let opens = 0;
    const stream = followSeatStream(
      t.url,
      event.id,
      { onSeat: () => undefined, onResync: (seq) => resyncs.push(seq), onOpen: () => opens++ },
      { reopenDelayMs: 10, EventSource: RecordingSource as unknown as typeof EventSource },
    );
    try {
      await waitFor(() => (opens === 1 ? true : undefined), 10_000);
      // The stream goes down (as when the browser gives up after a refused reconnect), and meanwhile a seat is held.
      sources[0]!.close();
      ok(
        await client.api.POST('/v1/events/{eventId}/seats/{seatId}/hold', {
          params: { path: { eventId: event.id, seatId: seats[0]!.id } },
        }),
      );
      sources[0]!.dispatchEvent(new Event('error'));
      await waitFor(() => (opens === 2 ? true : undefined), 10_000);
      expect(sources).toHaveLength(2);
      expect(await waitFor(() => (resyncs.length ? resyncs : undefined), 10_000)).toEqual([undefined]);
    } finally {
      stream.close();
    }
  });
});

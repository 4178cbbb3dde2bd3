/**
 * The live channels, which OpenAPI cannot describe (docs/live-updates.md is their contract): the seat map over
 * Server-Sent Events and the signed-in user's WebSocket. Browser globals only (EventSource, WebSocket).
 */

export type SeatStatus = 'available' | 'held' | 'reserved';

export interface SeatUpdated {
  readonly type: 'seat.updated';
  readonly eventId: string;
  readonly seatId: string;
  readonly status: SeatStatus;
  readonly at: string;
  readonly seq: number;
}

/** Every server message of `/v1/live`; user events (`booking.created`, ...) arrive as `UserEvent`. */
export type LiveMessage =
  | { readonly type: 'welcome'; readonly userId: string; readonly serverTime: string }
  | { readonly type: 'subscribed'; readonly eventId: string; readonly seq: number }
  | { readonly type: 'unsubscribed'; readonly eventId: string }
  | { readonly type: 'resync'; readonly eventId: string; readonly seq: number }
  | { readonly type: 'error'; readonly code: string; readonly message: string; readonly eventId?: string }
  | SeatUpdated;

export interface UserEvent {
  readonly type: string;
  readonly at: string;
  readonly [field: string]: unknown;
}

export interface SeatStreamHandlers {
  onSeat(update: SeatUpdated): void;
  /**
   * Changes were missed: list the seats again (`GET /v1/events/{id}/seats?status=all`); updates continue after `seq`
   * (undefined when the stream was reopened with no sequence number to resume from).
   */
  onResync?(seq: number | undefined): void;
  onError?(event: Event): void;
  /** The stream is open (also after each reconnect). */
  onOpen?(): void;
}

export interface SeatStreamOptions {
  /** Resume after this sequence number (what the page last applied), e.g. after a reload. */
  readonly lastSeq?: number;
  /** Delay before reopening a stream the browser gave up on (a refusal such as 429 or 503). */
  readonly reopenDelayMs?: number;
  readonly EventSource?: typeof EventSource;
}

/**
 * Follows an event's seat map over SSE. While the stream is up the browser's EventSource reconnects by itself with
 * `Last-Event-ID`; when it gives up (readyState CLOSED after a refused answer), a new EventSource can set no header,
 * so the stream is reopened with `?lastSeq=` (which the service takes for the same purpose).
 */
export function followSeatStream(
  baseUrl: string,
  eventId: string,
  handlers: SeatStreamHandlers,
  options: SeatStreamOptions = {},
): { close(): void; readonly lastSeq: number | undefined } {
  const Source = options.EventSource ?? globalThis.EventSource;
  let lastSeq = options.lastSeq;
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const open = () => {
    const url = new URL(`/v1/events/${encodeURIComponent(eventId)}/seats/stream`, baseUrl);
    if (lastSeq !== undefined) url.searchParams.set('lastSeq', String(lastSeq));
    // Reopened with nothing to resume from (the stream gave up before its first change): whatever changed while it
    // was down is lost, and only the caller can make up for it, by listing the seats once the new stream is open.
    const resyncOnOpen = source !== undefined && lastSeq === undefined;
    const current = new Source(url);
    source = current;
    const track = (e: MessageEvent) => {
      const seq = Number(e.lastEventId);
      if (e.lastEventId !== '' && Number.isSafeInteger(seq)) lastSeq = seq;
    };
    // Named SSE events are typed as plain Events by the DOM library; they are MessageEvents.
    current.addEventListener('seat.updated', (event) => {
      const e = event as MessageEvent;
      track(e);
      handlers.onSeat({ type: 'seat.updated', ...JSON.parse(e.data) } as SeatUpdated);
    });
    current.addEventListener('resync', (event) => {
      const e = event as MessageEvent;
      track(e);
      handlers.onResync?.(JSON.parse(e.data).seq);
    });
    current.addEventListener('open', () => {
      handlers.onOpen?.();
      if (resyncOnOpen && lastSeq === undefined) handlers.onResync?.(undefined);
    });
    current.addEventListener('error', (e) => {
      handlers.onError?.(e);
      if (closed || current.readyState !== current.CLOSED) return;
      timer = setTimeout(open, options.reopenDelayMs ?? 2000);
    });
  };
  open();

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
    get lastSeq() {
      return lastSeq;
    },
  };
}

export interface LiveSocketOptions {
  /** The access token for the handshake, read at every (re)connect: `() => client.tokens.load()?.accessToken`. */
  readonly accessToken: () => string | undefined;
  /**
   * Called when a handshake failed before opening and the access token has expired (by its `exp`, on the server's
   * clock once a `welcome` told it): e.g. `client.refresh()`. A refusal for another reason (429 over the socket limit,
   * a proxy that blocks WebSockets) is not worth a refresh: it only backs off.
   */
  readonly refresh?: () => Promise<unknown>;
  readonly onSeat?: (update: SeatUpdated) => void;
  /** Changes of `eventId` were missed: list its seats again; updates continue after `seq`. */
  readonly onResync?: (eventId: string, seq: number) => void;
  readonly onMessage?: (message: LiveMessage | UserEvent) => void;
  readonly onStatus?: (status: 'connecting' | 'open' | 'closed') => void;
  /** The first reconnect's delay; doubled after each connection that did not open, up to `maxReconnectDelayMs`. */
  readonly reconnectDelayMs?: number;
  readonly maxReconnectDelayMs?: number;
  readonly WebSocket?: typeof WebSocket;
}

/** Seconds before its `exp` at which an access token counts as expired (the handshake takes a moment). */
const EXPIRY_MARGIN_S = 5;

/** Whether a JWT's `exp` has passed at `nowMs`; a token that is no readable JWT counts as expired. */
export function tokenExpired(token: string | undefined, nowMs: number): boolean {
  if (!token) return true;
  try {
    const payload = token.split('.')[1]!.replaceAll('-', '+').replaceAll('_', '/');
    const exp = (JSON.parse(atob(payload)) as { exp?: unknown }).exp;
    return typeof exp !== 'number' || exp - EXPIRY_MARGIN_S <= nowMs / 1000;
  } catch {
    return true;
  }
}

/**
 * `/v1/live` with reconnects: remembers the last `seq` applied per followed event and, on every (re)connect,
 * subscribes again with `lastSeq`, so the server replays what was missed (or says `resync`). Reconnects back off
 * (doubling, capped) while connections fail; `close()` stops them for good, until `connect()` is called again.
 */
export class LiveSocket {
  private socket: WebSocket | undefined;
  private readonly followed = new Map<string, number | undefined>();
  private readonly listeners = new Set<(message: LiveMessage | UserEvent) => void>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private failures = 0;
  /** serverTime - Date.now() from the last `welcome` (0 before any). */
  private offsetMs = 0;

  constructor(
    private readonly baseUrl: string,
    private readonly options: LiveSocketOptions,
  ) {}

  /** Opens the socket (again after `close()`). */
  connect(): void {
    this.stopped = false;
    this.failures = 0;
    clearTimeout(this.timer);
    this.open();
  }

  private open(): void {
    if (this.stopped) return;
    const token = this.options.accessToken();
    const url = new URL('/v1/live', this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    if (token) url.searchParams.set('access_token', token);
    const Socket = this.options.WebSocket ?? globalThis.WebSocket;
    const socket = new Socket(url);
    this.socket = socket;
    let opened = false;
    this.options.onStatus?.('connecting');
    socket.addEventListener('open', () => {
      opened = true;
      this.failures = 0;
      this.options.onStatus?.('open');
      for (const [eventId, lastSeq] of this.followed) this.sendSubscribe(eventId, lastSeq);
    });
    socket.addEventListener('message', (e) => this.receive(e.data));
    socket.addEventListener('close', () => {
      if (this.socket !== socket) return;
      this.options.onStatus?.('closed');
      if (this.stopped) return;
      if (!opened) this.failures++;
      const base = this.options.reconnectDelayMs ?? 1000;
      const delay = Math.min(base * 2 ** Math.max(0, this.failures - 1), this.options.maxReconnectDelayMs ?? 30_000);
      // A close() while a refresh is on the wire must not be undone when it ends.
      const again = () => {
        if (this.stopped) return;
        clearTimeout(this.timer);
        this.timer = setTimeout(() => this.open(), delay);
      };
      const expired = !opened && tokenExpired(this.options.accessToken(), Date.now() + this.offsetMs);
      if (expired && this.options.refresh) void this.options.refresh().finally(again);
      else again();
    });
  }

  /** Follows an event's seat map, from `lastSeq` when the caller already has the map up to it. */
  follow(eventId: string, lastSeq?: number): void {
    this.followed.set(eventId, lastSeq);
    this.sendSubscribe(eventId, lastSeq);
  }

  unfollow(eventId: string): void {
    this.followed.delete(eventId);
    this.send({ type: 'unsubscribe', eventId });
  }

  /**
   * Adds a listener for every message after `onMessage` (a page's screens come and go on one socket); returns the
   * function that removes it. Seat updates already seen (replays) are not passed on.
   */
  listen(listener: (message: LiveMessage | UserEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The last sequence number applied for an event. */
  lastSeq(eventId: string): number | undefined {
    return this.followed.get(eventId);
  }

  close(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.socket?.close();
  }

  private sendSubscribe(eventId: string, lastSeq: number | undefined): void {
    this.send(lastSeq === undefined ? { type: 'subscribe', eventId } : { type: 'subscribe', eventId, lastSeq });
  }

  private send(message: unknown): void {
    if (this.socket?.readyState === 1) this.socket.send(JSON.stringify(message));
  }

  private receive(data: unknown): void {
    if (typeof data !== 'string') return;
    const message = JSON.parse(data) as LiveMessage | UserEvent;
    switch (message.type) {
      case 'welcome': {
        const serverTime = Date.parse(String(message.serverTime));
        if (Number.isFinite(serverTime)) this.offsetMs = serverTime - Date.now();
        break;
      }
      case 'subscribed': {
        const m = message as Extract<LiveMessage, { type: 'subscribed' }>;
        if (this.followed.has(m.eventId) && this.followed.get(m.eventId) === undefined)
          this.followed.set(m.eventId, m.seq);
        break;
      }
      case 'seat.updated': {
        const m = message as SeatUpdated;
        const seen = this.followed.get(m.eventId);
        if (!this.followed.has(m.eventId) || (seen !== undefined && m.seq <= seen)) return;
        this.followed.set(m.eventId, m.seq);
        this.options.onSeat?.(m);
        break;
      }
      case 'resync': {
        const m = message as Extract<LiveMessage, { type: 'resync' }>;
        if (this.followed.has(m.eventId)) this.followed.set(m.eventId, m.seq);
        this.options.onResync?.(m.eventId, m.seq);
        break;
      }
    }
    this.options.onMessage?.(message);
    for (const listener of [...this.listeners]) listener(message);
  }
}

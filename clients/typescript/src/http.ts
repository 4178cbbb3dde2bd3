import type { TokenStore, Tokens } from './tokens.js';

/** Routes that take no bearer token and whose 401 is an answer, not an expired session. */
const SESSION_ROUTES = /\/v1\/auth\/(login|register|refresh)$/;
const CREATING = 'POST';
/** The Web Locks name every tab of the origin refreshes under. */
const REFRESH_LOCK = 'booking-refresh';

/** The part of the Web Locks API used here (typed here: the service's own build has no DOM library). */
interface Locks {
  request<T>(name: string, callback: () => Promise<T>): Promise<T>;
}

export interface AuthFetchOptions {
  readonly baseUrl: string;
  readonly tokens: TokenStore;
  readonly fetch: typeof fetch;
  /** Called once when the session ends (a refresh was refused): e.g. show the sign-in screen. */
  readonly onSessionEnded?: () => void;
}

/**
 * The fetch openapi-fetch calls: adds the bearer token, an Idempotency-Key on every POST that has none, If-Match on a
 * DELETE from the last ETag seen for the resource; records ETags; on a 401 refreshes the session (one refresh in flight
 * for all callers) and retries the request once.
 */
export class AuthFetch {
  private refreshing: Promise<Tokens | null> | null = null;
  private readonly etags = new Map<string, string>();
  /** How many refresh requests this client sent (for tests and diagnostics). */
  refreshCount = 0;

  constructor(private readonly options: AuthFetchOptions) {}

  readonly fetch = async (input: Request): Promise<Response> => {
    const sentWith = this.authorize(input);
    // Cloned after authorize, so a retry carries the same Idempotency-Key.
    const retry = input.clone();
    const response = await this.send(input);
    if (response.status !== 401 || !sentWith || SESSION_ROUTES.test(new URL(input.url).pathname)) return response;
    const fresh = await this.refreshAfter(sentWith);
    if (!fresh) return response;
    this.authorize(retry);
    return this.send(retry);
  };

  /** The last ETag seen for a resource path (e.g. `/v1/bookings/<id>`), if any. */
  etagOf(path: string): string | undefined {
    return this.etags.get(path);
  }

  /**
   * Swaps the refresh token for a new pair; concurrent callers share one request. A refused refresh (the token was
   * used, revoked or expired) ends the session; a failure to reach the service keeps it, for a later try.
   *
   * The store may be shared (localStorage: every tab of the origin), and the service revokes the whole token family
   * when a refresh token is used twice, so two tabs must never send the same one: where the browser has Web Locks,
   * the refresh runs under one lock for the origin, and a tab that gets the lock after another tab refreshed finds a
   * new pair in the store and uses it instead of sending its own spent token.
   */
  refresh(): Promise<Tokens | null> {
    const spent = this.options.tokens.load()?.refreshToken;
    this.refreshing ??= this.underLock(() => this.sendRefresh(spent)).finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async refreshAfter(sentWith: string): Promise<Tokens | null> {
    const current = this.options.tokens.load();
    // Another call refreshed while this one was on the wire: use its pair instead of spending the new refresh token.
    if (current && current.accessToken !== sentWith && !this.refreshing) return current;
    return this.refresh();
  }

  private underLock<T>(work: () => Promise<T>): Promise<T> {
    const locks = (globalThis as { navigator?: { locks?: Locks } }).navigator?.locks;
    if (!locks) return work();
    return locks.request(REFRESH_LOCK, work);
  }

  /** `spent`: the refresh token the store held when the caller decided to refresh. */
  private async sendRefresh(spent: string | undefined): Promise<Tokens | null> {
    const current = this.options.tokens.load();
    if (!current) return null;
    // Someone else (another tab, under the lock) already swapped the token this call meant to send.
    if (spent !== undefined && current.refreshToken !== spent) return current;
    this.refreshCount++;
    let response: Response;
    try {
      response = await this.options.fetch(new URL('/v1/auth/refresh', this.options.baseUrl), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: current.refreshToken }),
      });
    } catch {
      return null;
    }
    // The store changed while the request was on the wire (a sign-out, or a sign-in in another tab): that is the
    // newer state, and neither the answer's pair nor its refusal may replace it.
    const stillOurs = this.options.tokens.load()?.refreshToken === current.refreshToken;
    if (response.ok) {
      const body = (await response.json()) as Tokens;
      if (!stillOurs) return this.options.tokens.load();
      const tokens = { accessToken: body.accessToken, refreshToken: body.refreshToken };
      this.options.tokens.save(tokens);
      return tokens;
    }
    if ((response.status === 400 || response.status === 401) && stillOurs) {
      this.options.tokens.save(null);
      this.options.onSessionEnded?.();
    }
    return stillOurs ? null : this.options.tokens.load();
  }

  /** Sets the headers the spec cannot fill in; returns the access token used, if any. */
  private authorize(request: Request): string | undefined {
    const headers = request.headers;
    if (request.method === CREATING && !headers.has('Idempotency-Key'))
      headers.set('Idempotency-Key', crypto.randomUUID());
    if (request.method === 'DELETE' && !headers.has('If-Match')) {
      const etag = this.etags.get(new URL(request.url).pathname);
      if (etag) headers.set('If-Match', etag);
    }
    const tokens = this.options.tokens.load();
    if (!tokens || SESSION_ROUTES.test(new URL(request.url).pathname)) return undefined;
    headers.set('Authorization', `Bearer ${tokens.accessToken}`);
    return tokens.accessToken;
  }

  private async send(request: Request): Promise<Response> {
    const response = await this.options.fetch(request);
    const etag = response.headers.get('ETag');
    if (etag) {
      const location = response.headers.get('Location');
      const path = location ? new URL(location, request.url).pathname : new URL(request.url).pathname;
      this.etags.set(path, etag);
    }
    return response;
  }
}

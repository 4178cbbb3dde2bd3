import createClient from 'openapi-fetch';
import { AuthFetch } from './http.js';
import { ok } from './problem.js';
import type { components, paths } from './schema.js';
import { MemoryTokenStore } from './tokens.js';
import type { TokenStore, Tokens } from './tokens.js';

export type Schemas = components['schemas'];
export type Session = Schemas['SessionView'];

export interface BookingClientOptions {
  /** The service's origin, e.g. `https://api.example.com` (or `location.origin` when served by the service). */
  readonly baseUrl: string;
  /** Where the tokens live; memory by default (`WebStorageTokenStore(localStorage)` survives a reload). */
  readonly tokens?: TokenStore;
  /** Called once when a refresh is refused and the session ends. */
  readonly onSessionEnded?: () => void;
  /** Defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

/**
 * The typed client: `api` is openapi-fetch over the generated `paths` (every call checked against openapi.yaml),
 * with tokens, refresh, Idempotency-Key and ETags handled by AuthFetch; the rest are the session's entry points.
 */
export function createBookingClient(options: BookingClientOptions) {
  const tokens = options.tokens ?? new MemoryTokenStore();
  const baseFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const http = new AuthFetch({
    baseUrl: options.baseUrl,
    tokens,
    fetch: baseFetch,
    onSessionEnded: options.onSessionEnded,
  });
  const api = createClient<paths>({ baseUrl: options.baseUrl, fetch: http.fetch });

  const keep = (session: Session): Session => {
    tokens.save({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    return session;
  };

  return {
    api,
    tokens,
    /** How many refresh requests were sent. */
    get refreshCount() {
      return http.refreshCount;
    },
    signedIn: (): boolean => tokens.load() !== null,
    register: async (body: Schemas['RegisterDto']) => keep(ok(await api.POST('/v1/auth/register', { body }))),
    login: async (body: Schemas['LoginDto']) => keep(ok(await api.POST('/v1/auth/login', { body }))),
    /** Ends the session on the server (best effort) and forgets the tokens. */
    logout: async (): Promise<void> => {
      const current = tokens.load();
      tokens.save(null);
      if (current)
        await api.POST('/v1/auth/logout', { body: { refreshToken: current.refreshToken } }).catch(() => undefined);
    },
    /** Refreshes now (e.g. before opening a WebSocket with a token that is about to expire). */
    refresh: (): Promise<Tokens | null> => http.refresh(),
    /**
     * The If-Match value for a resource: the explicit version when given (`"<version>"`), else the last ETag this
     * client saw for the path (from a GET, PATCH or the create's Location).
     */
    ifMatch(path: string, version?: number): string {
      if (version !== undefined) return `"${version}"`;
      const etag = http.etagOf(path);
      if (!etag) throw new Error(`no ETag seen for ${path}: read it first or pass its version`);
      return etag;
    },
  };
}

export type BookingClient = ReturnType<typeof createBookingClient>;

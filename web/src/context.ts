import type { BookingClient, LiveSocket, Schemas } from '../../clients/typescript/src/index.js';

export type Role = 'customer' | 'provider' | 'manager' | 'admin';

export interface AppContext {
  /** Typed API (openapi-fetch) with token refresh, Idempotency-Key, If-Match. */
  readonly client: BookingClient;
  /** The signed-in user (`GET /v1/auth/me`). */
  readonly user: () => Schemas['UserView'] | undefined;
  /** The signed-in user's /v1/live socket (user events, seat channels). */
  readonly live: () => LiveSocket | undefined;
  /** e.g. ctx.navigate('#/bookings') */
  readonly navigate: (hash: string) => void;
  /** aria-live status line (errors: role=alert). */
  readonly announce: (message: string, kind?: 'info' | 'error') => void;
  /** serverTime - Date.now(), for countdowns that do not trust the client clock. */
  readonly serverOffsetMs: () => number;
}

/** A screen: renders into `root`, returns its cleanup (close streams, timers). `params` from the hash route. */
export type Screen = (root: HTMLElement, ctx: AppContext, params: Record<string, string>) => () => void;

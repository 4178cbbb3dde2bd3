import type { Clock } from '../common/clock.js';

/**
 * Open connections per client, counted by this instance alone: a shared count would cost a Redis round trip per
 * connection and a cleanup problem when an instance dies with its counts, so the cap holds per instance (a client
 * reaching N instances may hold N times as many).
 */
export class ConnectionCounter {
  private readonly open = new Map<string, number>();

  constructor(readonly max: number) {}

  /** Counts one more connection of `client`: answers how to count it out (safe to call more than once), or null at the cap. */
  tryOpen(client: string): (() => void) | null {
    const count = this.open.get(client) ?? 0;
    if (count >= this.max) return null;
    this.open.set(client, count + 1);
    let closed = false;
    return () => {
      if (closed) return;
      closed = true;
      const left = (this.open.get(client) ?? 1) - 1;
      if (left > 0) this.open.set(client, left);
      else this.open.delete(client);
    };
  }
}

/** A token bucket on the service's clock: `perSecond` messages at once, refilled at `perSecond` per second. */
export class MessageBudget {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock,
  ) {
    this.tokens = perSecond;
    this.last = clock.now();
  }

  /** Spends one message; false when the budget is spent. */
  take(): boolean {
    const now = this.clock.now();
    this.tokens = Math.min(this.perSecond, this.tokens + (Math.max(0, now - this.last) * this.perSecond) / 1000);
    this.last = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

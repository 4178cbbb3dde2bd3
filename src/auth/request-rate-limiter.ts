import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

const WINDOW_MS = 60_000;

interface Count {
  window: number;
  /** Requests this instance let through and has not yet added to the shared counter. */
  pending: number;
  /** The shared count (all instances) as of the last sync. */
  known: number;
}

/**
 * The general per-client limit: RATE_LIMIT_PER_MINUTE requests per client (the user, or the address of anonymous
 * callers) in fixed one-minute windows, shared by all instances through Redis. Deciding costs no Redis round trip:
 * each instance counts locally and adds its counts to the shared counters every RATE_LIMIT_SYNC_MS, reading back the
 * totals. The price is a bounded overshoot: a client can exceed the limit by what it sends to the other instances
 * within one sync interval. If Redis is unreachable, each instance still enforces the limit on what it sees.
 */
@Injectable()
export class RequestRateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly counts = new Map<string, Count>();
  private timer: NodeJS.Timeout | undefined;
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repository: RateLimitsRepository,
  ) {}

  get enabled(): boolean {
    return this.config.rateLimitPerMinute > 0;
  }

  onModuleInit(): void {
    if (!this.enabled || this.config.rateLimitSyncMs === 0) return;
    this.timer = setInterval(() => void this.sync(), this.config.rateLimitSyncMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sync();
  }

  /** Counts one request; answers null when it may go on, else the seconds until the client's window ends. */
  take(client: string): number | null {
    const now = this.clock.now();
    const window = Math.floor(now / WINDOW_MS);
    let count = this.counts.get(client);
    if (!count || count.window !== window) {
      count = { window, pending: 0, known: 0 };
      this.counts.set(client, count);
    }
    if (count.known + count.pending >= this.config.rateLimitPerMinute) {
      return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    }
    count.pending++;
    return null;
  }

  /** Adds this instance's counts to the shared ones and learns the totals; forgets clients of past windows. */
  sync(): Promise<void> {
    this.syncing ??= this.syncNow().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async syncNow(): Promise<void> {
    const window = Math.floor(this.clock.now() / WINDOW_MS);
    const work: Promise<void>[] = [];
    for (const [client, count] of this.counts) {
      if (count.window < window && count.pending === 0) {
        this.counts.delete(client);
        continue;
      }
      if (count.pending === 0) continue;
      const added = count.pending;
      count.pending = 0;
      const ttlMs = (count.window + 2) * WINDOW_MS - this.clock.now();
      work.push(
        this.repository.add(`api:${count.window}`, client, added, Math.max(ttlMs, 1000)).then(
          (total) => {
            count.known = Math.max(count.known, total);
          },
          (error: Error) => {
            count.pending += added;
            this.logger.debug(`could not sync request counts: ${error.message}`);
          },
        ),
      );
    }
    await Promise.all(work);
  }
}

import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { RateLimitsRepository } from './rate-limits.repository.js';

const WINDOW_MS = 60_000;

interface Count {
  window: number;
  /** Requests this instance let through in the window. */
  local: number;
  /** How many of them the shared total `known` already includes. */
  reported: number;
  /** The total of all instances as of the last sync. */
  known: number;
}

/**
 * The general per-client limit: RATE_LIMIT_PER_MINUTE requests per client (the user, or the address of anonymous
 * callers) in fixed one-minute windows, shared by all instances through Redis. Deciding costs no Redis round trip:
 * each instance counts locally and adds its counts to the shared counters every RATE_LIMIT_SYNC_MS, reading back the
 * totals. The price is a bounded overshoot: a client can exceed the limit by what it sends to the other instances
 * within one sync interval. If Redis is unreachable, each instance still enforces the limit on what it sees.
 * Each instance reports its own running count (never an increment), so a report that Redis receives twice (ioredis
 * re-sends after a reconnect) or that timed out and is sent again cannot count a request twice.
 */
@Injectable()
export class RequestRateLimiter implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('RateLimit');
  private readonly counts = new Map<string, Count>();
  private readonly instanceId = randomUUID();
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
      count = { window, local: 0, reported: 0, known: 0 };
      this.counts.set(client, count);
    }
    if (count.known + count.local - count.reported >= this.config.rateLimitPerMinute) {
      return Math.max(1, Math.ceil(((window + 1) * WINDOW_MS - now) / 1000));
    }
    count.local++;
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
      if (count.local === count.reported) {
        if (count.window < window) this.counts.delete(client);
        continue;
      }
      const local = count.local;
      const ttlMs = Math.max((count.window + 2) * WINDOW_MS - this.clock.now(), 1000);
      work.push(
        this.repository.report(`api:${count.window}`, client, this.instanceId, local, ttlMs).then(
          (total) => {
            if (local <= count.reported) return;
            count.reported = local;
            count.known = Math.max(count.known, total);
          },
          // Nothing to undo: the next sync reports the (larger) running count again.
          (error: Error) => this.logger.debug(`could not sync request counts: ${error.message}`),
        ),
      );
    }
    await Promise.all(work);
  }
}

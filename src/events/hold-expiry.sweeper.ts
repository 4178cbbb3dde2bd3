import { Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { SeatsRepository } from './seats.repository.js';

/**
 * Announces holds that ran out. A hold expires by comparison (nothing runs when it does), so live seat maps would
 * never hear of it; every instance visits the events with due expiries every HOLD_SWEEP_INTERVAL_MS and frees them
 * with one script per event, which publishes `available` like a release. Running in every instance at once is safe:
 * the script frees a seat only while its state is still that expired hold.
 */
@Injectable()
export class HoldExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('HoldExpirySweeper');
  private timer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(
    private readonly seats: SeatsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.holdSweepIntervalMs === 0) return;
    this.timer = setInterval(() => void this.sweep(), this.config.holdSweepIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One pass; skipped while the previous one still runs (a slow Redis must not pile passes up). */
  async sweep(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      await this.seats.expireDue(this.clock.now(), 100);
    } catch (error) {
      this.logger.debug(`sweep failed: ${(error as Error).message}`);
    } finally {
      this.running = false;
    }
  }
}

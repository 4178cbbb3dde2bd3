import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Periodic } from '../common/periodic.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { WaitlistOffers } from './waitlist-offers.js';

/**
 * Announces holds that ran out. A hold expires by comparison (nothing runs when it does), so live seat maps would
 * never hear of it; every instance visits the events with due expiries every HOLD_SWEEP_INTERVAL_MS and frees them
 * with one script per event, which publishes `available` like a release, or offers the seat to the first fitting entry
 * of the waiting line (a lapsed offer passes to the next). Running in every instance at once is safe: the script frees
 * a seat only while its state is still that expired hold.
 */
@Injectable()
export class HoldExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    private readonly offers: WaitlistOffers,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    this.periodic = new Periodic('HoldExpirySweeper', () => this.runOnce());
  }

  /** One sweep, as the timer runs it (tests call it with the sweeper off). */
  async runOnce(): Promise<void> {
    this.metrics.count('hold_expiries', await this.offers.sweepLapsed(100));
  }

  onApplicationBootstrap(): void {
    this.periodic.start(this.config.holdSweepIntervalMs);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }
}

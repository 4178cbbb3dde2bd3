import { Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { Periodic } from '../common/periodic.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { SeatsRepository } from './seats.repository.js';

/**
 * Announces holds that ran out. A hold expires by comparison (nothing runs when it does), so live seat maps would
 * never hear of it; every instance visits the events with due expiries every HOLD_SWEEP_INTERVAL_MS and frees them
 * with one script per event, which publishes `available` like a release. Running in every instance at once is safe:
 * the script frees a seat only while its state is still that expired hold.
 */
@Injectable()
export class HoldExpirySweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly periodic: Periodic;

  constructor(
    seats: SeatsRepository,
    clock: Clock,
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    this.periodic = new Periodic('HoldExpirySweeper', async () =>
      metrics.count('hold_expiries', await seats.expireDue(clock.now(), 100)),
    );
  }

  onApplicationBootstrap(): void {
    this.periodic.start(this.config.holdSweepIntervalMs);
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }
}

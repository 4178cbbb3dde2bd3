import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { Periodic } from '../common/periodic.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { RedisClient } from '../redis/redis-client.js';
import { IntegrityChecker } from './integrity-checker.js';
import { IntegrityContributions } from './integrity.js';
import type { IntegrityReport } from './integrity-checker.js';

/**
 * Runs the integrity check every INTEGRITY_CHECK_INTERVAL_MS (0: never, the default), first right after start, and
 * publishes the outcome as `booking_integrity_violations{invariant}` and
 * `booking_integrity_last_check_timestamp_seconds`. A whole-keyspace scan per pass: enable it in one process, not in
 * every instance. Findings are logged (at most a few), a failed pass too; the timestamp then stays where it was.
 */
@Injectable()
export class IntegrityCheckJob implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('IntegrityCheck');
  private readonly periodic: Periodic;

  constructor(
    @Inject(RedisClient) private readonly redis: RedisClient,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly contributions: IntegrityContributions,
  ) {
    this.periodic = new Periodic('IntegrityCheck', () => this.runOnce());
  }

  onApplicationBootstrap(): void {
    if (this.config.integrityCheckIntervalMs === 0) return;
    this.periodic.start(this.config.integrityCheckIntervalMs);
    void this.periodic.runOnce();
  }

  onApplicationShutdown(): void {
    this.periodic.stop();
  }

  /** One pass: check, record, log. Never throws (a failed pass is logged and leaves the metrics as they were). */
  async runOnce(): Promise<IntegrityReport | null> {
    try {
      const report = await new IntegrityChecker(this.redis, this.contributions.all, {
        now: () => this.clock.now(),
      }).run();
      this.metrics.recordIntegrityCheck(report.counts, this.clock.now());
      const seconds = (report.durationMs / 1000).toFixed(1);
      if (report.findings.length === 0) {
        this.logger.log(`no violations in ${report.keysScanned} keys (${seconds} s)`);
      } else {
        this.logger.warn(
          `${report.findings.length} violations in ${report.keysScanned} keys (${seconds} s): ` +
            report.findings
              .slice(0, 5)
              .map((f) => `${f.invariant} ${f.keys.join(' ')}: ${f.detail}`)
              .join('; '),
        );
      }
      return report;
    } catch (error) {
      this.logger.warn(`integrity check failed: ${(error as Error).message}`);
      return null;
    }
  }
}

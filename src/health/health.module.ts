import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { EventsModule } from '../events/events.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';

/** The operational endpoints: liveness and readiness, and the Prometheus scrape. */
@Module({
  imports: [AuthModule, MetricsModule, EventsModule],
  controllers: [HealthController, MetricsController],
})
export class HealthModule {}

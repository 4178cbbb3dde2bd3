import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { IdempotencyHooks } from './idempotency.hooks.js';
import { IdempotencyRepository } from './idempotency.repository.js';
import { RedisIdempotencyRepository } from './redis-idempotency.repository.js';
import { MetricsModule } from '../metrics/metrics.module.js';

@Module({
  imports: [AuthModule, MetricsModule],
  providers: [IdempotencyHooks, { provide: IdempotencyRepository, useClass: RedisIdempotencyRepository }],
  exports: [IdempotencyHooks],
})
export class IdempotencyModule {}

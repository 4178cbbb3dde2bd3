import { Module } from '@nestjs/common';
import { Metrics } from './metrics.js';
import { RedisCommandMetrics } from './redis-command-metrics.js';

/** The registry and the domain counters; GET /metrics is served by health/ (it is an operational endpoint). */
@Module({ providers: [Metrics, RedisCommandMetrics], exports: [Metrics] })
export class MetricsModule {}

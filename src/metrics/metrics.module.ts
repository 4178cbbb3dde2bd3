import { Global, Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller.js';
import { Metrics } from './metrics.js';
import { RedisCommandMetrics } from './redis-command-metrics.js';

@Global()
@Module({ controllers: [MetricsController], providers: [Metrics, RedisCommandMetrics], exports: [Metrics] })
export class MetricsModule {}

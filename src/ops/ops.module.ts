import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { IntegrityCheckJob } from './integrity-check.job.js';
import { IntegrityContributions } from './integrity.js';
import type { IntegrityContribution } from './integrity.js';

/** Operations work that runs inside the service: the optional periodic integrity check of the given modules' data. */
@Module({})
export class OpsModule {
  static forRoot(contributions: readonly IntegrityContribution[]): DynamicModule {
    return {
      module: OpsModule,
      imports: [MetricsModule],
      providers: [
        IntegrityCheckJob,
        { provide: IntegrityContributions, useValue: new IntegrityContributions(contributions) },
      ],
    };
  }
}

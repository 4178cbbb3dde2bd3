import { Module } from '@nestjs/common';
import { IntegrityCheckJob } from './integrity-check.job.js';

/** Operations work that runs inside the service: the optional periodic integrity check. */
@Module({ providers: [IntegrityCheckJob] })
export class OpsModule {}

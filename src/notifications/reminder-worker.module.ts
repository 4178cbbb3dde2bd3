import { Module } from '@nestjs/common';
import { MetricsModule } from '../metrics/metrics.module.js';
import { ReminderWorker } from './bull-reminders.js';
import { NotificationsCoreModule } from './notifications-core.module.js';
import { ReminderMetrics } from './reminder-metrics.js';

/**
 * Runs due reminders (when REMINDER_WORKER says so): in the API process, or alone in the worker (WorkerModule). Adds
 * the reminder queue's metrics to the process's /metrics (ReminderMetrics).
 */
@Module({
  imports: [NotificationsCoreModule, MetricsModule],
  providers: [ReminderWorker, ReminderMetrics],
  exports: [ReminderWorker, NotificationsCoreModule],
})
export class ReminderWorkerModule {}

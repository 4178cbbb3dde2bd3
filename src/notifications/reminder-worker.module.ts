import { Module } from '@nestjs/common';
import { ReminderWorker } from './bull-reminders.js';
import { NotificationsCoreModule } from './notifications-core.module.js';

/** Runs due reminders (when REMINDER_WORKER says so): in the API process, or alone in the worker (WorkerModule). */
@Module({
  imports: [NotificationsCoreModule],
  providers: [ReminderWorker],
  exports: [ReminderWorker, NotificationsCoreModule],
})
export class ReminderWorkerModule {}

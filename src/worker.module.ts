import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { BookingRemindersModule } from './bookings/booking-reminders.module.js';
import { SystemClock } from './common/clock.js';
import { ClockModule } from './common/clock.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { MailModule } from './mail/mail.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { ReminderWorkerModule } from './notifications/reminder-worker.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { RedisModule } from './redis/redis.module.js';
import { WebhookDeliveryModule } from './webhooks/webhook-delivery.module.js';

/**
 * `npm run worker`: only what running reminders needs (the queue, the inbox, the user channel, the check that drops
 * stale booking reminders) and what its WORKER_PORT serves (Redis readiness, metrics). No HTTP API, sweepers, admin
 * bootstrap or integrity job: those are the API's.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(new SystemClock()),
        RedisModule,
        MetricsModule,
        ReminderWorkerModule,
        BookingRemindersModule,
        OutboxModule,
        // Delivery jobs run where the relay does, so the mail consumer must be here too when email is on.
        ...(config.smtpUrl === undefined ? [] : [MailModule]),
        WebhookDeliveryModule,
      ],
    };
  }
}

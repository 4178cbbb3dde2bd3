import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AppointmentsModule } from './appointments/appointments.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BookingsModule } from './bookings/bookings.module.js';
import { SystemClock } from './common/clock.js';
import type { Clock } from './common/clock.js';
import { ClockModule } from './common/clock.module.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigModule } from './config/config.module.js';
import { EventsModule } from './events/events.module.js';
import { SeatStreamModule } from './events/seat-stream.module.js';
import { HealthModule } from './health/health.module.js';
import { ProblemsModule } from './problems/problems.module.js';
import { INTEGRITY_CHECKS } from './integrity-checks.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { LiveModule } from './live/live.module.js';
import { MailModule } from './mail/mail.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpsModule } from './ops/ops.module.js';
import { PreferencesModule } from './preferences/preferences.module.js';
import { OutboxModule } from './outbox/outbox.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RestaurantsModule } from './restaurants/restaurants.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { UsersModule } from './users/users.module.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

export interface AppModuleOptions {
  readonly config: AppConfig;
  /** Tests pass a ManualClock; the service runs on the system clock. */
  readonly clock?: Clock;
}

/**
 * The API: every module, each importing what it uses. Only configuration, the clock and Redis are global
 * (docs/architecture.md, "Modules and their dependencies").
 */
@Module({})
export class AppModule {
  static forRoot({ config, clock = new SystemClock() }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        ClockModule.forRoot(clock),
        RedisModule,
        HealthModule,
        ProblemsModule,
        MetricsModule,
        TracingModule,
        AuthModule,
        UsersModule,
        IdempotencyModule,
        EventsModule,
        BookingsModule,
        AppointmentsModule,
        RestaurantsModule,
        NotificationsModule,
        OutboxModule,
        WebhooksModule,
        SeatStreamModule,
        LiveModule,
        PreferencesModule,
        // Email exists only when it is configured (docs/operations.md, "Email").
        ...(config.smtpUrl === undefined ? [] : [MailModule]),
        OpsModule.forRoot(INTEGRITY_CHECKS),
      ],
    };
  }
}

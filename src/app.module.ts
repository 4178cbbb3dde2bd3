import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AppointmentsModule } from './appointments/appointments.module.js';
import { AuthModule } from './auth/auth.module.js';
import { BookingsModule } from './bookings/bookings.module.js';
import { Clock, SystemClock } from './common/clock.js';
import { CursorCodec } from './common/cursor.js';
import { AppConfig } from './config/app-config.js';
import { EventsModule } from './events/events.module.js';
import { HealthController } from './health/health.controller.js';
import { INTEGRITY_CHECKS } from './integrity-checks.js';
import { IdempotencyModule } from './idempotency/idempotency.module.js';
import { NotificationsCoreModule } from './notifications/notifications-core.module.js';
import { NotificationsModule } from './notifications/notifications.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { OpsModule } from './ops/ops.module.js';
import { RedisModule } from './redis/redis.module.js';
import { RestaurantsModule } from './restaurants/restaurants.module.js';
import { TracingModule } from './tracing/tracing.module.js';
import { UsersModule } from './users/users.module.js';

export interface AppModuleOptions {
  readonly config: AppConfig;
  /** Tests pass a ManualClock; the service runs on the system clock. */
  readonly clock?: Clock;
}

@Module({})
export class AppModule {
  static forRoot({ config, clock = new SystemClock() }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        RedisModule,
        MetricsModule,
        TracingModule,
        NotificationsCoreModule,
        AuthModule,
        UsersModule,
        IdempotencyModule,
        EventsModule,
        BookingsModule,
        AppointmentsModule,
        RestaurantsModule,
        NotificationsModule,
        OpsModule.forRoot(INTEGRITY_CHECKS),
      ],
      controllers: [HealthController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: CursorCodec, useFactory: () => new CursorCodec(config.jwtSecret ?? '') },
      ],
      exports: [AppConfig, Clock, CursorCodec],
    };
  }
}

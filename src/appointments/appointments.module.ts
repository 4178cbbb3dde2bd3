import { Module } from '@nestjs/common';
import { UsersModule } from '../users/users.module.js';
import { AppointmentExpirySweeper } from './appointment-expiry.sweeper.js';
import { AppointmentsController } from './appointments.controller.js';
import { AppointmentsRepository } from './appointments.repository.js';
import { AppointmentsService } from './appointments.service.js';
import { OpenSlotsMigration } from './open-slots-migration.js';
import { OpenSlotsRepository } from './open-slots.repository.js';
import { OpenSlotsService } from './open-slots.service.js';
import { ProvidersController } from './providers.controller.js';
import { RedisOpenSlotsRepository } from './redis-open-slots.repository.js';
import { SlotsController } from './slots.controller.js';
import { RedisAppointmentsRepository } from './redis-appointments.repository.js';
import { CursorModule } from '../common/cursor.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';

@Module({
  imports: [UsersModule, CursorModule, MetricsModule, NotificationsCoreModule],
  controllers: [ProvidersController, AppointmentsController, SlotsController],
  providers: [
    AppointmentsService,
    AppointmentExpirySweeper,
    OpenSlotsService,
    OpenSlotsMigration,
    { provide: OpenSlotsRepository, useClass: RedisOpenSlotsRepository },
    { provide: AppointmentsRepository, useClass: RedisAppointmentsRepository },
  ],
})
export class AppointmentsModule {}

import { Module } from '@nestjs/common';
import { BookingsController } from './bookings.controller.js';
import { BookingsRepository } from './bookings.repository.js';
import { BookingsService } from './bookings.service.js';
import { RedisBookingsRepository } from './redis-bookings.repository.js';
import { CursorModule } from '../common/cursor.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';

@Module({
  imports: [CursorModule, NotificationsCoreModule],
  controllers: [BookingsController],
  providers: [BookingsService, { provide: BookingsRepository, useClass: RedisBookingsRepository }],
})
export class BookingsModule {}

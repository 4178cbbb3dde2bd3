import { Module } from '@nestjs/common';
import { BookingRemindersModule } from './booking-reminders.module.js';
import { BookingsController } from './bookings.controller.js';
import { BookingsService } from './bookings.service.js';
import { CursorModule } from '../common/cursor.module.js';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';

@Module({
  imports: [CursorModule, NotificationsCoreModule, BookingRemindersModule],
  controllers: [BookingsController],
  providers: [BookingsService],
})
export class BookingsModule {}

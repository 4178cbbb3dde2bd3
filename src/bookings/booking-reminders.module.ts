import { Module } from '@nestjs/common';
import { NotificationsCoreModule } from '../notifications/notifications-core.module.js';
import { BookingReminderCheck } from './booking-reminder.check.js';
import { BookingsRepository } from './bookings.repository.js';
import { RedisBookingsRepository } from './redis-bookings.repository.js';

/**
 * The bookings store and the check the reminder worker runs before it sends a booking reminder. Imported by
 * BookingsModule (the API) and by WorkerModule (`npm run worker`), so a stale booking reminder is dropped wherever
 * the worker runs.
 */
@Module({
  imports: [NotificationsCoreModule],
  providers: [BookingReminderCheck, { provide: BookingsRepository, useClass: RedisBookingsRepository }],
  exports: [BookingsRepository],
})
export class BookingRemindersModule {}

import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { ReminderChecks } from '../notifications/reminders.js';
import type { Reminder } from '../notifications/reminders.js';
import { reminderRunAt } from './booking.js';
import { BookingsRepository } from './bookings.repository.js';

/**
 * A booking reminder that fires is sent only while the booking still wants it: the booking exists and its reminder
 * is due when the job says (same start and lead time). A job left behind by a removal that failed (best effort) or
 * scheduled for an older version is dropped, so an update or delete that neither had nor has a reminder need not
 * ask BullMQ to remove one.
 */
@Injectable()
export class BookingReminderCheck implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly checks: ReminderChecks,
  ) {}

  onModuleInit(): void {
    this.checks.register('booking.reminder', (reminder) => this.isCurrent(reminder));
  }

  async isCurrent(reminder: Reminder): Promise<boolean> {
    const bookingId = reminder.data.bookingId;
    // Every booking reminder this service schedules names its booking; a job that names none has nothing to check.
    if (typeof bookingId !== 'string') return true;
    const booking = await this.bookings.find(reminder.userId, bookingId);
    return booking !== null && reminderRunAt(booking) === reminder.runAt;
  }
}

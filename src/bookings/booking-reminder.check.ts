import { Injectable } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { bookingReminder } from '../notifications/notifier.js';
import { ReminderChecks } from '../notifications/reminders.js';
import type { Reminder } from '../notifications/reminders.js';
import { reminderRunAt } from './booking.js';
import { BookingsRepository } from './bookings.repository.js';

/**
 * A booking reminder that fires is sent only while the booking still wants it: the booking exists and its reminder
 * is due when the job says. A job left behind by a removal that failed (best effort) or scheduled for an older
 * version is dropped, so an update or delete that neither had nor has a reminder need not ask BullMQ to remove one.
 * When the booking wants its reminder at another time, that reminder is the answer (the worker schedules it beside
 * the job, or sends it when already due): two updates that race can leave the job of the one stored first, for a time
 * the booking no longer has, and the reminder the booking wants would otherwise be lost. The reminder is worded from
 * the booking as it is now (title, start). One whose time has passed is sent only while the booking has not started.
 */
@Injectable()
export class BookingReminderCheck implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsRepository,
    private readonly checks: ReminderChecks,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.checks.register('booking.reminder', (reminder) => this.verdict(reminder));
  }

  async verdict(reminder: Reminder): Promise<boolean | Reminder> {
    const bookingId = reminder.data.bookingId;
    // Every booking reminder this service schedules names its booking; a job that names none has nothing to check.
    if (typeof bookingId !== 'string') return true;
    const booking = await this.bookings.find(reminder.userId, bookingId);
    const reminderAt = booking === null ? null : reminderRunAt(booking);
    if (booking === null || reminderAt === null) return false;
    if (reminderAt === reminder.runAt) return true;
    // Wanted at a time already past (its own job lost) is still worth sending until the booking starts, not after.
    if (reminderAt <= this.clock.now() && booking.startTime <= this.clock.now()) return false;
    return bookingReminder({ ...booking, bookingId: booking.id, reminderAt });
  }
}

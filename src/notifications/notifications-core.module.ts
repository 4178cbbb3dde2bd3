import { Module } from '@nestjs/common';
import { BullReminders } from './bull-reminders.js';
import { InboxRepository } from './inbox.repository.js';
import { LiveEvents } from './live-events.js';
import { RedisInboxRepository } from './redis-inbox.repository.js';
import { RedisLiveEvents } from './redis-live-events.js';
import { ReminderChecks, Reminders } from './reminders.js';

/** The ports a domain imports to tell users things: live events, reminders (and their checks), the inbox. */
@Module({
  providers: [
    { provide: LiveEvents, useClass: RedisLiveEvents },
    { provide: Reminders, useClass: BullReminders },
    { provide: InboxRepository, useClass: RedisInboxRepository },
    ReminderChecks,
  ],
  exports: [LiveEvents, Reminders, InboxRepository, ReminderChecks],
})
export class NotificationsCoreModule {}

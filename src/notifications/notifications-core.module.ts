import { Module } from '@nestjs/common';
import { DomainEvents } from '../domain-events/domain-events.js';
import { BullReminders } from './bull-reminders.js';
import { InboxRepository } from './inbox.repository.js';
import { LiveEvents } from './live-events.js';
import { Notifier } from './notifier.js';
import { RedisInboxRepository } from './redis-inbox.repository.js';
import { RedisLiveEvents } from './redis-live-events.js';
import { ReminderChecks, Reminders } from './reminders.js';

/**
 * What a domain imports to tell users things: DomainEvents (served by the Notifier, which keeps reminders and sends
 * live messages), reminder checks, and the ports the inbox and the reminder worker use.
 */
@Module({
  providers: [
    { provide: LiveEvents, useClass: RedisLiveEvents },
    { provide: Reminders, useClass: BullReminders },
    { provide: InboxRepository, useClass: RedisInboxRepository },
    { provide: DomainEvents, useClass: Notifier },
    ReminderChecks,
  ],
  exports: [LiveEvents, Reminders, InboxRepository, ReminderChecks, DomainEvents],
})
export class NotificationsCoreModule {}

import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import type { EmailCategory } from '../preferences/preferences.js';
import { UsersRepository } from '../users/users.repository.js';
import { MailComposer } from './mail-composer.js';
import { MailMetrics } from './mail-metrics.js';
import type { MailEvent, MailOutcome } from './mail-event.js';
import { MailSendError, Mailer } from './mailer.js';
import { messageId, messageIdHost } from './message-id.js';
import { renderMail } from './templates/message.js';

const WHY: Record<EmailCategory, string> = {
  confirmations: 'confirmations of your reservations',
  appointmentUpdates: 'updates about your appointments',
  reminders: 'reminders',
  waitingList: 'waiting-list offers',
};

const footer = (category: EmailCategory) =>
  `You get this email because ${WHY[category]} are on in your preferences. To stop them, turn "${category}" off ` +
  '(PATCH /v1/users/me/preferences).';

/**
 * Writes and sends the email of one outbox event: the recipient's account and preferences are read when it is sent
 * (so a category turned off stops retries too), times in the zone of what was booked or the recipient's, in their
 * locale, and a Message-ID derived from the event id. Answers what the outbox should do next; never throws for a
 * failed send, and rethrows a failure of its own reads (Redis away) for the outbox to retry.
 */
@Injectable()
export class MailService {
  private readonly logger = new Logger('Mail');
  private readonly host: string;

  constructor(
    private readonly composer: MailComposer,
    private readonly users: UsersRepository,
    private readonly preferences: PreferencesService,
    private readonly mailer: Mailer,
    private readonly metrics: MailMetrics,
    config: AppConfig,
  ) {
    this.host = messageIdHost(config.mailFrom, config.publicBaseUrl);
  }

  async deliver(event: MailEvent): Promise<MailOutcome> {
    const plan = await this.composer.plan(event);
    if (plan === null) {
      this.metrics.attempt('none', 'skipped');
      return { status: 'skipped', reason: `no email for ${event.type}` };
    }
    const [user, preferences] = await Promise.all([
      this.users.findById(plan.recipientId),
      this.preferences.of(plan.recipientId),
    ]);
    if (user === null || !preferences.email[plan.category]) {
      this.metrics.attempt(plan.category, 'skipped');
      const reason = user === null ? `no account ${plan.recipientId}` : `${plan.category} turned off`;
      return { status: 'skipped', reason };
    }
    const reader = {
      locale: preferences.locale ?? 'en',
      timeZone: plan.timeZone ?? preferences.timeZone ?? 'UTC',
    };
    const content = renderMail({ ...plan.render(reader), name: user.name, footer: footer(plan.category) });
    const id = messageId(event.id, plan.category, this.host);
    try {
      await this.mailer.send({ to: { name: user.name, address: user.email }, messageId: id, ...content });
      this.metrics.attempt(plan.category, 'sent');
      return { status: 'sent', messageId: id };
    } catch (error) {
      if (!(error instanceof MailSendError)) throw error;
      const reason = error.message;
      this.metrics.attempt(plan.category, error.retryable ? 'retry' : 'final');
      this.logger.warn(`${event.type} ${event.id}: ${error.retryable ? 'will retry' : 'gave up'}: ${reason}`);
      return { status: 'failed', retryable: error.retryable, reason };
    }
  }
}

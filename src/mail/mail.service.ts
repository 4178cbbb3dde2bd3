import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { PreferencesService } from '../preferences/preferences.service.js';
import type { EmailCategory } from '../preferences/preferences.js';
import { UsersRepository } from '../users/users.repository.js';
import { MailComposer } from './mail-composer.js';
import type { MailPlan } from './mail-composer.js';
import { MailMetrics } from './mail-metrics.js';
import type { MailEvent, MailOutcome } from './mail-event.js';
import { MailSendError, Mailer } from './mailer.js';
import { messageId, messageIdHost } from './message-id.js';
import { renderMail } from './templates/message.js';
import type { MailContent } from './templates/message.js';

const WHY: Record<EmailCategory, string> = {
  confirmations: 'confirmations of your reservations',
  appointmentUpdates: 'updates about your appointments',
  reminders: 'reminders',
  waitingList: 'waiting-list offers',
};

/**
 * Why the reader gets it and how to stop it: with PUBLIC_BASE_URL, the box office's address (the web app is served
 * at the root) and the API route under it; without, only the route (the service does not know its own address).
 */
const footer = (category: EmailCategory, base: string | undefined) =>
  `You get this email because ${WHY[category]} are on in your preferences. To stop them, turn "${category}" off ` +
  (base === undefined
    ? '(PATCH /v1/users/me/preferences).'
    : `in your preferences at ${base}/ (the API: PATCH ${base}/v1/users/me/preferences).`);

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
  private readonly base: string | undefined;

  constructor(
    private readonly composer: MailComposer,
    private readonly users: UsersRepository,
    private readonly preferences: PreferencesService,
    private readonly mailer: Mailer,
    private readonly metrics: MailMetrics,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.host = messageIdHost(config.mailFrom, config.publicBaseUrl);
    this.base = config.publicBaseUrl;
  }

  /**
   * Every attempt is counted (MailMetrics), also one that throws: a failed read (Redis away) is counted `retry` and
   * rethrown for the outbox to retry.
   */
  async deliver(event: MailEvent): Promise<MailOutcome> {
    let category: EmailCategory | 'none' = 'none';
    try {
      const plan = await this.composer.plan(event);
      if (plan === null) return this.skipped('none', `no email for ${event.type}`);
      category = plan.category;
      return await this.send(event, plan);
    } catch (error) {
      this.metrics.attempt(category, 'retry');
      throw error;
    }
  }

  private async send(event: MailEvent, plan: MailPlan): Promise<MailOutcome> {
    // A reminder read after its start (the outbox retried it that long) would remind of the past.
    if (plan.pastAfter !== null && this.clock.now() >= plan.pastAfter) {
      return this.skipped(plan.category, `${event.type} ${event.id}: it has started already`);
    }
    const [user, preferences] = await Promise.all([
      this.users.findById(plan.recipientId),
      this.preferences.of(plan.recipientId),
    ]);
    if (user === null || !preferences.email[plan.category]) {
      return this.skipped(
        plan.category,
        user === null ? `no account ${plan.recipientId}` : `${plan.category} turned off`,
      );
    }
    const reader = {
      locale: preferences.locale ?? 'en',
      timeZone: plan.timeZone ?? preferences.timeZone ?? 'UTC',
    };
    let content: MailContent;
    try {
      content = renderMail({ ...plan.render(reader), name: user.name, footer: footer(plan.category, this.base) });
    } catch (error) {
      // A template that cannot write this event (e.g. a RangeError from Intl on a zone or locale it refuses) would
      // throw the same on every retry.
      const reason = `${event.type} ${event.id}: cannot be written: ${(error as Error).message}`;
      this.metrics.attempt(plan.category, 'final');
      this.logger.error(reason);
      return { status: 'failed', retryable: false, reason };
    }
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

  private skipped(category: EmailCategory | 'none', reason: string): MailOutcome {
    this.metrics.attempt(category, 'skipped');
    return { status: 'skipped', reason };
  }
}

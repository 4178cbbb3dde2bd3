import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { OutboxConsumer, OutboxConsumers } from '../outbox/outbox-consumer.js';
import type { DeliveryAttempt, DeliveryResult } from '../outbox/outbox-consumer.js';
import type { OutboxEvent } from '../outbox/outbox.codec.js';
import { MAIL_EVENT_CATEGORIES } from './mail-composer.js';
import { MailService } from './mail.service.js';

/**
 * Email as a consumer of the outbox: one delivery job per event of a type that sends email, in the queue
 * `outbox-mail` (job id from consumer and event id, so one event is one job), retried by the outbox with its backoff
 * while the send is retryable. Registered at init wherever MailModule is loaded, which is only where SMTP_URL is set;
 * the outbox then works that queue here and announces `mail`, so relays in processes without SMTP_URL hand mail over
 * too.
 */
@Injectable()
export class MailConsumer extends OutboxConsumer implements OnModuleInit {
  readonly name = 'mail';
  private readonly logger = new Logger('Mail');

  constructor(
    private readonly mail: MailService,
    private readonly consumers: OutboxConsumers,
  ) {
    super();
  }

  onModuleInit(): void {
    this.consumers.register(this);
  }

  wants(event: OutboxEvent): boolean {
    return Object.hasOwn(MAIL_EVENT_CATEGORIES, event.type);
  }

  override interest(): Promise<readonly string[]> {
    return Promise.resolve(Object.keys(MAIL_EVENT_CATEGORIES));
  }

  async deliver(event: OutboxEvent): Promise<DeliveryResult> {
    const outcome = await this.mail.deliver({ id: event.id, type: event.type, data: event.data, userId: event.userId });
    switch (outcome.status) {
      case 'sent':
      case 'skipped':
        return { status: 'done' };
      case 'failed':
        return outcome.retryable
          ? { status: 'retry', reason: outcome.reason }
          : { status: 'final', reason: outcome.reason };
    }
  }

  override gaveUp(event: OutboxEvent, attempt: DeliveryAttempt, reason: string): Promise<void> {
    this.logger.error(`${event.type} ${event.id}: email given up after ${attempt.number} attempts: ${reason}`);
    return Promise.resolve();
  }
}

import { Injectable, Logger } from '@nestjs/common';
import type { OnModuleInit } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { toIso } from '../common/iso-date-time.js';
import { AppConfig } from '../config/app-config.js';
import { notificationIdOf } from '../notifications/bull-reminders.js';
import { InboxRepository } from '../notifications/inbox.repository.js';
import { OutboxConsumer, OutboxConsumers } from '../outbox/outbox-consumer.js';
import type { DeliveryAttempt, DeliveryResult } from '../outbox/outbox-consumer.js';
import type { OutboxEvent } from '../outbox/outbox.codec.js';
import { resolveWebhookUrl } from './webhook-address.js';
import { sendWebhook } from './webhook-sender.js';
import type { SendResult } from './webhook-sender.js';
import { signWebhook } from './webhook-signature.js';
import { isWebhookEventType } from './webhook.js';
import type { WebhookEndpoint } from './webhook.js';
import { WebhooksRepository } from './webhooks.repository.js';

/** Whether an endpoint is to receive an event: subscribed to its type, and (a manager's) about an aggregate it owns. */
export function endpointWants(endpoint: WebhookEndpoint, event: OutboxEvent): boolean {
  if (!endpoint.enabled || !(endpoint.events as readonly string[]).includes(event.type)) return false;
  if (endpoint.ownerRole === 'admin') return true;
  return endpoint.ownerRole === 'manager' && event.owners.includes(endpoint.ownerId);
}

/** The Standard Webhooks body: `{type, timestamp, data}`, timestamp being when the change was made. */
export function webhookBody(event: OutboxEvent): string {
  return JSON.stringify({ type: event.type, timestamp: toIso(event.at), data: event.data });
}

/**
 * Webhooks as an outbox consumer: one delivery per (subscribed endpoint, event), each retried on its own (so one slow
 * receiver holds nobody else up, and per-endpoint order is not kept). Each attempt signs the same body under the same
 * `webhook-id` (the event id) with the attempt's timestamp; receivers deduplicate by the id.
 */
@Injectable()
export class WebhooksConsumer extends OutboxConsumer implements OnModuleInit {
  readonly name = 'webhooks';
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly endpoints: WebhooksRepository,
    private readonly inbox: InboxRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  onModuleInit(): void {
    this.consumers.register(this);
  }

  wants(event: OutboxEvent): boolean {
    return isWebhookEventType(event.type);
  }

  override async targets(event: OutboxEvent): Promise<readonly string[]> {
    return (await this.targetsOf([event]))[0];
  }

  /** One read of the endpoints per batch the relay hands over. */
  override async targetsOf(events: readonly OutboxEvent[]): Promise<readonly (readonly string[])[]> {
    const endpoints = await this.endpoints.all();
    return events.map((event) => endpoints.filter((e) => endpointWants(e, event)).map((e) => e.id));
  }

  async deliver(event: OutboxEvent, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const endpoint = await this.endpoints.find(attempt.target);
    if (!endpoint) return { status: 'final', reason: 'the endpoint was deleted' };
    if (!endpoint.enabled) return { status: 'final', reason: 'the endpoint is disabled' };
    const now = this.clock.now();
    const result = await this.send(endpoint, event, now);
    const verdict = classify(result);
    const recorded = await this.endpoints.recordAttempt(endpoint.id, {
      event,
      now,
      status: verdict.status === 'done' ? 'succeeded' : verdict.status === 'final' ? 'failed' : 'retrying',
      httpStatus: result.answered ? result.status : null,
      error: verdict.status === 'done' ? null : verdict.reason,
      disableAfterMs: this.config.webhookDisableAfterMs,
    });
    if (recorded === 'disabled') {
      await this.tellOwner(endpoint, now);
      return { status: 'final', reason: 'the endpoint failed for too long and was disabled' };
    }
    return verdict;
  }

  override async gaveUp(event: OutboxEvent, attempt: DeliveryAttempt): Promise<void> {
    await this.endpoints.markFailed(attempt.target, event.id);
  }

  private async send(endpoint: WebhookEndpoint, event: OutboxEvent, now: number): Promise<SendResult> {
    // Resolved and checked again now: the name may point elsewhere than at registration (DNS rebinding).
    const verdict = await resolveWebhookUrl(endpoint.url, this.config.webhookAllowPrivate);
    if (!verdict.ok) {
      // A name that does not resolve now may again later (a DNS outage): tried again; a refused address is final.
      const refused = verdict.retryable ? '' : 'refused: ';
      return { answered: false, error: `${refused}the URL ${verdict.reason}` };
    }
    const body = webhookBody(event);
    const timestamp = Math.floor(now / 1000);
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && (endpoint.previousSecretUntil ?? 0) > now) secrets.push(endpoint.previousSecret);
    const headers = {
      'webhook-id': event.id,
      'webhook-timestamp': String(timestamp),
      'webhook-signature': secrets.map((s) => signWebhook(s, event.id, timestamp, body)).join(' '),
      'user-agent': 'booking-service-webhooks/1',
    };
    return sendWebhook(verdict.target, headers, body, this.config.webhookTimeoutMs);
  }

  /** Once per disabling (the notification id is derived from it), in the owner's inbox. */
  private async tellOwner(endpoint: WebhookEndpoint, now: number): Promise<void> {
    this.logger.warn(
      `webhook ${endpoint.id} disabled: its deliveries failed since ${toIso(endpoint.failingSince ?? now)}`,
    );
    await this.inbox
      .add(endpoint.ownerId, {
        id: notificationIdOf(`webhook-disabled:${endpoint.id}@${endpoint.failingSince ?? now}`),
        type: 'webhook.disabled',
        title: `Webhook to ${new URL(endpoint.url).host} disabled: its deliveries have failed for a day`,
        data: { webhookId: endpoint.id, url: endpoint.url },
        createdAt: now,
      })
      .catch((error: Error) => this.logger.warn(`webhook ${endpoint.id}: owner not told: ${error.message}`));
  }
}

/**
 * What an attempt's result means: 2xx delivered; 408, 429 and 5xx, network errors and timeouts are tried again
 * (after the receiver's Retry-After when it sent one); a refused address and any other status are final.
 */
export function classify(result: SendResult): DeliveryResult {
  if (!result.answered) {
    if (result.error.startsWith('refused:')) return { status: 'final', reason: result.error };
    return { status: 'retry', reason: result.error };
  }
  const { status } = result;
  if (status >= 200 && status < 300) return { status: 'done' };
  if (status === 408 || status === 429 || status >= 500) {
    return {
      status: 'retry',
      reason: `answered ${status}`,
      ...(result.retryAfterMs !== null ? { retryAfterMs: result.retryAfterMs } : {}),
    };
  }
  return { status: 'final', reason: `answered ${status}` };
}

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
import type { Role } from '../users/user.js';
import { WebhookOwners } from './webhook-owners.js';
import { MANAGER_EVENT_TYPES, isWebhookEventType } from './webhook.js';
import type { WebhookEndpoint } from './webhook.js';
import { WebhooksRepository } from './webhooks.repository.js';

/**
 * Whether an endpoint is to receive an event: subscribed to its type, and allowed by its owner's current role (an
 * admin's: every event; a manager's: events of aggregates they own, of the manager types; anyone else's, or a deleted
 * owner's: none).
 */
export function endpointWants(endpoint: WebhookEndpoint, ownerRole: Role | null, event: OutboxEvent): boolean {
  if (!endpoint.enabled || !(endpoint.events as readonly string[]).includes(event.type)) return false;
  if (ownerRole === 'admin') return true;
  return (
    ownerRole === 'manager' &&
    (MANAGER_EVENT_TYPES as readonly string[]).includes(event.type) &&
    event.owners.includes(endpoint.ownerId)
  );
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
  /** The endpoints as last read, with the version they were read at (re-read only after a change). */
  private cache: { version: string; endpoints: readonly WebhookEndpoint[] } | undefined;

  constructor(
    private readonly consumers: OutboxConsumers,
    private readonly endpoints: WebhooksRepository,
    private readonly inbox: InboxRepository,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly owners: WebhookOwners,
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

  /**
   * Per batch the relay hands over: the endpoints' version (one GET; the list is read again only after a change to
   * some endpoint) and the current role of their owners (cached briefly, WebhookOwners).
   */
  override async targetsOf(events: readonly OutboxEvent[]): Promise<readonly (readonly string[])[]> {
    const endpoints = await this.enabled();
    const roles = await this.owners.rolesOf(endpoints.map((e) => e.ownerId));
    return events.map((event) =>
      endpoints.filter((e) => endpointWants(e, roles.get(e.ownerId) ?? null, event)).map((e) => e.id),
    );
  }

  /** The types some enabled endpoint subscribes to (whether its owner may see them is decided per event). */
  override async interest(): Promise<readonly string[]> {
    return [...new Set((await this.enabled()).flatMap((e) => e.events))];
  }

  /** The enabled endpoints: the version read (one GET), the list read again only after a change. */
  private async enabled(): Promise<readonly WebhookEndpoint[]> {
    const version = await this.endpoints.version();
    if (this.cache?.version !== version) this.cache = { version, endpoints: await this.endpoints.all() };
    return this.cache.endpoints.filter((e) => e.enabled);
  }

  async deliver(event: OutboxEvent, attempt: DeliveryAttempt): Promise<DeliveryResult> {
    const endpoint = await this.endpoints.find(attempt.target);
    if (!endpoint) return { status: 'final', reason: 'the endpoint was deleted' };
    const now = this.clock.now();
    if (!endpoint.enabled) {
      // A rerun of the job that disabled it (its process died before telling the owner) tells them now.
      if (endpoint.disabledReason === 'failing' && endpoint.ownerToldAt === null) await this.tellOwner(endpoint, now);
      return this.endWithout(endpoint, event, now, 'the endpoint is disabled');
    }
    if (!endpointWants(endpoint, await this.owners.roleOf(endpoint.ownerId), event)) {
      return this.endWithout(endpoint, event, now, "the endpoint's owner may no longer receive this event");
    }
    const result = await this.send(endpoint, event, now);
    const verdict = classify(result);
    const recorded = await this.endpoints.recordAttempt(endpoint.id, {
      event,
      now,
      status: verdict.status === 'done' ? 'succeeded' : verdict.status === 'final' ? 'failed' : 'retrying',
      httpStatus: result.answered ? result.status : null,
      error: verdict.status === 'done' ? null : verdict.reason,
      disableAfterMs: this.config.webhookDisableAfterMs,
      attempted: true,
      token: `${attempt.since}#${attempt.number}`,
    });
    if (recorded === 'disabled') {
      await this.tellOwner({ ...endpoint, failingSince: endpoint.failingSince ?? now }, now);
      return { status: 'final', reason: 'the endpoint failed for too long and was disabled' };
    }
    return verdict;
  }

  override async gaveUp(event: OutboxEvent, attempt: DeliveryAttempt, reason: string): Promise<void> {
    await this.endpoints.recordAttempt(attempt.target, this.ended(event, this.clock.now(), `gave up: ${reason}`));
  }

  /** Ends a delivery without a request, recorded as failed (an endpoint that exists only: else nothing is kept). */
  private async endWithout(
    endpoint: WebhookEndpoint,
    event: OutboxEvent,
    now: number,
    reason: string,
  ): Promise<DeliveryResult> {
    await this.endpoints.recordAttempt(endpoint.id, this.ended(event, now, reason));
    return { status: 'final', reason };
  }

  private ended(event: OutboxEvent, now: number, reason: string) {
    return {
      event,
      now,
      status: 'failed',
      httpStatus: null,
      error: reason,
      disableAfterMs: this.config.webhookDisableAfterMs,
      attempted: false,
      token: '',
    } as const;
  }

  private async send(endpoint: WebhookEndpoint, event: OutboxEvent, now: number): Promise<SendResult> {
    // Resolved and checked again now: the name may point elsewhere than at registration (DNS rebinding).
    const verdict = await resolveWebhookUrl(
      endpoint.url,
      this.config.webhookAllowPrivate,
      this.config.webhookTimeoutMs,
    );
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

  /**
   * Once per disabling (the notification id is derived from it), in the owner's inbox; noted on the endpoint after,
   * so a job rerun after a crash before the note tells them (again under the same id: one notification).
   */
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
      .then(() => this.endpoints.markOwnerTold(endpoint.id, now))
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

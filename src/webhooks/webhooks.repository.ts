import type { OutboxEvent } from '../outbox/outbox.codec.js';
import type { AttemptStatus } from './webhooks.scripts.js';
import type { WebhookDelivery, WebhookEndpoint } from './webhook.js';

/** What can be changed on an endpoint (absent: unchanged). */
export interface EndpointChange {
  readonly url?: string;
  readonly events?: readonly string[];
  readonly description?: string | null;
  readonly enabled?: boolean;
}

export interface AttemptRecord {
  readonly event: OutboxEvent;
  readonly now: number;
  readonly status: AttemptStatus;
  readonly httpStatus: number | null;
  readonly error: string | null;
  /** Failing this long (since the streak began) disables the endpoint. */
  readonly disableAfterMs: number;
}

/**
 * Webhook endpoints and their deliveries. An endpoint and its deliveries share the endpoint's slot; the list of every
 * endpoint (`{webhooks}:all`) is another slot, written after the endpoint (a crash between leaves an endpoint that is
 * not listed and gets nothing, never a listed one that is missing: readers skip those).
 */
export abstract class WebhooksRepository {
  abstract create(endpoint: WebhookEndpoint): Promise<void>;
  abstract find(id: string): Promise<WebhookEndpoint | null>;
  /** Every endpoint, oldest first (fan-out reads it per event; admins and owners list it). */
  abstract all(): Promise<WebhookEndpoint[]>;
  /** False when the endpoint does not exist. */
  abstract update(id: string, change: EndpointChange, now: number): Promise<boolean>;
  abstract rotateSecret(id: string, secret: string, now: number, previousUntil: number): Promise<boolean>;
  abstract delete(id: string): Promise<void>;

  /** Records an attempt; `disabled` when this attempt disabled the endpoint (failing for too long). */
  abstract recordAttempt(webhookId: string, attempt: AttemptRecord): Promise<'recorded' | 'disabled' | 'missing'>;
  /** Marks a delivery given up (after OUTBOX_RETRY_FOR_MS of failures). */
  abstract markFailed(webhookId: string, deliveryId: string): Promise<void>;
  abstract deliveries(
    webhookId: string,
    after: string | null,
    limit: number,
  ): Promise<{ deliveries: WebhookDelivery[]; next: string | null }>;
  /** Queues nothing itself: counts a redelivery and answers the stored event to hand over again. */
  abstract redeliver(
    webhookId: string,
    deliveryId: string,
  ): Promise<{ outcome: 'queued'; redeliveries: number; event: OutboxEvent } | { outcome: 'missing' | 'disabled' }>;
}

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
  /** false: the delivery ended without a request (the endpoint was disabled, or the delivery was given up). */
  readonly attempted: boolean;
  /** Names the attempt (job and try): the same record sent twice (a reply lost, ioredis re-sends) counts once. */
  readonly token: string;
}

/**
 * Webhook endpoints and their deliveries. An endpoint and its deliveries share the endpoint's slot; the lists of every
 * endpoint and of each owner's (`{webhooks}:all`, `{webhooks}:owner:<id>`) and the version are another slot, written
 * after the endpoint by one script (a crash between leaves an endpoint that is not listed and gets nothing, never a
 * listed one that is missing: readers skip those).
 */
export abstract class WebhooksRepository {
  /**
   * Stores an endpoint and lists it, unless its owner has `maxPerOwner` already (false; nothing is kept). Safe twice
   * (a second call with the same endpoint lists it once).
   */
  abstract create(endpoint: WebhookEndpoint, maxPerOwner: number): Promise<boolean>;
  abstract find(id: string): Promise<WebhookEndpoint | null>;
  /** Every endpoint, oldest first (the relay's fan-out, admins' list); rows that cannot be read are skipped. */
  abstract all(): Promise<WebhookEndpoint[]>;
  /** One owner's endpoints, oldest first. */
  abstract ofOwner(ownerId: string): Promise<WebhookEndpoint[]>;
  /** Changes on every change to any endpoint (create, update, rotation, deletion, disabling): a cache's key. */
  abstract version(): Promise<string>;
  /** False when the endpoint does not exist. */
  abstract update(id: string, change: EndpointChange, now: number): Promise<boolean>;
  /**
   * Rotates the secret; answers until when the previous secret still signs (a rotation during a grace keeps the
   * oldest secret and its deadline), null when the endpoint does not exist.
   */
  abstract rotateSecret(id: string, secret: string, now: number, previousUntil: number): Promise<number | null>;
  /** Deletes the endpoint with its deliveries. */
  abstract delete(id: string): Promise<void>;
  /** Notes that the owner was told of the disabling (so a rerun of the disabling job tells them once). */
  abstract markOwnerTold(id: string, now: number): Promise<void>;

  /** Records an attempt; `disabled` when this attempt disabled the endpoint (failing for too long). */
  abstract recordAttempt(webhookId: string, attempt: AttemptRecord): Promise<'recorded' | 'disabled' | 'missing'>;
  abstract deliveries(
    webhookId: string,
    after: string | null,
    limit: number,
  ): Promise<{ deliveries: WebhookDelivery[]; next: string | null }>;
  /**
   * Queues nothing itself: counts a redelivery and answers the stored event to hand over again; `retrying` while the
   * delivery is pending or retrying (its job is still under way).
   */
  abstract redeliver(
    webhookId: string,
    deliveryId: string,
  ): Promise<
    { outcome: 'queued'; redeliveries: number; event: OutboxEvent } | { outcome: 'missing' | 'disabled' | 'retrying' }
  >;
}

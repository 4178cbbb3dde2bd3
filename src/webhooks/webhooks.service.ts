import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/auth-user.js';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import type { Page } from '../common/pagination.js';
import { AppConfig } from '../config/app-config.js';
import { OutboxDeliveries } from '../outbox/outbox-deliveries.js';
import { resolveWebhookUrl } from './webhook-address.js';
import { newWebhookSecret } from './webhook-signature.js';
import { MANAGER_EVENT_TYPES } from './webhook.js';
import type { WebhookEndpoint, WebhookEventType } from './webhook.js';
import { deliveryView, webhookView } from './webhooks.dto.js';
import type {
  CreateWebhookDto,
  DeliveriesQuery,
  DeliveryView,
  UpdateWebhookDto,
  WebhookCreatedView,
  WebhookSecretView,
  WebhookView,
} from './webhooks.dto.js';
import {
  WebhookDisabledError,
  WebhookLimitReachedError,
  WebhookStillRetryingError,
  WebhookUrlRefusedError,
} from './webhooks.errors.js';
import { WebhooksConsumer } from './webhooks.consumer.js';
import { WebhooksRepository } from './webhooks.repository.js';

const DELIVERY_ID = /^evt_[0-9a-f]{32}$/;

/** Webhook endpoints of admins (every event) and managers (their own events' and restaurants'). */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly endpoints: WebhooksRepository,
    private readonly deliveries: OutboxDeliveries,
    private readonly consumer: WebhooksConsumer,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  /** Registers an endpoint; the answer carries its signing secret, which is never shown again. */
  async create(dto: CreateWebhookDto, user: AuthUser): Promise<WebhookCreatedView> {
    this.checkEvents(dto.events, user);
    await this.checkUrl(dto.url);
    const now = this.clock.now();
    const endpoint: WebhookEndpoint = {
      id: randomUUID(),
      ownerId: user.id,
      ownerRole: user.role,
      url: dto.url,
      events: dto.events,
      description: dto.description ?? null,
      enabled: true,
      disabledReason: null,
      secret: newWebhookSecret(),
      previousSecret: null,
      previousSecretUntil: null,
      failingSince: null,
      ownerToldAt: null,
      createdAt: now,
      updatedAt: now,
    };
    if (!(await this.endpoints.create(endpoint, this.config.webhookMaxPerOwner))) {
      throw new WebhookLimitReachedError(this.config.webhookMaxPerOwner);
    }
    return { ...webhookView(endpoint, now), secret: endpoint.secret };
  }

  /** Admins see every endpoint, managers their own. */
  async list(user: AuthUser): Promise<WebhookView[]> {
    const now = this.clock.now();
    const endpoints = user.role === 'admin' ? await this.endpoints.all() : await this.endpoints.ofOwner(user.id);
    return endpoints.map((e) => webhookView(e, now));
  }

  async get(id: string, user: AuthUser): Promise<WebhookView> {
    return webhookView(await this.visible(id, user), this.clock.now());
  }

  async update(id: string, dto: UpdateWebhookDto, user: AuthUser): Promise<WebhookView> {
    const endpoint = await this.visible(id, user);
    if (dto.events !== undefined) this.checkEvents(dto.events, { id: endpoint.ownerId, role: endpoint.ownerRole });
    if (dto.url !== undefined && dto.url !== endpoint.url) await this.checkUrl(dto.url);
    const changed = await this.endpoints.update(id, dto, this.clock.now());
    if (!changed) throw new NotFoundError('The webhook');
    return this.get(id, user);
  }

  async delete(id: string, user: AuthUser): Promise<void> {
    await this.visible(id, user);
    await this.endpoints.delete(id);
  }

  /**
   * A new secret; the old one keeps signing (a second signature) for WEBHOOK_SECRET_GRACE_MS. A rotation during the
   * grace of another keeps the secret from before the first rotation, with its deadline, and replaces the newer one:
   * a rotation retried after its answer was lost (without its Idempotency-Key) leaves the receiver's secret valid.
   */
  async rotateSecret(id: string, user: AuthUser): Promise<WebhookSecretView> {
    await this.visible(id, user);
    const now = this.clock.now();
    const secret = newWebhookSecret();
    const until = await this.endpoints.rotateSecret(id, secret, now, now + this.config.webhookSecretGraceMs);
    if (until === null) throw new NotFoundError('The webhook');
    return { secret, previousSecretValidUntil: toIso(until) };
  }

  /** The endpoint's deliveries, newest first. */
  async listDeliveries(id: string, query: DeliveriesQuery, user: AuthUser): Promise<Page<DeliveryView>> {
    await this.visible(id, user);
    const after = query.cursor ? this.cursors.decodePosition(query.cursor) : null;
    const page = await this.endpoints.deliveries(id, after, query.limit ?? 20);
    return {
      items: page.deliveries.map(deliveryView),
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
    };
  }

  /** Sends the delivery's event again (same webhook-id), as a job of its own with the usual retries. */
  async redeliver(id: string, deliveryId: string, user: AuthUser): Promise<void> {
    await this.visible(id, user);
    if (!DELIVERY_ID.test(deliveryId)) throw new NotFoundError('The delivery');
    const result = await this.endpoints.redeliver(id, deliveryId);
    if (result.outcome === 'disabled') throw new WebhookDisabledError();
    if (result.outcome === 'retrying') throw new WebhookStillRetryingError();
    if (result.outcome !== 'queued') throw new NotFoundError('The delivery');
    await this.deliveries.handOver(
      [{ consumer: this.consumer.name, target: id, event: result.event }],
      `.r${result.redeliveries}`,
    );
  }

  private async visible(id: string, user: AuthUser): Promise<WebhookEndpoint> {
    const endpoint = await this.endpoints.find(id);
    if (!endpoint || (user.role !== 'admin' && endpoint.ownerId !== user.id)) throw new NotFoundError('The webhook');
    return endpoint;
  }

  private checkEvents(events: readonly WebhookEventType[], owner: AuthUser): void {
    if (owner.role === 'admin') return;
    const unseen = events.filter((type) => !MANAGER_EVENT_TYPES.includes(type));
    if (unseen.length > 0) {
      throw ValidationFailedError.field(
        'events',
        `a manager's endpoint receives only events of their own events and restaurants (${MANAGER_EVENT_TYPES.join(', ')}); not ${unseen.join(', ')}`,
      );
    }
  }

  private async checkUrl(url: string): Promise<void> {
    const verdict = await resolveWebhookUrl(url, this.config.webhookAllowPrivate, this.config.webhookTimeoutMs);
    if (!verdict.ok) throw new WebhookUrlRefusedError(verdict.reason);
  }
}

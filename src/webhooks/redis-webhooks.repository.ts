import { Inject, Injectable } from '@nestjs/common';
import type { OutboxEvent } from '../outbox/outbox.codec.js';
import { RedisClient, readAll } from '../redis/redis-client.js';
import { keys, lexMember, parseLexMember } from '../redis/keys.js';
import { decodeDelivery, decodeEndpoint, encodeEndpoint } from './webhooks.codec.js';
import { WebhooksRepository } from './webhooks.repository.js';
import type { AttemptRecord, EndpointChange } from './webhooks.repository.js';
import { webhooksScripts } from './webhooks.scripts.js';
import type { WebhookDelivery, WebhookEndpoint } from './webhook.js';

/** Deliveries listed per endpoint (older ones drop off the list) and how long one is kept at all. */
const DELIVERIES_KEPT = 1000;
const DELIVERY_TTL_MS = 30 * 86_400_000;

@Injectable()
export class RedisWebhooksRepository extends WebhooksRepository {
  constructor(@Inject(RedisClient) private readonly redis: RedisClient) {
    super();
  }

  async create(endpoint: WebhookEndpoint, maxPerOwner: number): Promise<boolean> {
    // The hash first, then the lists (another slot): a crash between leaves an endpoint nobody lists.
    await this.redis.hset(keys.webhook(endpoint.id), encodeEndpoint(endpoint));
    const { add } = webhooksScripts;
    const listed = add.outcome(
      await add.run(this.redis, [
        keys.webhooks(),
        keys.webhooksOfOwner(endpoint.ownerId),
        keys.webhooksVersion(),
        lexMember(endpoint.createdAt, endpoint.id),
        maxPerOwner,
      ]),
    );
    if (!listed) await this.redis.del(keys.webhook(endpoint.id));
    return listed;
  }

  async find(id: string): Promise<WebhookEndpoint | null> {
    return decodeEndpoint(await this.redis.hgetall(keys.webhook(id)));
  }

  all(): Promise<WebhookEndpoint[]> {
    return this.listed(keys.webhooks());
  }

  ofOwner(ownerId: string): Promise<WebhookEndpoint[]> {
    return this.listed(keys.webhooksOfOwner(ownerId));
  }

  async version(): Promise<string> {
    return (await this.redis.get(keys.webhooksVersion())) ?? '0';
  }

  private async listed(list: string): Promise<WebhookEndpoint[]> {
    const members = await this.redis.zrange(list, '0', '-1');
    if (members.length === 0) return [];
    // One command per endpoint, not a pipeline: on Redis Cluster the endpoints live in different slots.
    const rows = await Promise.all(members.map((m) => this.redis.hgetall(keys.webhook(parseLexMember(m).ref))));
    return rows.map(decodeEndpoint).filter((e): e is WebhookEndpoint => !!e);
  }

  async update(id: string, change: EndpointChange, now: number): Promise<boolean> {
    const pairs: string[] = [];
    if (change.url !== undefined) pairs.push('url', change.url);
    if (change.events !== undefined) pairs.push('events', JSON.stringify(change.events));
    if (change.description !== undefined) pairs.push('description', change.description ?? '');
    if (change.enabled !== undefined) {
      pairs.push('enabled', change.enabled ? '1' : '0');
      if (!change.enabled) pairs.push('disabledReason', 'owner');
    }
    const changed = webhooksScripts.update.outcome(
      await webhooksScripts.update.run(this.redis, [keys.webhook(id), now, ...pairs]),
    );
    if (changed) await this.bump();
    return changed;
  }

  async rotateSecret(id: string, secret: string, now: number, previousUntil: number): Promise<number | null> {
    const { rotate } = webhooksScripts;
    const until = rotate.outcome(await rotate.run(this.redis, [keys.webhook(id), secret, now, previousUntil]));
    if (until !== null) await this.bump();
    return until;
  }

  async delete(id: string): Promise<void> {
    const endpoint = await this.find(id);
    if (!endpoint) return;
    const member = lexMember(endpoint.createdAt, id);
    // Unlisted first (one slot, one MULTI), so the relay stops handing over to it; then its keys (another slot).
    await this.redis
      .multi()
      .zrem(keys.webhooks(), member)
      .zrem(keys.webhooksOfOwner(endpoint.ownerId), member)
      .incr(keys.webhooksVersion())
      .exec();
    const deliveries = await this.redis.zrange(keys.webhookDeliveries(id), '0', '-1');
    const hashes = deliveries.map((m) => keys.webhookDelivery(id, parseLexMember(m).ref));
    await this.redis.del(keys.webhook(id), keys.webhookDeliveries(id), ...hashes);
  }

  async markOwnerTold(id: string, now: number): Promise<void> {
    // Only an existing endpoint: HSET alone would create a bare one.
    if ((await this.redis.exists(keys.webhook(id))) === 1) await this.redis.hset(keys.webhook(id), 'ownerToldAt', now);
  }

  /** After a change in the endpoint's slot, so that relays re-read the endpoints (a lost bump: see docs). */
  private async bump(): Promise<void> {
    await this.redis.incr(keys.webhooksVersion());
  }

  async recordAttempt(webhookId: string, a: AttemptRecord): Promise<'recorded' | 'disabled' | 'missing'> {
    const { recordAttempt } = webhooksScripts;
    const outcome = recordAttempt.outcome(
      await recordAttempt.run(this.redis, [
        keys.webhook(webhookId),
        keys.webhookDelivery(webhookId, a.event.id),
        keys.webhookDeliveries(webhookId),
        a.event.id,
        a.event.type,
        JSON.stringify(a.event),
        a.now,
        a.status,
        a.httpStatus ?? '',
        a.error ?? '',
        a.disableAfterMs,
        DELIVERIES_KEPT,
        lexMember(a.now, a.event.id),
        DELIVERY_TTL_MS,
        a.attempted ? 1 : 0,
        a.token,
      ]),
    );
    if (outcome === 'disabled') await this.bump();
    return outcome;
  }

  async deliveries(
    webhookId: string,
    after: string | null,
    limit: number,
  ): Promise<{ deliveries: WebhookDelivery[]; next: string | null }> {
    const members = await this.redis.zrevrangebylex(
      keys.webhookDeliveries(webhookId),
      after ? `(${after}` : '+',
      '-',
      'LIMIT',
      0,
      limit + 1,
    );
    const page = members.slice(0, limit);
    if (page.length === 0) return { deliveries: [], next: null };
    const pipeline = this.redis.pipeline();
    for (const member of page) pipeline.hgetall(keys.webhookDelivery(webhookId, parseLexMember(member).ref));
    const rows = await readAll(pipeline);
    const deliveries = rows
      .map((f) => decodeDelivery(webhookId, f as Record<string, string>))
      .filter((d): d is WebhookDelivery => !!d);
    return { deliveries, next: members.length > limit ? page[page.length - 1] : null };
  }

  async redeliver(
    webhookId: string,
    deliveryId: string,
  ): Promise<
    { outcome: 'queued'; redeliveries: number; event: OutboxEvent } | { outcome: 'missing' | 'disabled' | 'retrying' }
  > {
    const { redeliver } = webhooksScripts;
    const result = redeliver.outcome(
      await redeliver.run(this.redis, [keys.webhook(webhookId), keys.webhookDelivery(webhookId, deliveryId)]),
    );
    if (result.outcome !== 'queued') return result;
    return { outcome: 'queued', redeliveries: result.redeliveries, event: JSON.parse(result.event) as OutboxEvent };
  }
}

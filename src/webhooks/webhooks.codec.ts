import type { Role } from '../users/user.js';
import type { DeliveryStatus, WebhookDelivery, WebhookEndpoint, WebhookEventType } from './webhook.js';

/** The endpoint hash (`{webhook:<id>}`) and the delivery hash, both ways: the one place that reads and writes them. */
export function encodeEndpoint(e: WebhookEndpoint): Record<string, string> {
  return {
    id: e.id,
    ownerId: e.ownerId,
    ownerRole: e.ownerRole,
    url: e.url,
    events: JSON.stringify(e.events),
    description: e.description ?? '',
    enabled: e.enabled ? '1' : '0',
    secret: e.secret,
    createdAt: String(e.createdAt),
    updatedAt: String(e.updatedAt),
  };
}

const numberOrNull = (value: string | undefined) => (value ? Number(value) : null);

/**
 * The endpoint, or null when there is none or the row cannot be read (a field missing or malformed): one bad row is
 * skipped by readers, it never stops the relay's fan-out for every other endpoint.
 */
export function decodeEndpoint(f: Record<string, string>): WebhookEndpoint | null {
  if (!f.id || !f.url || !f.ownerId || !f.secret) return null;
  let events: unknown;
  try {
    events = JSON.parse(f.events);
  } catch {
    return null;
  }
  if (!Array.isArray(events) || !events.every((e) => typeof e === 'string')) return null;
  return {
    id: f.id,
    ownerId: f.ownerId,
    ownerRole: f.ownerRole as Role,
    url: f.url,
    events: events as WebhookEventType[],
    description: f.description || null,
    enabled: f.enabled === '1',
    disabledReason: (f.disabledReason as WebhookEndpoint['disabledReason']) || null,
    secret: f.secret,
    previousSecret: f.previousSecret || null,
    previousSecretUntil: numberOrNull(f.previousSecretUntil),
    failingSince: numberOrNull(f.failingSince),
    ownerToldAt: numberOrNull(f.ownerToldAt),
    createdAt: Number(f.createdAt),
    updatedAt: Number(f.updatedAt),
  };
}

export function decodeDelivery(webhookId: string, f: Record<string, string>): WebhookDelivery | null {
  if (!f.id) return null;
  return {
    id: f.id,
    webhookId,
    type: f.type,
    status: (f.status as DeliveryStatus) || 'pending',
    attempts: Number(f.attempts ?? 0),
    lastStatusCode: numberOrNull(f.lastStatusCode),
    lastError: f.lastError || null,
    lastAttemptAt: numberOrNull(f.lastAttemptAt),
    redeliveries: Number(f.redeliveries ?? 0),
    createdAt: Number(f.createdAt),
  };
}

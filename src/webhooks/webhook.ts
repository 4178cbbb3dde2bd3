import type { Role } from '../users/user.js';

/**
 * The event types a webhook endpoint can subscribe to: every outbox event that leaves the service. A new event type
 * (the waiting list's offer, say) is added here and to its payload in webhook-payloads.ts (the OpenAPI `webhooks` section).
 */
export const WEBHOOK_EVENT_TYPES = [
  'seat.reserved',
  'hold.expired',
  'appointment.reserved',
  'appointment.confirmed',
  'appointment.cancelled',
  'appointment.expired',
  'restaurant-reservation.booked',
  'restaurant-reservation.moved',
  'restaurant-reservation.cancelled',
  'booking.created',
  'booking.updated',
  'booking.deleted',
  'reminder.due',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * The types a manager's endpoint can receive: events of aggregates a manager owns (events and restaurants they
 * created). Every other type concerns a customer's own things, which only admins' endpoints see.
 */
export const MANAGER_EVENT_TYPES: readonly WebhookEventType[] = [
  'seat.reserved',
  'hold.expired',
  'restaurant-reservation.booked',
  'restaurant-reservation.moved',
  'restaurant-reservation.cancelled',
];

export function isWebhookEventType(type: string): type is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(type);
}

/** One registered endpoint. */
export interface WebhookEndpoint {
  readonly id: string;
  readonly ownerId: string;
  /**
   * The owner's role at registration. What the endpoint receives follows the owner's current role (looked up per
   * relay batch and per attempt, webhook-owners.ts): an admin's gets every event, a manager's only their aggregates'.
   */
  readonly ownerRole: Role;
  readonly url: string;
  readonly events: readonly WebhookEventType[];
  readonly description: string | null;
  readonly enabled: boolean;
  /** Why it is disabled: `owner` (by its owner or an admin) or `failing` (deliveries failed for a day). */
  readonly disabledReason: 'owner' | 'failing' | null;
  readonly secret: string;
  /** The secret before the last rotation, still signing until `previousSecretUntil`. */
  readonly previousSecret: string | null;
  readonly previousSecretUntil: number | null;
  /** Since when every delivery attempt has failed (null: the last attempt succeeded, or none failed). */
  readonly failingSince: number | null;
  /** When the owner was told that failing deliveries disabled it (null: not yet, or not disabled for that). */
  readonly ownerToldAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export type DeliveryStatus = 'pending' | 'retrying' | 'succeeded' | 'failed';

/** One event's delivery to one endpoint (its id is the event id: one delivery per endpoint and event). */
export interface WebhookDelivery {
  readonly id: string;
  readonly webhookId: string;
  readonly type: string;
  readonly status: DeliveryStatus;
  readonly attempts: number;
  readonly lastStatusCode: number | null;
  readonly lastError: string | null;
  readonly lastAttemptAt: number | null;
  readonly redeliveries: number;
  readonly createdAt: number;
}

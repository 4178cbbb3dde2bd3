import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { WEBHOOK_EVENT_TYPES } from './webhook.js';
import type { WebhookEventType } from './webhook.js';

/**
 * The payloads webhooks deliver, for the OpenAPI document's `webhooks` section (OpenAPI 3.1): one entry per event
 * type, the Standard Webhooks body `{type, timestamp, data}` with that type's `data`, and the three headers. The data
 * shapes are what the scripts append to the outbox (lua/include/outbox.lua and each module's event include); keep
 * them in step when an event changes.
 */
const time = { type: 'string', format: 'date-time' } as const;
const id = { type: 'string' } as const;
const money: SchemaObject = {
  type: 'object',
  required: ['amount', 'currency'],
  properties: { amount: { type: 'integer', minimum: 0 }, currency: { type: 'string', example: 'EUR' } },
};
const ref = (name: string): ReferenceObject => ({ $ref: `#/components/schemas/${name}` });

export const WEBHOOK_DATA_SCHEMAS: Record<string, SchemaObject> = {
  WebhookSeatReservedData: {
    type: 'object',
    description:
      'Seats newly reserved, each with the category and price it was reserved at (a later price change does not ' +
      'alter them); totals per currency, left out when no seat has a price. Amounts are integers in minor units.',
    required: ['eventId', 'userId', 'seatIds', 'seats', 'reservedAt'],
    properties: {
      eventId: id,
      userId: id,
      seatIds: { type: 'array', items: id },
      seats: {
        type: 'array',
        items: {
          type: 'object',
          required: ['seatId', 'categoryId', 'price'],
          properties: {
            seatId: id,
            categoryId: { ...id, nullable: true, description: 'null: reserved before the event had categories' },
            price: { ...money, nullable: true },
          },
        },
      },
      totals: { type: 'array', items: money },
      reservedAt: time,
    },
  },
  WebhookHoldExpiredData: {
    type: 'object',
    required: ['eventId', 'seatId', 'userId'],
    properties: { eventId: id, seatId: id, userId: { ...id, description: 'who held it' } },
  },
  WebhookSeatReservationCancelledData: {
    type: 'object',
    required: ['eventId', 'seatId', 'userId', 'reservedAt', 'cancelledBy'],
    properties: {
      eventId: id,
      seatId: id,
      userId: { ...id, description: 'who had reserved it' },
      reservedAt: time,
      cancelledBy: { ...id, description: 'the owner, or a manager/admin of the event' },
    },
  },
  WebhookWaitlistOfferedData: {
    type: 'object',
    description:
      'Seats freed for the first fitting entry of the waiting line, held for its user until expiresAt (reserve ' +
      'them with POST /v1/events/{eventId}/reservations). Category names and prices are the current ones.',
    required: ['eventId', 'eventName', 'userId', 'entryId', 'seatIds', 'seats', 'expiresAt', 'startsAt'],
    properties: {
      eventId: id,
      eventName: { type: 'string', nullable: true },
      userId: { ...id, description: 'whose entry it was: the seats are held for them' },
      entryId: id,
      seatIds: { type: 'array', items: id },
      seats: {
        type: 'array',
        items: {
          type: 'object',
          required: ['seatId', 'categoryId', 'categoryName', 'price'],
          properties: {
            seatId: id,
            categoryId: id,
            categoryName: { type: 'string', nullable: true },
            price: {
              type: 'object',
              nullable: true,
              required: ['amount', 'currency'],
              properties: { amount: { type: 'integer' }, currency: { type: 'string' } },
            },
          },
        },
      },
      expiresAt: time,
      startsAt: { ...time, nullable: true },
    },
  },
  WebhookAppointmentData: {
    type: 'object',
    required: ['id', 'slotId', 'providerId', 'clientId', 'start', 'end', 'expiresAt', 'status'],
    properties: {
      id,
      slotId: id,
      providerId: id,
      clientId: id,
      start: time,
      end: time,
      expiresAt: time,
      status: { type: 'string', enum: ['pending', 'confirmed', 'cancelled', 'expired'] },
    },
  },
  WebhookRestaurantReservationData: {
    type: 'object',
    required: ['id', 'restaurantId', 'restaurantName', 'timezone', 'userId', 'tableId', 'start', 'end', 'partySize'],
    properties: {
      id,
      restaurantId: id,
      restaurantName: { type: 'string' },
      timezone: { type: 'string', example: 'Europe/Paris' },
      userId: { ...id, description: 'the customer, or the staff account that booked for a guest' },
      tableId: id,
      start: time,
      end: time,
      partySize: { type: 'integer' },
      status: { type: 'string', enum: ['booked', 'cancelled'] },
      guest: { type: 'boolean', description: 'booked by staff for a guest without an account' },
      version: { type: 'integer' },
    },
  },
  WebhookBookingDeletedData: { type: 'object', required: ['id', 'userId'], properties: { id, userId: id } },
  WebhookReminderDueData: {
    type: 'object',
    required: ['notificationId', 'userId', 'reminderType', 'title', 'dueAt'],
    additionalProperties: true,
    description: 'With the reminder’s own facts (bookingId, appointmentId, reservationId, ...)',
    properties: {
      notificationId: id,
      userId: id,
      reminderType: { type: 'string', example: 'appointment.reminder' },
      title: { type: 'string', description: 'Worded when the reminder fired ("Yoga starts in 60 minutes")' },
      subject: { type: 'string', description: 'What it is of, for booking and appointment reminders', example: 'Yoga' },
      startsAt: { ...time, description: 'When it starts, for booking and appointment reminders' },
      dueAt: time,
    },
  },
};

const DATA: Record<WebhookEventType, ReferenceObject> = {
  'seat.reserved': ref('WebhookSeatReservedData'),
  'seat.reservation-cancelled': ref('WebhookSeatReservationCancelledData'),
  'hold.expired': ref('WebhookHoldExpiredData'),
  'waitlist.offered': ref('WebhookWaitlistOfferedData'),
  'appointment.reserved': ref('WebhookAppointmentData'),
  'appointment.confirmed': ref('WebhookAppointmentData'),
  'appointment.cancelled': ref('WebhookAppointmentData'),
  'appointment.expired': ref('WebhookAppointmentData'),
  'restaurant-reservation.booked': ref('WebhookRestaurantReservationData'),
  'restaurant-reservation.moved': ref('WebhookRestaurantReservationData'),
  'restaurant-reservation.cancelled': ref('WebhookRestaurantReservationData'),
  'booking.created': ref('BookingView'),
  'booking.updated': ref('BookingView'),
  'booking.deleted': ref('WebhookBookingDeletedData'),
  'reminder.due': ref('WebhookReminderDueData'),
};

const header = (name: string, description: string, example: string) => ({
  name,
  in: 'header' as const,
  required: true,
  description,
  schema: { type: 'string' as const, example },
});

/** The `webhooks` section: what a registered endpoint receives, per event type. */
export function webhookPayloadDocs(): Record<string, object> {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          summary: `${type}, as POSTed to a registered endpoint`,
          parameters: [
            header(
              'webhook-id',
              'The event id: the same on every retry and redelivery',
              'evt_3f1c0a9b2d7e4c58a1b6f0e9d8c7b6a5',
            ),
            header('webhook-timestamp', 'Seconds since the epoch at this attempt (signed)', '1893456000'),
            header(
              'webhook-signature',
              'v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>" keyed with the secret’s base64 part>; two, space-separated, during a rotation',
              'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
            ),
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['type', 'timestamp', 'data'],
                  properties: {
                    type: { type: 'string', enum: [type] },
                    timestamp: { ...time, description: 'When the change was made' },
                    data: DATA[type],
                  },
                },
              },
            },
          },
          responses: {
            '2XX': {
              description:
                'Received. 408, 429 and 5xx (or no answer within WEBHOOK_TIMEOUT_MS) are retried; any other status is final',
            },
          },
        },
      },
    ]),
  );
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  ValidateIf,
} from 'class-validator';
import { toIso } from '../common/iso-date-time.js';
import { PageQuery } from '../common/pagination.js';
import { WEBHOOK_EVENT_TYPES } from './webhook.js';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from './webhook.js';

/** Absent: unchanged; null is not a value of these fields (only `description` may be cleared with null). */
const definedOnly = (_: object, value: unknown) => value !== undefined;

const EVENTS_DOC = {
  enum: WEBHOOK_EVENT_TYPES,
  isArray: true,
  example: ['seat.reserved', 'restaurant-reservation.booked'],
  description:
    'Event types to receive (their payloads: the webhooks section). A manager’s endpoint receives only events of the events and ' +
    'restaurants the manager created: seat.reserved, seat.reservation-cancelled, hold.expired, waitlist.offered and ' +
    'restaurant-reservation.*; admins’ receive every event.',
};

export class CreateWebhookDto {
  @ApiProperty({ example: 'https://crm.example.com/hooks/booking', maxLength: 2048 })
  @IsString()
  @MaxLength(2048)
  readonly url!: string;

  @ApiProperty(EVENTS_DOC)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  readonly events!: WebhookEventType[];

  @ApiPropertyOptional({ example: 'CRM sync', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly description?: string | null;
}

export class UpdateWebhookDto {
  @ApiPropertyOptional({ example: 'https://crm.example.com/hooks/booking', maxLength: 2048 })
  @ValidateIf(definedOnly)
  @IsString()
  @MaxLength(2048)
  readonly url?: string;

  @ApiPropertyOptional(EVENTS_DOC)
  @ValidateIf(definedOnly)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(WEBHOOK_EVENT_TYPES.length)
  @ArrayUnique()
  @IsIn(WEBHOOK_EVENT_TYPES, { each: true })
  readonly events?: WebhookEventType[];

  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly description?: string | null;

  @ApiPropertyOptional({ description: 'false disables the endpoint (nothing is sent); true enables it again' })
  @ValidateIf(definedOnly)
  @IsBoolean()
  readonly enabled?: boolean;
}

export class WebhookView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid', description: 'The admin or manager who registered it' }) readonly ownerId!: string;
  @ApiProperty({ example: 'https://crm.example.com/hooks/booking' }) readonly url!: string;
  @ApiProperty({ enum: WEBHOOK_EVENT_TYPES, isArray: true }) readonly events!: WebhookEventType[];
  @ApiProperty({ nullable: true, type: String }) readonly description!: string | null;
  @ApiProperty() readonly enabled!: boolean;
  @ApiProperty({
    nullable: true,
    enum: ['owner', 'failing'],
    description: 'owner: disabled through the API; failing: its deliveries failed for WEBHOOK_DISABLE_AFTER_MS',
  })
  readonly disabledReason!: 'owner' | 'failing' | null;
  @ApiProperty({ nullable: true, format: 'date-time', description: 'Since when every attempt has failed' })
  readonly failingSince!: string | null;
  @ApiProperty({
    nullable: true,
    format: 'date-time',
    description: 'Until when the secret before the last rotation still signs (a second signature)',
  })
  readonly previousSecretValidUntil!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly updatedAt!: string;
}

export class WebhookCreatedView extends WebhookView {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret: shown here and after a rotation only; store it now',
  })
  readonly secret!: string;
}

export class WebhookSecretView {
  @ApiProperty({ example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: 'The new signing secret, shown once' })
  readonly secret!: string;
  @ApiProperty({ format: 'date-time', description: 'Until when the old secret still signs beside the new one' })
  readonly previousSecretValidUntil!: string;
}

export class WebhooksList {
  @ApiProperty({ type: [WebhookView] }) readonly items!: WebhookView[];
}

export class DeliveryView {
  @ApiProperty({ example: 'evt_3f1c0a9b2d7e4c58a1b6f0e9d8c7b6a5', description: 'The event id (its webhook-id)' })
  readonly id!: string;
  @ApiProperty({ example: 'seat.reserved' }) readonly type!: string;
  @ApiProperty({ enum: ['pending', 'retrying', 'succeeded', 'failed'] }) readonly status!: string;
  @ApiProperty({ description: 'Attempts so far, redeliveries included' }) readonly attempts!: number;
  @ApiProperty({ nullable: true, type: Number, example: 503 }) readonly lastStatusCode!: number | null;
  @ApiProperty({ nullable: true, type: String, example: 'no answer within 10000 ms' })
  readonly lastError!: string | null;
  @ApiProperty({ nullable: true, format: 'date-time' }) readonly lastAttemptAt!: string | null;
  @ApiProperty() readonly redeliveries!: number;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}

export class DeliveriesPage {
  @ApiProperty({ type: [DeliveryView] }) readonly items!: DeliveryView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

export class DeliveriesQuery extends PageQuery {}

export function webhookView(e: WebhookEndpoint, now: number): WebhookView {
  const graceLeft = e.previousSecret !== null && (e.previousSecretUntil ?? 0) > now;
  return {
    id: e.id,
    ownerId: e.ownerId,
    url: e.url,
    events: [...e.events],
    description: e.description,
    enabled: e.enabled,
    disabledReason: e.enabled ? null : (e.disabledReason ?? 'owner'),
    failingSince: e.failingSince === null ? null : toIso(e.failingSince),
    previousSecretValidUntil: graceLeft ? toIso(e.previousSecretUntil!) : null,
    createdAt: toIso(e.createdAt),
    updatedAt: toIso(e.updatedAt),
  };
}

export function deliveryView(d: WebhookDelivery): DeliveryView {
  return {
    id: d.id,
    type: d.type,
    status: d.status,
    attempts: d.attempts,
    lastStatusCode: d.lastStatusCode,
    lastError: d.lastError,
    lastAttemptAt: d.lastAttemptAt === null ? null : toIso(d.lastAttemptAt),
    redeliveries: d.redeliveries,
    createdAt: toIso(d.createdAt),
  };
}

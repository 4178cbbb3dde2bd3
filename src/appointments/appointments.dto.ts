import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { lowerCased } from '../common/validation.js';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../common/iso-date-time.js';
import { PageQuery, toInteger } from '../common/pagination.js';
import { APPOINTMENT_STATUSES } from './appointment.js';
import type { AppointmentStatus } from './appointment.js';

export class WindowDto {
  @ApiProperty({ example: '2027-03-01T09:00:00+01:00', format: 'date-time', description: 'On a slot boundary' })
  @IsIsoDateTimeWithOffset()
  readonly start!: string;

  @ApiProperty({ example: '2027-03-01T12:00:00+01:00', format: 'date-time', description: 'On a slot boundary' })
  @IsIsoDateTimeWithOffset()
  readonly end!: string;
}

export class AvailabilityDto {
  @ApiProperty({ type: [WindowDto], minItems: 1, maxItems: 100 })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => WindowDto)
  readonly windows!: WindowDto[];
}

export class SlotView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly providerId!: string;
  @ApiProperty({ format: 'date-time' }) readonly start!: string;
  @ApiProperty({ format: 'date-time' }) readonly end!: string;
}

export class AvailabilityView {
  @ApiProperty({ type: [SlotView], description: 'Every slot the windows cover, new or already open' })
  readonly slots!: SlotView[];
  @ApiProperty({ example: 12, description: 'How many of them this call opened' }) readonly created!: number;
}

export class SlotsQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Default: now' })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Default: from + 14 days; at most from + 31 days' })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly to?: string;
}

export class ProviderView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: 'Dr. Henry' }) readonly name!: string;
}

export class ProvidersPage {
  @ApiProperty({ type: [ProviderView] }) readonly items!: ProviderView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

export class ReserveAppointmentDto {
  @ApiProperty({ format: 'uuid' })
  @Transform(lowerCased)
  @IsUUID('all')
  readonly slotId!: string;
}

export class AppointmentsQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPOINTMENT_STATUSES })
  @IsOptional()
  @IsIn(APPOINTMENT_STATUSES)
  readonly status?: AppointmentStatus;
}

export class AppointmentView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly slotId!: string;
  @ApiProperty({ format: 'uuid' }) readonly providerId!: string;
  @ApiProperty({ format: 'uuid' }) readonly clientId!: string;
  @ApiProperty({ format: 'date-time' }) readonly start!: string;
  @ApiProperty({ format: 'date-time' }) readonly end!: string;
  @ApiProperty({ enum: APPOINTMENT_STATUSES, description: 'A pending one past expiresAt reads as expired' })
  readonly status!: AppointmentStatus;
  @ApiProperty({ format: 'date-time', description: 'Until when a pending reservation holds the slot' })
  readonly expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readonly confirmedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readonly cancelledAt!: string | null;
}

export class AppointmentsPage {
  @ApiProperty({ type: [AppointmentView] }) readonly items!: AppointmentView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

/**
 * A repeated query parameter arrives as an array, a single one as a string: always an array here, of ids in lower
 * case (stored ids are; capitals mean the same provider).
 */
const idList = ({ value }: { value: unknown }): unknown => {
  const list = typeof value === 'string' ? [value] : value;
  return Array.isArray(list) ? list.map((v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v)) : list;
};

export class OpenSlotsQuery {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Earliest start. Default: now (then the lead time applies)',
  })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly from?: string;

  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Latest start, exclusive. Default: from + 14 days; at most from + 31 days',
  })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly to?: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: 20,
    description: 'Only these providers; repeat the parameter for several (`providerId=a&providerId=b`), up to 20',
  })
  @IsOptional()
  @Transform(idList)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true })
  readonly providerId?: string[];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20, description: 'Items per page' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100)
  readonly limit?: number;

  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page, with the same providers' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  readonly cursor?: string;
}

export class OpenSlotsPageView {
  @ApiProperty({ type: [SlotView] }) readonly items!: SlotView[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'Null on the last page. A page may hold fewer than `limit` items and still have a next one.',
  })
  readonly nextCursor!: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../common/iso-date-time.js';
import { PageQuery } from '../common/pagination.js';
import { BOOKING_TYPES } from './booking.js';
import type { BookingType } from './booking.js';
import { DisplayText, trimmed } from '../common/validation.js';

/** A week: reminders further ahead than that are a mistake more often than a wish. */
export const MAX_REMINDER_MINUTES = 10_080;

export class CreateBookingDto {
  @ApiProperty({ enum: BOOKING_TYPES, example: 'apartment' })
  @IsIn(BOOKING_TYPES)
  readonly type!: BookingType;

  @ApiProperty({ example: 'Flat in Lisbon', minLength: 1, maxLength: 200 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @DisplayText()
  readonly title!: string;

  @ApiProperty({ example: '2027-07-01T14:00:00+01:00', format: 'date-time', description: 'Not in the past' })
  @IsIsoDateTimeWithOffset()
  readonly startTime!: string;

  @ApiProperty({ example: '2027-07-08T10:00:00+01:00', format: 'date-time', description: 'After startTime' })
  @IsIsoDateTimeWithOffset()
  readonly endTime!: string;

  @ApiPropertyOptional({ example: 'Rua Augusta 1, Lisbon', maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @DisplayText()
  readonly location?: string | null;

  @ApiPropertyOptional({
    example: 'Key box code in the confirmation mail',
    maxLength: 2000,
    nullable: true,
    type: String,
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @DisplayText({ multiline: true })
  readonly notes?: string | null;

  @ApiPropertyOptional({ example: 1440, minimum: 0, maximum: MAX_REMINDER_MINUTES, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REMINDER_MINUTES)
  readonly reminderMinutesBefore?: number | null;
}

/** Every field optional; `null` clears location, notes and reminderMinutesBefore. */
export class UpdateBookingDto {
  @ApiPropertyOptional({ enum: BOOKING_TYPES })
  @ValidateIf((_, value) => value !== undefined)
  @IsIn(BOOKING_TYPES)
  readonly type?: BookingType;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @ValidateIf((_, value) => value !== undefined)
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @DisplayText()
  readonly title?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf((_, value) => value !== undefined)
  @IsIsoDateTimeWithOffset()
  readonly startTime?: string;

  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf((_, value) => value !== undefined)
  @IsIsoDateTimeWithOffset()
  readonly endTime?: string;

  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  @DisplayText()
  readonly location?: string | null;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true, type: String })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @DisplayText({ multiline: true })
  readonly notes?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: MAX_REMINDER_MINUTES, nullable: true, type: Number })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_REMINDER_MINUTES)
  readonly reminderMinutesBefore?: number | null;
}

export class BookingsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Bookings starting at or after this time' })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Bookings starting before this time' })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly to?: string;

  @ApiPropertyOptional({ enum: BOOKING_TYPES })
  @IsOptional()
  @IsIn(BOOKING_TYPES)
  readonly type?: BookingType;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Admins only: this user’s bookings (admins see everyone’s without it)',
  })
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i, {
    message: 'userId must be a UUID',
  })
  readonly userId?: string;
}

export class BookingView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ enum: BOOKING_TYPES }) readonly type!: BookingType;
  @ApiProperty() readonly title!: string;
  @ApiProperty({ format: 'date-time' }) readonly startTime!: string;
  @ApiProperty({ format: 'date-time' }) readonly endTime!: string;
  @ApiProperty({ nullable: true, type: String }) readonly location!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly notes!: string | null;
  @ApiProperty({ nullable: true, type: Number }) readonly reminderMinutesBefore!: number | null;
  @ApiProperty({ example: 1, description: 'Grows by one with every change; the ETag is "<version>"' })
  readonly version!: number;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly updatedAt!: string;
}

export class BookingsPage {
  @ApiProperty({ type: [BookingView] }) readonly items!: BookingView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { DateTime } from 'luxon';
import { IsIsoDateTimeWithOffset } from '../common/iso-date-time.js';
import { toInteger } from '../common/pagination.js';
import { DisplayText, lowerCased, trimmed } from '../common/validation.js';
import { IsGuestPhone, guestPhone } from './guest-phone.js';
import { DAYS, isTimezone } from './restaurant.js';
import type { Day } from './restaurant.js';

const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const definedOnly = (_: object, value: unknown) => value !== undefined;

const IsTimezone = () =>
  ValidateBy({
    name: 'isTimezone',
    validator: {
      validate: (value) => typeof value === 'string' && isTimezone(value),
      defaultMessage: () => 'timezone must be an IANA time zone name, e.g. Europe/London',
    },
  });

const IsCalendarDate = () =>
  ValidateBy({
    name: 'isCalendarDate',
    validator: {
      validate: (value) =>
        typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) && DateTime.fromISO(value).isValid,
      defaultMessage: () => 'date must be a calendar date YYYY-MM-DD',
    },
  });

export class OpeningHoursDto {
  @ApiProperty({ enum: DAYS, example: 'fri' })
  @IsIn(DAYS)
  readonly day!: Day;

  @ApiProperty({ example: '18:00', description: 'HH:MM local time' })
  @Matches(HH_MM, { message: 'opens must be a time HH:MM (00:00 to 23:59)' })
  readonly opens!: string;

  @ApiProperty({ example: '01:00', description: 'HH:MM local time; earlier than opens means after midnight' })
  @Matches(HH_MM, { message: 'closes must be a time HH:MM (00:00 to 23:59)' })
  readonly closes!: string;
}

export class OpeningHoursBody {
  @ApiProperty({ type: [OpeningHoursDto], maxItems: 50 })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OpeningHoursDto)
  readonly openingHours!: OpeningHoursDto[];
}

export class CreateRestaurantDto extends OpeningHoursBody {
  @ApiProperty({ example: 'Chez Monaco', maxLength: 200 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @DisplayText()
  readonly name!: string;

  @ApiProperty({ example: 'Europe/London', description: 'IANA time zone of the restaurant' })
  @IsTimezone()
  readonly timezone!: string;

  @ApiPropertyOptional({ enum: [15, 30, 60], default: 30, description: 'Distance between bookable start times' })
  @IsOptional()
  @IsIn([15, 30, 60])
  readonly slotMinutes?: number;

  @ApiPropertyOptional({ minimum: 15, maximum: 480, default: 90, description: 'How long a booking takes its table' })
  @IsOptional()
  @IsInt()
  @Min(15)
  @Max(480)
  readonly sittingMinutes?: number;
}

export class CreateTableDto {
  @ApiProperty({ example: 'Monaco', maxLength: 50 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(50)
  @DisplayText()
  readonly name!: string;

  @ApiProperty({ example: 4, minimum: 1, maximum: 20 })
  @IsInt()
  @Min(1)
  @Max(20)
  readonly seats!: number;
}

export class TimeslotsQuery {
  @ApiProperty({ example: '2026-12-24', description: 'Local date at the restaurant' })
  @IsCalendarDate()
  readonly date!: string;

  @ApiProperty({ example: 4, minimum: 1, maximum: 20 })
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(20)
  readonly partySize!: number;
}

export class ReservationsQuery {
  @ApiPropertyOptional({ example: '2026-12-24', description: 'Local date; default today at the restaurant' })
  @IsOptional()
  @IsCalendarDate()
  readonly date?: string;
}

export class BookTableDto {
  @ApiProperty({ example: '2026-12-24T20:00:00+01:00', format: 'date-time', description: 'One of the day’s timeslots' })
  @IsIsoDateTimeWithOffset()
  readonly start!: string;

  @ApiProperty({ example: 4, minimum: 1, maximum: 20 })
  @IsInt()
  @Min(1)
  @Max(20)
  readonly partySize!: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'A table of your choice; default: the smallest free one' })
  @IsOptional()
  @Transform(lowerCased)
  @IsUUID('all')
  readonly tableId?: string;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'Grace Hopper',
    description: 'The name the table is booked under; required with guestPhone',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  @DisplayText()
  readonly guestName?: string;

  @ApiPropertyOptional({
    example: '+44 20 7946 0958',
    maxLength: 32,
    description:
      'Makes it a booking for a guest without an account (a walk-in or a phone call): only the restaurant’s manager ' +
      'or an admin may send it (403 otherwise), guestName is then required. Stored as digits with an optional +. ' +
      'The reservation belongs to the account that made it (userId), is listed with the restaurant’s others, has no ' +
      'per-day cap and no reminder.',
  })
  @IsOptional()
  @IsGuestPhone()
  @Transform(guestPhone)
  readonly guestPhone?: string;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  @DisplayText({ multiline: true })
  readonly notes?: string;
}

export class MoveReservationDto {
  @ApiPropertyOptional({ format: 'date-time' })
  @ValidateIf(definedOnly)
  @IsIsoDateTimeWithOffset()
  readonly start?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 20 })
  @ValidateIf(definedOnly)
  @IsInt()
  @Min(1)
  @Max(20)
  readonly partySize?: number;

  @ApiPropertyOptional({ format: 'uuid' })
  @ValidateIf(definedOnly)
  @Transform(lowerCased)
  @IsUUID('all')
  readonly tableId?: string;
}

export class RestaurantView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty() readonly name!: string;
  @ApiProperty({ example: 'Europe/London' }) readonly timezone!: string;
  @ApiProperty({ example: 30 }) readonly slotMinutes!: number;
  @ApiProperty({ example: 90 }) readonly sittingMinutes!: number;
  @ApiProperty({ type: [OpeningHoursDto] }) readonly openingHours!: OpeningHoursDto[];
  @ApiProperty({ format: 'uuid' }) readonly managerId!: string;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}

export class RestaurantsPage {
  @ApiProperty({ type: [RestaurantView] }) readonly items!: RestaurantView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

export class TableView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: 'Monaco' }) readonly name!: string;
  @ApiProperty({ example: 4 }) readonly seats!: number;
}

export class TimeslotView {
  @ApiProperty({ example: '2026-12-24T20:00:00+01:00', description: 'With the restaurant’s offset' })
  readonly start!: string;
  @ApiProperty({ example: '2026-12-24T21:30:00+01:00' }) readonly end!: string;
  @ApiProperty({ example: 3, description: 'Tables that seat the party and are free for the whole sitting' })
  readonly freeTables!: number;
}

export class RestaurantReservationView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly restaurantId!: string;
  @ApiProperty({ format: 'uuid' }) readonly tableId!: string;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ format: 'date-time' }) readonly start!: string;
  @ApiProperty({ format: 'date-time' }) readonly end!: string;
  @ApiProperty({ example: 4 }) readonly partySize!: number;
  @ApiProperty({ nullable: true, type: String }) readonly guestName!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    example: '+442079460958',
    description: 'Set when staff booked it for a guest without an account; userId is then the staff account',
  })
  readonly guestPhone!: string | null;
  @ApiProperty({ nullable: true, type: String }) readonly notes!: string | null;
  @ApiProperty({ enum: ['booked', 'cancelled'] }) readonly status!: 'booked' | 'cancelled';
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { IsIsoDateTimeWithOffset } from '../common/iso-date-time.js';
import { DisplayText, lowerCased, trimmed } from '../common/validation.js';

export class CreateEventDto {
  @ApiProperty({ example: 'Spring concert', minLength: 1, maxLength: 200 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @DisplayText()
  readonly name!: string;

  @ApiProperty({ example: 500, minimum: 10, maximum: 1000, description: 'Seats are numbered 1..numberOfSeats' })
  @IsInt()
  @Min(10)
  @Max(1000)
  readonly numberOfSeats!: number;

  @ApiPropertyOptional({
    example: '2027-05-01T19:30:00+02:00',
    format: 'date-time',
    description: 'In the future. Holds and reservations end when it is reached; without it the event never starts.',
  })
  @IsOptional()
  @IsIsoDateTimeWithOffset()
  readonly startsAt?: string;

  @ApiPropertyOptional({ example: 60, minimum: 1, maximum: 3600, description: 'Defaults to HOLD_SECONDS (60)' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(3600)
  readonly holdSeconds?: number;
}

export class SeatCounts {
  @ApiProperty({ example: 480 }) readonly available!: number;
  @ApiProperty({ example: 12 }) readonly held!: number;
  @ApiProperty({ example: 8 }) readonly reserved!: number;
}

export class EventView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: 'Spring concert' }) readonly name!: string;
  @ApiProperty({ example: 500 }) readonly totalSeats!: number;
  @ApiProperty({ example: 60 }) readonly holdSeconds!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) readonly startsAt!: string | null;
  @ApiProperty({ format: 'date-time' }) readonly createdAt!: string;
}

export class EventDetailView extends EventView {
  @ApiProperty({ type: SeatCounts }) readonly counts!: SeatCounts;
}

export class EventsPage {
  @ApiProperty({ type: [EventView] }) readonly items!: EventView[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `cursor` for the next page' })
  readonly nextCursor!: string | null;
}

export class SeatsQuery {
  @ApiPropertyOptional({ enum: ['available', 'all'], default: 'available' })
  @IsOptional()
  @IsIn(['available', 'all'])
  readonly status?: 'available' | 'all';
}

export class SeatView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ example: 17 }) readonly number!: number;
  @ApiPropertyOptional({ enum: ['available', 'held', 'reserved'], description: 'Only with ?status=all' })
  readonly status?: 'available' | 'held' | 'reserved';
}

export class SeatIdsDto {
  @ApiProperty({ type: [String], format: 'uuid', minItems: 1, maxItems: 10, uniqueItems: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Transform(lowerCased)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  readonly seatIds!: string[];
}

export class HoldSeatsDto {
  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    minItems: 1,
    maxItems: 10,
    uniqueItems: true,
    description: 'Exactly these seats. Give either seatIds or quantity.',
  })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Transform(lowerCased)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  readonly seatIds?: string[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 10,
    description:
      'The best free seats, picked and held in one step: lowest rank first, then front rows, then nearest the centre of the row (for numberOfSeats events: lowest numbers first). 409 NOT_ENOUGH_SEATS when too few fit.',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10)
  readonly quantity?: number;

  @ApiPropertyOptional({
    example: 'premium',
    description:
      'With quantity: seats of this price category only (400 when the event has none such); without: the best over all categories',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  readonly categoryId?: string;

  @ApiPropertyOptional({ default: false, description: 'With quantity: consecutive seats in one row only' })
  @IsOptional()
  @IsBoolean()
  readonly adjacent?: boolean;

  @ApiPropertyOptional({ default: false, description: 'With quantity: accessible seats only' })
  @IsOptional()
  @IsBoolean()
  readonly accessible?: boolean;
}

export class SeatRef {
  @ApiProperty({ format: 'uuid' }) readonly seatId!: string;
  @ApiProperty({ example: 17 }) readonly number!: number;
}

export class HoldView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly seatId!: string;
  @ApiProperty({ example: 17 }) readonly number!: number;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiProperty({ format: 'date-time', description: 'The server clock when the hold was made, for countdowns' })
  readonly serverTime!: string;
}

export class HoldsView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ type: [SeatRef] }) readonly seats!: SeatRef[];
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
  @ApiProperty({ format: 'date-time' }) readonly serverTime!: string;
}

export class ReservationView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly seatId!: string;
  @ApiProperty({ example: 17 }) readonly number!: number;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ format: 'date-time' }) readonly reservedAt!: string;
}

export class ReservationsView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ type: [ReservationView] }) readonly seats!: ReservationView[];
}

export class MyHoldView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly seatId!: string;
  @ApiProperty({ example: 17 }) readonly number!: number;
  @ApiProperty({ format: 'date-time' }) readonly expiresAt!: string;
}

export class MyHoldsView {
  @ApiProperty({ type: [MyHoldView] }) readonly items!: MyHoldView[];
  @ApiProperty({ format: 'date-time' }) readonly serverTime!: string;
}

export class MyReservationView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly seatId!: string;
  @ApiProperty({ example: 17 }) readonly number!: number;
  @ApiProperty({ format: 'date-time' }) readonly reservedAt!: string;
}

export class MyReservationsPage {
  @ApiProperty({ type: [MyReservationView] }) readonly items!: MyReservationView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
}

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
import { DisplayText, RawJson, lowerCased, trimmed } from '../common/validation.js';
import { MAX_SEATS } from './venue-layout.js';
import { CategoryView, LayoutDto, PriceDto, RESERVED_PRICE, TotalView } from './venue.dto.js';

export class CreateEventDto {
  @ApiProperty({ example: 'Spring concert', minLength: 1, maxLength: 200 })
  @Transform(trimmed)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  @DisplayText()
  readonly name!: string;

  @ApiPropertyOptional({
    example: 500,
    minimum: 10,
    maximum: 1000,
    description:
      'Seats are numbered 1..numberOfSeats (one unnamed section and row, category `general` without a price). ' +
      'Give either numberOfSeats or layout.',
  })
  @IsOptional()
  @IsInt()
  @Min(10)
  @Max(1000)
  readonly numberOfSeats?: number;

  @ApiPropertyOptional({
    type: () => LayoutDto,
    description:
      `A venue of up to ${MAX_SEATS} seats. Give either numberOfSeats or layout. Validated as a whole; a 400 names ` +
      'the first bad path, e.g. `layout.sections[2].rows[5].seats[7].label: duplicate in row`. Names and labels ' +
      'must not start or end with white space (refused, not trimmed); no property may be null except a ' +
      'category’s price (null: no price): leave optional fields out.',
  })
  @RawJson()
  readonly layout?: unknown;

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
  @ApiProperty({
    type: [CategoryView],
    description: 'In layout order, with current prices (numberOfSeats events: `general`, no price)',
  })
  readonly categories!: CategoryView[];
  @ApiProperty({
    example: '"kM1cN0b3Xm1mQk0yVfZ8tJq2Hc9sR4wL7pE5aD6gB1"',
    description:
      'The strong ETag of GET /v1/events/{id}/layout (a gzipped answer carries its weak form, W/ before it): a ' +
      'client that has this chart cached needs not ask',
  })
  readonly layoutEtag!: string;
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

  @ApiPropertyOptional({
    example: 'Stalls',
    description: 'Only the seats of this section (its exact name; 404 when the event has none by that name)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  readonly section?: string;
}

export class SeatView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ example: 17, description: 'The seat’s place in layout order, from 1 (numberOfSeats: its number)' })
  readonly number!: number;
  @ApiProperty({ example: 'Stalls', description: 'numberOfSeats events: ""' }) readonly section!: string;
  @ApiProperty({ example: 'F', description: 'numberOfSeats events: ""' }) readonly row!: string;
  @ApiProperty({ example: '12', description: 'numberOfSeats events: the number' }) readonly label!: string;
  @ApiProperty({ example: 'premium' }) readonly categoryId!: string;
  @ApiProperty({ example: false }) readonly accessible!: boolean;
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

  // No `default` in the spec: the generated client would make the field required (it did not exist before).
  @ApiPropertyOptional({ description: 'With quantity: accessible seats only (absent: any seat)' })
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
  @ApiProperty({ example: 'premium' }) readonly categoryId!: string;
  @ApiProperty({ type: PriceDto, nullable: true, description: RESERVED_PRICE }) readonly price!: PriceDto | null;
}

export class ReservationsView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid' }) readonly userId!: string;
  @ApiProperty({ type: [ReservationView] }) readonly seats!: ReservationView[];
  @ApiProperty({
    type: [TotalView],
    description: 'The seats’ prices added up per currency (unpriced seats add nothing)',
  })
  readonly totals!: TotalView[];
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
  @ApiProperty({ example: 'premium' }) readonly categoryId!: string;
  @ApiProperty({ type: PriceDto, nullable: true, description: RESERVED_PRICE }) readonly price!: PriceDto | null;
}

export class MyReservationsPage {
  @ApiProperty({ type: [MyReservationView] }) readonly items!: MyReservationView[];
  @ApiProperty({ nullable: true, type: String }) readonly nextCursor!: string | null;
  @ApiProperty({ type: [TotalView], description: 'The prices of the seats on this page, added up per currency' })
  readonly totals!: TotalView[];
}

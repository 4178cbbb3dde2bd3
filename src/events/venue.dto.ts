import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow } from 'class-validator';

/** The API shapes of venues (issue 19): the layout a client sends, the chart, the status, categories and prices. */

// The layout's shape for the API documents only: it is validated by hand (layout.validator.ts), not by decorators.
export class PriceDto {
  @ApiProperty({ example: 8000, minimum: 0, maximum: 1e12, description: 'In minor units (cents): 8000 is 80.00' })
  readonly amount!: number;
  @ApiProperty({ example: 'EUR', pattern: '^[A-Z]{3}$', description: 'ISO 4217' })
  readonly currency!: string;
}

export class CategoryDto {
  @ApiProperty({ example: 'premium', pattern: '^[A-Za-z0-9_-]{1,40}$' }) readonly id!: string;
  @ApiProperty({ example: 'Premium', minLength: 1, maxLength: 100 }) readonly name!: string;
  @ApiPropertyOptional({ type: PriceDto, nullable: true, description: 'None (null): no price' })
  readonly price?: PriceDto | null;
}

export class LayoutSeatDto {
  @ApiProperty({ example: '12', minLength: 1, maxLength: 20, description: 'Unique in its row' })
  readonly label!: string;
  @ApiPropertyOptional({ example: 'premium', description: 'Else the row’s, else the section’s, else the only one' })
  readonly categoryId?: string;
  @ApiPropertyOptional({ default: false }) readonly accessible?: boolean;
  @ApiPropertyOptional({ minimum: 0, description: 'Best-available order: lower first (else the row’s or section’s)' })
  readonly rank?: number;
}

export class LayoutRowDto {
  @ApiProperty({ example: 'F', maxLength: 20, description: 'Unique in its section' }) readonly label!: string;
  @ApiPropertyOptional({ type: [LayoutSeatDto], description: 'The seats left to right; or give count' })
  readonly seats?: LayoutSeatDto[];
  @ApiPropertyOptional({ example: 20, minimum: 1, description: 'Shorthand: count seats labelled firstLabel upwards' })
  readonly count?: number;
  @ApiPropertyOptional({
    oneOf: [
      { type: 'integer', minimum: 0 },
      { type: 'string', pattern: '^[0-9]{1,9}$' },
    ],
    example: 1,
    default: 1,
    description:
      'With count: the first seat’s number. A string of digits keeps its width with leading zeros ("007": 007, ' +
      '008, ...; "098": 098, 099, 100)',
  })
  readonly firstLabel?: number | string;
  @ApiPropertyOptional({ default: false, description: 'With count: every seat of the row' })
  readonly accessible?: boolean;
  @ApiPropertyOptional({ example: 'standard' }) readonly categoryId?: string;
  @ApiPropertyOptional({ minimum: 0 }) readonly rank?: number;
}

export class LayoutSectionDto {
  @ApiProperty({ example: 'Stalls', maxLength: 100, description: 'Unique in the event' }) readonly name!: string;
  @ApiProperty({ type: [LayoutRowDto], description: 'Front row first' }) readonly rows!: LayoutRowDto[];
  @ApiPropertyOptional({ example: 'standard' }) readonly categoryId?: string;
  @ApiPropertyOptional({ minimum: 0 }) readonly rank?: number;
}

/**
 * Texts (names and labels) must not start or end with white space (refused, not trimmed), and no property may be
 * null except a category's price (null: no price); leave optional fields out instead.
 */
export class LayoutDto {
  @ApiProperty({ type: [CategoryDto], minItems: 1, maxItems: 100 }) readonly categories!: CategoryDto[];
  @ApiProperty({ type: [LayoutSectionDto], minItems: 1 }) readonly sections!: LayoutSectionDto[];
}

export class CategoryView {
  @ApiProperty({ example: 'premium' }) readonly id!: string;
  @ApiProperty({ example: 'Premium' }) readonly name!: string;
  @ApiProperty({ type: PriceDto, nullable: true, description: 'The current price; null: none' })
  readonly price!: PriceDto | null;
}

export class SeatStatusView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({
    example: 42,
    description:
      'The sequence number of the latest seat change included (read with the states in one step): subscribe from ' +
      'it (SSE ?lastSeq=, WebSocket subscribe lastSeq) and apply seat.updated messages with a higher seq ' +
      '(docs/live-updates.md)',
  })
  readonly seq!: number;
  @ApiProperty({ enum: ['char'], description: 'char: one ASCII character per seat' }) readonly encoding!: 'char';
  @ApiProperty({
    example: 'aaahhrra',
    description:
      'One character per seat in layout order (the order of GET /layout, section by section, row by row, seat by ' +
      'seat; character i is the seat with number i + 1): `a` available, `h` held, `r` reserved, `o` offered (held ' +
      'for someone on the waiting list). Unknown characters should be shown as not available.',
  })
  readonly status!: string;
}

export class LayoutSeatView {
  @ApiProperty({ format: 'uuid' }) readonly id!: string;
  @ApiProperty({ example: '12' }) readonly label!: string;
  @ApiProperty({ example: 'premium' }) readonly categoryId!: string;
  @ApiProperty() readonly accessible!: boolean;
}

export class LayoutRowView {
  @ApiProperty({ example: 'F' }) readonly label!: string;
  @ApiProperty({ type: [LayoutSeatView] }) readonly seats!: LayoutSeatView[];
}

export class LayoutSectionView {
  @ApiProperty({ example: 'Stalls' }) readonly name!: string;
  @ApiProperty({ type: [LayoutRowView] }) readonly rows!: LayoutRowView[];
}

export class LayoutCategoryView {
  @ApiProperty({ example: 'premium' }) readonly id!: string;
  @ApiProperty({ example: 'Premium' }) readonly name!: string;
}

export class LayoutView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ type: [LayoutCategoryView], description: 'Without prices: they may change, the chart does not' })
  readonly categories!: LayoutCategoryView[];
  @ApiProperty({ type: [LayoutSectionView] }) readonly sections!: LayoutSectionView[];
}

export class SetPriceDto {
  @ApiProperty({ type: PriceDto, nullable: true, description: 'The new current price; null: none' })
  @Allow()
  readonly price!: unknown;
}

export class TotalView {
  @ApiProperty({ example: 'EUR' }) readonly currency!: string;
  @ApiProperty({ example: 16000, description: 'Minor units' }) readonly amount!: number;
}

export const RESERVED_PRICE =
  'The seat’s price when it was reserved (a later price change does not alter it); null when its category had no ' +
  'price, or for a seat reserved before prices existed';

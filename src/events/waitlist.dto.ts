import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';

export class JoinWaitlistDto {
  @ApiProperty({ minimum: 1, maximum: 10, example: 2, description: 'How many seats you wait for (offered together)' })
  @IsInt()
  @Min(1)
  @Max(10)
  readonly quantity!: number;

  @ApiPropertyOptional({
    example: 'premium',
    description: 'Wait for seats of this category only; without it, for the best seats of any category',
  })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  readonly categoryId?: string;
}

export class WaitlistPlaceView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ format: 'uuid', description: 'Names the offer this entry leads to (waitlist.offered)' })
  readonly entryId!: string;
  @ApiProperty({ example: 2 }) readonly quantity!: number;
  @ApiProperty({ nullable: true, type: String, example: 'premium', description: 'null: any seat of the event' })
  readonly categoryId!: string | null;
  @ApiProperty({ example: 3, description: 'Your place in the event’s line, 1 for the first' })
  readonly position!: number;
  @ApiProperty({ format: 'date-time' }) readonly joinedAt!: string;
}

export class MyWaitlistView {
  @ApiProperty({ type: [WaitlistPlaceView], description: 'The lines you wait in, in the order you joined them' })
  readonly items!: WaitlistPlaceView[];
}

export class WaitlistLengthView {
  @ApiProperty({ nullable: true, type: String, example: 'premium', description: 'null: entries for any seat' })
  readonly categoryId!: string | null;
  @ApiProperty({ example: 12 }) readonly waiting!: number;
}

export class WaitlistLengthsView {
  @ApiProperty({ format: 'uuid' }) readonly eventId!: string;
  @ApiProperty({ example: 15 }) readonly total!: number;
  @ApiProperty({ type: [WaitlistLengthView] }) readonly categories!: WaitlistLengthView[];
}

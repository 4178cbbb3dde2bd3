import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { canonicalLocale, canonicalTimeZone } from './preferences.js';
import type { EmailCategory, Preferences } from './preferences.js';

const CATEGORY_DOCS: Record<EmailCategory, string> = {
  confirmations:
    'Seat reservations and restaurant reservations: booked, moved, cancelled (your own bookings; a guest booked by ' +
    'staff gets none)',
  appointmentUpdates: 'Your appointments: held for you to confirm (by when), confirmed, lapsed unconfirmed, cancelled',
  reminders: 'Reminders before a booking, an appointment or a restaurant reservation starts',
  waitingList:
    'Seats offered to you from a waiting list, held for you for a limited time (sent once the waiting list ' +
    'appends its offers to the outbox; not yet)',
};

const categoryProperty = (category: EmailCategory) => ({
  description: `${CATEGORY_DOCS[category]}. Default on.`,
  example: true,
});

/** Email categories as answered: every category, on or off. */
export class EmailPreferencesView {
  @ApiProperty(categoryProperty('confirmations')) readonly confirmations!: boolean;
  @ApiProperty(categoryProperty('appointmentUpdates')) readonly appointmentUpdates!: boolean;
  @ApiProperty(categoryProperty('reminders')) readonly reminders!: boolean;
  @ApiProperty(categoryProperty('waitingList')) readonly waitingList!: boolean;
}

export class PreferencesView {
  @ApiProperty({ type: EmailPreferencesView, description: 'Which emails you get, by category' })
  readonly email!: EmailPreferencesView;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'de-DE',
    description: 'BCP 47 language tag dates, times and prices in your emails are written in; null: English (en)',
  })
  readonly locale!: string | null;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Europe/Berlin',
    description:
      'IANA time zone your emails show times in, unless the thing booked has its own (a restaurant shows its ' +
      'local time); null: UTC',
  })
  readonly timeZone!: string | null;

  static of(preferences: Preferences): PreferencesView {
    return { email: { ...preferences.email }, locale: preferences.locale, timeZone: preferences.timeZone };
  }
}

const optionalCategory = (category: EmailCategory) => ({ ...categoryProperty(category), type: Boolean });

/** Left out is fine; `null` is not (IsOptional would let it through): a category is on or off. */
const Omittable = () => ValidateIf((_dto: object, value: unknown) => value !== undefined);

/** Categories to change; the ones left out stay as they are. */
export class EmailPreferencesDto {
  @ApiPropertyOptional(optionalCategory('confirmations'))
  @Omittable()
  @IsBoolean()
  readonly confirmations?: boolean;

  @ApiPropertyOptional(optionalCategory('appointmentUpdates'))
  @Omittable()
  @IsBoolean()
  readonly appointmentUpdates?: boolean;

  @ApiPropertyOptional(optionalCategory('reminders'))
  @Omittable()
  @IsBoolean()
  readonly reminders?: boolean;

  @ApiPropertyOptional(optionalCategory('waitingList'))
  @Omittable()
  @IsBoolean()
  readonly waitingList?: boolean;
}

const IsLocale = () =>
  ValidateBy({
    name: 'isLocale',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && canonicalLocale(value) !== null,
      defaultMessage: () => 'locale must be a BCP 47 language tag the service can format in, such as en-GB or de',
    },
  });

const IsTimeZone = () =>
  ValidateBy({
    name: 'isTimeZone',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && canonicalTimeZone(value) !== null,
      defaultMessage: () => 'timeZone must be an IANA time zone name, such as Europe/Berlin or UTC',
    },
  });

/** A partial change: only the members sent change; `null` clears `locale` or `timeZone`. */
export class UpdatePreferencesDto {
  @ApiPropertyOptional({ type: EmailPreferencesDto, description: 'Categories to turn on (true) or off (false)' })
  @ValidateIf((dto: UpdatePreferencesDto) => dto.email !== undefined)
  @IsObject()
  @ValidateNested()
  @Type(() => EmailPreferencesDto)
  readonly email?: EmailPreferencesDto;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 64,
    example: 'de-DE',
    description: 'BCP 47 language tag (stored in its canonical form: `en-us` becomes `en-US`); null clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsLocale()
  readonly locale?: string | null;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    maxLength: 64,
    example: 'Europe/Berlin',
    description:
      'IANA time zone name of a place (stored as the zone database spells it); fixed offsets (`+01:00`, ' +
      '`Etc/GMT+5`) are refused, they know no daylight-saving time; null clears it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  readonly timeZone?: string | null;
}

import { Injectable } from '@nestjs/common';
import { canonicalLocale, canonicalTimeZone } from './preferences.js';
import type { Preferences } from './preferences.js';
import { PreferencesView } from './preferences.dto.js';
import type { UpdatePreferencesDto } from './preferences.dto.js';
import { PreferencesRepository } from './preferences.repository.js';

/** Reads and changes a user's preferences (email categories, locale, time zone). */
@Injectable()
export class PreferencesService {
  constructor(private readonly preferences: PreferencesRepository) {}

  /** The stored preferences of a user, the defaults filled in; for the mail module too. */
  of(userId: string): Promise<Preferences> {
    return this.preferences.get(userId);
  }

  async get(userId: string): Promise<PreferencesView> {
    return PreferencesView.of(await this.preferences.get(userId));
  }

  /** Applies the members sent (validated by the DTO) in their canonical form; answers the result. */
  async update(userId: string, dto: UpdatePreferencesDto): Promise<PreferencesView> {
    const canonical = <T>(value: string | null | undefined, canon: (v: string) => T) =>
      typeof value === 'string' ? canon(value) : value;
    const updated = await this.preferences.update(userId, {
      email: dto.email && { ...dto.email },
      locale: canonical(dto.locale, canonicalLocale),
      timeZone: canonical(dto.timeZone, canonicalTimeZone),
    });
    return PreferencesView.of(updated);
  }
}

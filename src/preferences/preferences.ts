/**
 * What a user chose about how the service reaches them. Email categories are on unless turned off, so a category
 * added later reaches everyone who has not said otherwise; `locale` and `timeZone` are unset until chosen.
 */
export const EMAIL_CATEGORIES = ['confirmations', 'appointmentUpdates', 'reminders', 'waitingList'] as const;
export type EmailCategory = (typeof EMAIL_CATEGORIES)[number];

export interface Preferences {
  readonly email: Readonly<Record<EmailCategory, boolean>>;
  /** BCP 47, canonical (`en-GB`); null: not chosen. */
  readonly locale: string | null;
  /** IANA zone as the runtime names it (`Europe/Berlin`); null: not chosen. */
  readonly timeZone: string | null;
}

/** A partial change: categories to turn on or off, and a locale or time zone to set (a string) or clear (null). */
export interface PreferencesChange {
  readonly email?: Partial<Record<EmailCategory, boolean>>;
  readonly locale?: string | null;
  readonly timeZone?: string | null;
}

export const DEFAULT_PREFERENCES: Preferences = {
  email: { confirmations: true, appointmentUpdates: true, reminders: true, waitingList: true },
  locale: null,
  timeZone: null,
};

/**
 * The canonical form of a BCP 47 language tag the runtime can format dates and numbers in, or null when it is not
 * one. Canonical so that `en-us` and `en-US` are stored alike; supported so that a tag the runtime would silently
 * replace by its default is refused instead of accepted and ignored.
 */
export function canonicalLocale(tag: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    if (canonical === undefined) return null;
    return Intl.DateTimeFormat.supportedLocalesOf([canonical]).length > 0 ? canonical : null;
  } catch {
    return null;
  }
}

/**
 * The runtime's name of an IANA time zone (`europe/berlin` → `Europe/Berlin`, `UTC`), or null. Fixed offsets are
 * refused, spelled `+01:00` (recent runtimes accept that as a zone) or as the database's `Etc/GMT+5` (whose sign is
 * inverted, UTC-5): they know no daylight-saving time, so a place's times would be an hour off half the year.
 * `Etc/GMT` and `Etc/UTC` are UTC and stay.
 */
export function canonicalTimeZone(zone: string): string | null {
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(zone)) return null;
  try {
    const canonical = new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
    return /^(Etc\/)?GMT[+-]\d/i.test(canonical) ? null : canonical;
  } catch {
    return null;
  }
}

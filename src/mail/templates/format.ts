/**
 * How times and prices read in an email: in the recipient's locale (a preference; English otherwise) and a zone
 * chosen per message (the restaurant's, else the recipient's preference, else UTC), the zone always named, since the
 * reader may be elsewhere when they read it.
 */
export interface Reader {
  readonly locale: string;
  readonly timeZone: string;
}

/** "Saturday, 5 December 2026 at 19:30 (Europe/Berlin)" in the reader's language. */
export function dateTime(reader: Reader, epochMs: number): string {
  const text = new Intl.DateTimeFormat(reader.locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: reader.timeZone,
  }).format(epochMs);
  return `${text} (${reader.timeZone})`;
}

/** "19:30" (the zone named by the date next to it). */
export function time(reader: Reader, epochMs: number): string {
  return new Intl.DateTimeFormat(reader.locale, { timeStyle: 'short', timeZone: reader.timeZone }).format(epochMs);
}

export interface Money {
  /** In the currency's minor units (cents). */
  readonly amount: number;
  readonly currency: string;
}

/** "€12.50" / "12,50 €": minor units converted with the currency's own number of decimals. */
export function money(reader: Reader, { amount, currency }: Money): string {
  try {
    const format = new Intl.NumberFormat(reader.locale, { style: 'currency', currency });
    const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
    return format.format(amount / 10 ** digits);
  } catch {
    return `${amount} ${currency} (minor units)`;
  }
}

export const isMoney = (value: unknown): value is Money =>
  typeof value === 'object' &&
  value !== null &&
  Number.isSafeInteger((value as Money).amount) &&
  typeof (value as Money).currency === 'string' &&
  /^[A-Z]{3}$/.test((value as Money).currency);

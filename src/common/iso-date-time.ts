import { ValidateBy, buildMessage } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

/** RFC 3339 date-time with a mandatory offset or Z: "2026-05-01T18:00:00+02:00". A local time is ambiguous. */
const ISO_WITH_OFFSET = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-](\d{2}):(\d{2}))$/;

/** A real calendar date and time: Date.parse alone accepts 2030-02-30 and rolls it over to March. */
export function isIsoDateTimeWithOffset(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = ISO_WITH_OFFSET.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second = '0', offsetHours = '0', offsetMinutes = '0'] = m
    .slice(1)
    .map((x) => x ?? undefined);
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    Number(second) <= 59 &&
    Number(offsetHours) <= 14 &&
    Number(offsetMinutes) <= 59
  );
}

export function IsIsoDateTimeWithOffset(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isIsoDateTimeWithOffset',
      validator: {
        validate: (value) => isIsoDateTimeWithOffset(value),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be an ISO 8601 date-time with an offset or Z, e.g. 2026-05-01T18:00:00Z`,
          options,
        ),
      },
    },
    options,
  );
}

/** The ISO text of two recent seconds up to and including the '.', e.g. '2026-05-01T18:00:00.'. */
const secondsCache: { second: number; prefix: string }[] = [
  { second: NaN, prefix: '' },
  { second: NaN, prefix: '' },
];
let nextSlot = 0;

/**
 * Formats epoch milliseconds the way every response does: ISO 8601 in UTC. A hot path formats a few instants per
 * request (now, an expiry) and most fall in a second formatted just before, so the date and time up to the second
 * are cached for the last two seconds seen (now and now + hold time alternate) and only the milliseconds appended.
 */
export function toIso(epochMs: number): string {
  if (!Number.isInteger(epochMs)) return new Date(epochMs).toISOString();
  const second = Math.floor(epochMs / 1000);
  const ms = epochMs - second * 1000;
  const fraction = ms < 10 ? `00${ms}` : ms < 100 ? `0${ms}` : `${ms}`;
  for (const cached of secondsCache) if (cached.second === second) return `${cached.prefix}${fraction}Z`;
  const iso = new Date(epochMs).toISOString();
  secondsCache[nextSlot] = { second, prefix: iso.slice(0, -4) };
  nextSlot ^= 1;
  return iso;
}

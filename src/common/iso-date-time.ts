import { ValidateBy, buildMessage } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

/** RFC 3339 date-time with a mandatory offset or Z: "2026-05-01T18:00:00+02:00". A local time is ambiguous. */
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDateTimeWithOffset(value: unknown): value is string {
  return typeof value === 'string' && ISO_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value));
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

/** Formats epoch milliseconds the way every response does: ISO 8601 in UTC. */
export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

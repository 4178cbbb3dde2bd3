import { ValidateBy } from 'class-validator';

/** What may separate the digits of a phone number as people write it: spaces, hyphens, dots, parentheses. */
const SEPARATORS = /[\s\-.()]/g;
/** E.164: at most 15 digits; fewer than 6 is no reachable number anywhere. */
const PHONE = /^\+?\d{6,15}$/;
/** The longest phone number accepted as typed, separators included. */
const MAX_TYPED = 32;

/**
 * The one stored form of a guest's phone number: digits with an optional leading `+`, separators removed
 * ("+44 20 7946-0958" is "+442079460958"). Not checked against a numbering plan (no dependency for that, and a
 * restaurant calls the number back by hand): only that it can be one.
 */
export const normalizeGuestPhone = (value: string): string => value.trim().replace(SEPARATORS, '');

/**
 * The transform of the request field: normalized, unless it is longer than any number typed with separators (then
 * left as sent, so that the validator refuses it rather than a shortened form).
 */
export const guestPhone = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.length <= MAX_TYPED ? normalizeGuestPhone(value) : value;

/** A phone number as normalizeGuestPhone stores it: optional `+`, then 6 to 15 digits; at most 32 characters typed. */
export const IsGuestPhone = (): PropertyDecorator =>
  ValidateBy({
    name: 'isGuestPhone',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && value.length <= MAX_TYPED && PHONE.test(normalizeGuestPhone(value)),
      defaultMessage: () =>
        'guestPhone must be a phone number: an optional +, then 6 to 15 digits (spaces, hyphens, dots and ' +
        'parentheses between them are allowed)',
    },
  });

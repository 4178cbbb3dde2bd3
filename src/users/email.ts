import { ValidateBy, isEmail } from 'class-validator';
import type { ValidationArguments } from 'class-validator';
import { isVisibleText, trimWhiteSpace } from '../common/validation.js';

/** RFC 5321's limit on a forward path, applied to the normalized form (NFKC may lengthen a string). */
export const EMAIL_MAX_LENGTH = 254;

/**
 * The one form an email has in this service, for storing and for every lookup: surrounding white space removed,
 * Unicode NFKC (so a precomposed "é" and "e" + combining acute are one letter, and fullwidth "ａ" is "a"), then
 * lower-cased with `String.prototype.toLowerCase`, then NFKC again (lower-casing can leave a string that is not in
 * NFKC; the second pass makes the rule idempotent: normalizing a normalized email changes nothing).
 *
 * `toLowerCase` is Unicode's default, locale-independent lower-case mapping; `toLocaleLowerCase` would depend on the
 * server's locale (Turkish maps "I" to dotless "ı"), so two servers could disagree about one account. It is an
 * approximation of case folding: it does not map "ß" to "ss" or final "ς" to "σ", so those stay distinct addresses,
 * as they are for the mail servers that accept them.
 */
export function normalizeEmail(email: string): string {
  return trimWhiteSpace(email).normalize('NFKC').toLowerCase().normalize('NFKC');
}

/** A valid address once normalized, of at most 254 characters then, with no invisible or reordering characters. */
export const IsAccountEmail = (): PropertyDecorator =>
  ValidateBy({
    name: 'isAccountEmail',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string' || !isVisibleText(value)) return false;
        const normalized = normalizeEmail(value);
        return normalized.length <= EMAIL_MAX_LENGTH && isEmail(normalized);
      },
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'email'} must be an email address of at most ${EMAIL_MAX_LENGTH} characters, without zero-width or ` +
        'bidirectional-override characters',
    },
  });

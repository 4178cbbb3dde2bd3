import { ValidationPipe } from '@nestjs/common';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import type { ValidationArguments, ValidationError } from 'class-validator';
import { ValidationFailedError } from './domain-error.js';
import type { FieldError } from './domain-error.js';

function flatten(errors: readonly ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * class-validator behind a pipe that answers VALIDATION_FAILED with every bad field, refuses unknown properties and
 * converts no types implicitly (the string "10" is not the number 10).
 */
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      transformOptions: { enableImplicitConversion: false },
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new ValidationFailedError(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const validated = metadata.metatype !== undefined && this.toValidate(metadata);
    if (metadata.type === 'body' && validated) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw ValidationFailedError.field('body', 'must be a JSON object');
      }
      const raw = rawJsonProperties(metadata.metatype!).filter((key) => Object.hasOwn(value, key));
      if (raw.length > 0) {
        // Set aside, validated by the service's own parser: class-transformer copies every nested object, which for a
        // 20,000-seat layout cost more than 50 ms (docs/performance.md, "Venue layouts").
        const rest: Record<string, unknown> = { ...value };
        const kept = Object.fromEntries(raw.map((key) => [key, rest[key]]));
        for (const key of raw) delete rest[key];
        return Object.assign((await this.transform(rest, metadata)) as object, kept);
      }
    }
    if ((metadata.type === 'body' || metadata.type === 'query') && validated && typeof value === 'object' && value) {
      const inherited = inheritedNames(value);
      if (inherited.length > 0) {
        throw new ValidationFailedError(
          inherited.map((field) => ({ field, message: `${lastSegment(field)} should not exist` })),
        );
      }
    }
    return super.transform(value, metadata);
  }
}

/**
 * Paths of the body's keys that name a member of Object.prototype (`toString`, `valueOf`, `hasOwnProperty`,
 * `constructor`...). No DTO has such a field, yet the whitelist never sees them: class-transformer skips every key
 * whose value on the new instance is a function (so `toString` is dropped before validation), and class-validator
 * looks the remaining keys up in a plain object, where `constructor` and `hasOwnProperty` are found on the prototype.
 * So they are refused here, like any other unknown property, at every depth, in bodies and query strings alike.
 * Iterative: a body nested thousands of levels deep must not overflow the stack.
 */
function inheritedNames(body: object): string[] {
  const found: string[] = [];
  const pending: [unknown, string][] = [[body, '']];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (value === null || typeof value !== 'object') continue;
    for (const [key, child] of Object.entries(value)) {
      const field = path ? `${path}.${key}` : key;
      if (!Array.isArray(value) && key in Object.prototype) found.push(field);
      pending.push([child, field]);
    }
  }
  return found.sort();
}

const RAW_JSON = Symbol('rawJsonProperties');

/**
 * A body property the validation pipe passes through as parsed JSON, untouched by class-transformer and
 * class-validator: for large nested input that a hand-written parser validates (say which in the property's docs).
 * Its unknown or inherited keys are that parser's to refuse.
 */
export const RawJson = (): PropertyDecorator => (target, key) => {
  const owner = target.constructor;
  Reflect.defineMetadata(RAW_JSON, [...rawJsonProperties(owner), key], owner);
};

const rawJsonProperties = (metatype: object): string[] => (Reflect.getMetadata(RAW_JSON, metatype) as string[]) ?? [];

const lastSegment = (field: string) => field.slice(field.lastIndexOf('.') + 1);

const SURROUNDING_WHITE_SPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;

/**
 * Removes surrounding white space. Unlike `String.prototype.trim`, which also strips U+FEFF, only Unicode
 * White_Space: a byte order mark is refused by DisplayText wherever it stands, not quietly dropped at the edges.
 */
export const trimWhiteSpace = (value: string): string => value.replace(SURROUNDING_WHITE_SPACE, '');

/** Surrounding white space is not part of a name or title. */
export const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? trimWhiteSpace(value) : value;

/**
 * Characters no name, title or note needs and that make text lie about itself: bidirectional overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069: "Trojan Source" reordering), zero-width and invisible characters (U+200B–U+200D,
 * U+2060, U+FEFF: two names that look the same but differ) and lone UTF-16 surrogates (not text at all; they turn
 * into U+FFFD on the way to Redis, so two different ones would be stored as the same).
 */
const INVISIBLE = /[\p{Cs}\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/u;
/** The same, less the zero-width non-joiner and joiner (U+200C, U+200D), which DisplayText judges by their place. */
const INVISIBLE_BUT_JOINERS = /[\p{Cs}\u200B\u2060\uFEFF\u202A-\u202E\u2066-\u2069]/u;
/**
 * What a zero-width (non-)joiner may stand between: letters, combining marks (an Indic virama, the variation selector
 * U+FE0F) and emoji (with their skin-tone modifiers). Persian writes "می‌خواهم" with U+200C between two letters,
 * Indic scripts use both after a virama, and emoji sequences (👩‍💻, 🏳️‍🌈) are joined with U+200D.
 */
const JOINABLE = String.raw`[\p{L}\p{M}\p{Extended_Pictographic}\p{Emoji_Modifier}]`;
/** A joiner without a joinable character on both sides: at the start or end, next to a space, another joiner... */
const STRAY_JOINER = new RegExp(String.raw`(?<!${JOINABLE})[\u200C\u200D]|[\u200C\u200D](?!${JOINABLE})`, 'u');
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINE_BREAKS = /(?![\t\n\r])\p{Cc}/u;

/** True when the text has none of the invisible, reordering or broken characters above (emails: not even joiners). */
export const isVisibleText = (value: string): boolean => !INVISIBLE.test(value);

/** Like isVisibleText, but a zero-width (non-)joiner between two letters, marks or emoji is part of the text. */
export const isDisplayableText = (value: string): boolean =>
  !INVISIBLE_BUT_JOINERS.test(value) && !STRAY_JOINER.test(value);

/**
 * The one rule for free text a client sends (names, titles, locations, notes): they end up in other people's screens
 * and in logs, so no control characters (line breaks and tabs only where `multiline`), no bidirectional overrides or
 * isolates, no zero-width characters (a joiner or non-joiner only between two letters, marks or emoji) and no lone
 * surrogates. Such text is refused (400), not silently altered.
 */
export const DisplayText = ({ multiline = false }: { multiline?: boolean } = {}): PropertyDecorator => {
  const control = multiline ? CONTROL_BUT_LINE_BREAKS : CONTROL;
  return ValidateBy({
    name: 'displayText',
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || (!control.test(value) && isDisplayableText(value)),
      defaultMessage: (args?: ValidationArguments) =>
        `${args?.property ?? 'text'} must not contain control${multiline ? ' (other than line breaks and tabs)' : ''}, zero-width ` +
        'or bidirectional-override characters, or lone surrogates',
    },
  });
};

/** Ids are stored lower-case; a client sending them in capitals means the same object. */
export const lowerCased = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value.toLowerCase()
    : Array.isArray(value)
      ? value.map((v) => (typeof v === 'string' ? v.toLowerCase() : v))
      : value;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** Path ids are UUIDs; anything else is a 400 naming the parameter, never a lookup. */
export class UuidPipe implements PipeTransform<string, string> {
  transform(value: string, metadata: ArgumentMetadata): string {
    if (!isUuid(value)) throw ValidationFailedError.field(metadata.data ?? 'id', 'must be a UUID');
    return value.toLowerCase();
  }
}

import { ValidationPipe } from '@nestjs/common';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';
import { Matches } from 'class-validator';
import type { ValidationError } from 'class-validator';
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
    if (metadata.type === 'body' && metadata.metatype && this.toValidate(metadata)) {
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw ValidationFailedError.field('body', 'must be a JSON object');
      }
    }
    return super.transform(value, metadata);
  }
}

/** Surrounding white space is not part of a name or title. */
export const trimmed = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Names and titles end up in other people's screens and in logs: no control characters. */
export const NoControlCharacters = (): PropertyDecorator =>
  Matches(/^[^\p{Cc}]*$/u, { message: '$property must not contain control characters' });

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

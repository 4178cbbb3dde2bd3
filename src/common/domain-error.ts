import { ERRORS, ErrorCode } from './error-codes.js';

export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/**
 * An error the rules of the service raise on purpose. Services throw these and never HTTP exceptions; one filter
 * turns the code into a status and a problem+json body. `extensions` become extra members of that body.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly detail: string,
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(withoutStackIfRefusal(code, detail));
    Error.stackTraceLimit = savedStackTraceLimit;
    this.name = 'DomainError';
  }
}

let savedStackTraceLimit = Error.stackTraceLimit;

/**
 * A refusal the client caused (4xx) is an answer, not a fault: no one reads its stack, and capturing one cost about
 * 1 µs of every hold or release under load, where a tenth answer 404 or 409 (docs/performance.md). 5xx keep theirs:
 * they are logged. Called in the super() argument, so the limit is 0 while Error captures; restored right after.
 */
function withoutStackIfRefusal(code: ErrorCode, detail: string): string {
  savedStackTraceLimit = Error.stackTraceLimit;
  if (ERRORS[code].status < 500) Error.stackTraceLimit = 0;
  return detail;
}

export class ValidationFailedError extends DomainError {
  constructor(readonly errors: readonly FieldError[]) {
    super(ErrorCode.ValidationFailed, errors.map((e) => `${e.field}: ${e.message}`).join('; '), { errors });
  }

  static field(field: string, message: string): ValidationFailedError {
    return new ValidationFailedError([{ field, message }]);
  }
}

export class NotFoundError extends DomainError {
  constructor(what: string) {
    super(ErrorCode.NotFound, `${what} was not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'Your role does not allow this') {
    super(ErrorCode.Forbidden, detail);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(detail = 'A valid access token is required') {
    super(ErrorCode.Unauthorized, detail);
  }
}

import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

export class IdempotencyKeyReusedError extends DomainError {
  constructor() {
    super(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for a different request');
  }
}

/** The first request with the key still runs, or its outcome is unknown after a 5xx. */
export class IdempotencyKeyInFlightError extends DomainError {
  constructor() {
    super(ErrorCode.IdempotencyKeyInFlight, 'A request with this Idempotency-Key is still running');
  }
}

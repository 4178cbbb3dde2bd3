import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

/** If-Match names another version than the stored one; `currentVersion` says which it is. */
export class PreconditionFailedError extends DomainError {
  constructor(currentVersion: number) {
    super(
      ErrorCode.PreconditionFailed,
      `The booking was changed meanwhile; it is now at version ${currentVersion}. Read it again and reapply your change.`,
      { currentVersion },
    );
  }
}

export class PreconditionRequiredError extends DomainError {
  constructor() {
    super(ErrorCode.PreconditionRequired, 'Send If-Match with the ETag of the booking you read');
  }
}

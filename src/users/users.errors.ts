import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

export class LastAdminError extends DomainError {
  constructor() {
    super(
      ErrorCode.LastAdmin,
      'This is the last admin account: grant another account the admin role before changing this one',
    );
  }
}

import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

/** The same answer whether the email is unknown or the password wrong. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super(ErrorCode.InvalidCredentials, 'Email or password is wrong');
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor(detail = 'The refresh token is unknown, expired or revoked') {
    super(ErrorCode.InvalidRefreshToken, detail);
  }
}

export class EmailTakenError extends DomainError {
  constructor() {
    super(ErrorCode.EmailTaken, 'An account with this email already exists');
  }
}

/** Over a rate limit: `what` were too many (sign-in attempts, requests); `retryAfterSeconds` becomes Retry-After. */
export class RateLimitedError extends DomainError {
  constructor(what: 'attempts' | 'requests', retryAfterSeconds: number) {
    super(ErrorCode.RateLimited, `Too many ${what}; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
  }
}

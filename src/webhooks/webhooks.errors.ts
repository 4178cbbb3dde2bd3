import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

/** The URL points at the service's own network, is not https, or does not resolve (SSRF); `detail` says which. */
export class WebhookUrlRefusedError extends DomainError {
  constructor(reason: string) {
    super(ErrorCode.WebhookUrlRefused, `The webhook URL ${reason}`, { field: 'url' });
  }
}

export class WebhookLimitReachedError extends DomainError {
  constructor(max: number) {
    super(ErrorCode.WebhookLimitReached, `You have ${max} webhook endpoints, as many as allowed; delete one first`);
  }
}

export class WebhookStillRetryingError extends DomainError {
  constructor() {
    super(
      ErrorCode.WebhookStillRetrying,
      'The delivery is still being retried; redeliver once it has succeeded or failed',
    );
  }
}

export class WebhookDisabledError extends DomainError {
  constructor() {
    super(ErrorCode.WebhookDisabled, 'The endpoint is disabled; enable it (PATCH enabled: true) before redelivering');
  }
}

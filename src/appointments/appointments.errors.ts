import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

export class SlotReservedError extends DomainError {
  constructor() {
    super(ErrorCode.SlotReserved, 'The slot has a pending or confirmed reservation; cancel it first');
  }
}

export class LeadTimeTooShortError extends DomainError {
  constructor(leadHours: number) {
    super(ErrorCode.LeadTimeTooShort, `Slots must be reserved at least ${leadHours} hours before they start`);
  }
}

export class SlotUnavailableError extends DomainError {
  constructor() {
    super(ErrorCode.SlotUnavailable, 'Another client has reserved this slot');
  }
}

export class PendingLimitReachedError extends DomainError {
  constructor(maxPending: number) {
    super(
      ErrorCode.PendingLimitReached,
      `You may hold at most ${maxPending} unconfirmed reservations with one provider`,
    );
  }
}

export class ReservationExpiredError extends DomainError {
  constructor() {
    super(ErrorCode.ReservationExpired, 'The reservation expired before it was confirmed; reserve again');
  }
}

export class AppointmentCancelledError extends DomainError {
  constructor() {
    super(ErrorCode.AppointmentCancelled, 'The appointment was cancelled');
  }
}

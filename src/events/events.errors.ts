import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

export class SeatUnavailableError extends DomainError {
  constructor(seatIds: readonly string[], detail?: string) {
    super(
      ErrorCode.SeatUnavailable,
      detail ??
        (seatIds.length === 1
          ? 'The seat is held by someone else or already reserved'
          : `${seatIds.length} of the seats are held by someone else or already reserved; none was held`),
      { seatIds },
    );
  }
}

export class HoldRequiredError extends DomainError {
  constructor(seatIds: readonly string[]) {
    super(
      ErrorCode.HoldRequired,
      'You can reserve only seats you hold right now (never held, expired, or held by someone else); none was reserved',
      { seatIds },
    );
  }
}

export class HoldLimitReachedError extends DomainError {
  constructor(maxHolds: number) {
    super(ErrorCode.HoldLimitReached, `You may hold at most ${maxHolds} seats of one event at a time`, { maxHolds });
  }
}

export class HoldRenewalLimitError extends DomainError {
  constructor(
    readonly seatIds: readonly string[],
    maxRenewals: number,
  ) {
    super(
      ErrorCode.HoldRenewalLimit,
      `You may renew a hold on one seat at most ${maxRenewals} times in a row; the hold runs out as usual, and the ` +
        'seat can be held by you again one hold time after that',
      { seatIds, maxRenewals },
    );
  }
}

export class EventStartedError extends DomainError {
  constructor() {
    super(ErrorCode.EventStarted, 'The event has started: its seats can no longer be held or reserved');
  }
}

export class EventStartsInPastError extends DomainError {
  constructor() {
    super(ErrorCode.EventStartsInPast, 'startsAt must be in the future', { field: 'startsAt' });
  }
}

export class NotEnoughSeatsError extends DomainError {
  constructor(quantity: number, available: number, kind: string) {
    super(ErrorCode.NotEnoughSeats, `No ${quantity} ${kind}seats are free (${available} free); none was held`, {
      available,
    });
  }
}

export class SeatsStillAvailableError extends DomainError {
  constructor(available: number) {
    super(ErrorCode.SeatsStillAvailable, `${available} seats are free: hold them instead of waiting`, { available });
  }
}

export class AlreadyInWaitlistError extends DomainError {
  constructor(position: number) {
    super(ErrorCode.AlreadyInWaitlist, 'You are in this waiting line already', { position });
  }
}

import { DomainError } from '../common/domain-error.js';
import { ErrorCode } from '../common/error-codes.js';

export class TableHasReservationsError extends DomainError {
  constructor() {
    super(ErrorCode.TableHasReservations, 'The table has current or future reservations; move or cancel them first');
  }
}

export class NotATimeslotError extends DomainError {
  constructor(field: string) {
    super(ErrorCode.NotATimeslot, 'This is not one of the day’s timeslots; list them with GET .../timeslots', {
      field,
    });
  }
}

/** The named table, or every table of the restaurant, seats fewer than the party; `detail` says which. */
export class PartyTooLargeError extends DomainError {
  constructor(detail: string) {
    super(ErrorCode.PartyTooLarge, detail, { field: 'partySize' });
  }
}

export class TableUnavailableError extends DomainError {
  constructor() {
    super(ErrorCode.TableUnavailable, 'The table is taken for (part of) this sitting');
  }
}

export class NoTableAvailableError extends DomainError {
  constructor() {
    super(ErrorCode.NoTableAvailable, 'No table that seats the party is free for this sitting');
  }
}

export class ReservationLimitReachedError extends DomainError {
  constructor(maxPerDay: number) {
    super(
      ErrorCode.ReservationLimitReached,
      `You may have at most ${maxPerDay} live reservations at this restaurant on one day`,
      { maxPerDay },
    );
  }
}

export class ReservationCancelledError extends DomainError {
  constructor() {
    super(ErrorCode.ReservationCancelled, 'A cancelled reservation cannot be moved');
  }
}

/** Other moves of the reservation kept landing between our read and our write. */
export class ReservationKeptChangingError extends DomainError {
  constructor() {
    super(ErrorCode.Conflict, 'The reservation kept changing; try again');
  }
}

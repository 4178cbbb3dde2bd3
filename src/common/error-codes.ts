/**
 * Every machine-readable error code the API can answer with, over HTTP (problem+json) or in a WebSocket `error`
 * message, and its HTTP status and title. The Record type makes the compiler refuse a code that has no status.
 * docs/errors.md documents each one.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  MalformedRequest = 'MALFORMED_REQUEST',
  Unauthorized = 'UNAUTHORIZED',
  InvalidCredentials = 'INVALID_CREDENTIALS',
  InvalidRefreshToken = 'INVALID_REFRESH_TOKEN',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  EmailTaken = 'EMAIL_TAKEN',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UriTooLong = 'URI_TOO_LONG',
  HeadersTooLarge = 'HEADERS_TOO_LARGE',
  RequestTimeout = 'REQUEST_TIMEOUT',
  ExpectationFailed = 'EXPECTATION_FAILED',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  TooManyConnections = 'TOO_MANY_CONNECTIONS',
  InternalError = 'INTERNAL_ERROR',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  PreconditionFailed = 'PRECONDITION_FAILED',
  PreconditionRequired = 'PRECONDITION_REQUIRED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  IdempotencyKeyInFlight = 'IDEMPOTENCY_KEY_IN_FLIGHT',
  // users
  LastAdmin = 'LAST_ADMIN',
  // events and seats
  SeatUnavailable = 'SEAT_UNAVAILABLE',
  HoldRequired = 'HOLD_REQUIRED',
  HoldLimitReached = 'HOLD_LIMIT_REACHED',
  HoldRenewalLimit = 'HOLD_RENEWAL_LIMIT',
  EventStarted = 'EVENT_STARTED',
  EventStartsInPast = 'EVENT_STARTS_IN_PAST',
  // appointments
  LeadTimeTooShort = 'LEAD_TIME_TOO_SHORT',
  SlotUnavailable = 'SLOT_UNAVAILABLE',
  SlotReserved = 'SLOT_RESERVED',
  ReservationExpired = 'RESERVATION_EXPIRED',
  AppointmentCancelled = 'APPOINTMENT_CANCELLED',
  PendingLimitReached = 'PENDING_LIMIT_REACHED',
  // restaurants
  NotATimeslot = 'NOT_A_TIMESLOT',
  NoTableAvailable = 'NO_TABLE_AVAILABLE',
  TableUnavailable = 'TABLE_UNAVAILABLE',
  PartyTooLarge = 'PARTY_TOO_LARGE',
  TableHasReservations = 'TABLE_HAS_RESERVATIONS',
  ReservationCancelled = 'RESERVATION_CANCELLED',
  ReservationLimitReached = 'RESERVATION_LIMIT_REACHED',
  // the WebSocket's own (docs/live-updates.md); its `error` messages also use NOT_FOUND and SERVICE_UNAVAILABLE
  BadMessage = 'BAD_MESSAGE',
  AlreadySubscribed = 'ALREADY_SUBSCRIBED',
  TooManySubscriptions = 'TOO_MANY_SUBSCRIPTIONS',
}

/** The codes only a WebSocket `error` message carries: never the `code` of a problem+json answer. */
export const SOCKET_ONLY_CODES: ReadonlySet<ErrorCode> = new Set([
  ErrorCode.BadMessage,
  ErrorCode.AlreadySubscribed,
  ErrorCode.TooManySubscriptions,
]);

/** The codes of a WebSocket `error` message. */
export type SocketErrorCode =
  | ErrorCode.BadMessage
  | ErrorCode.AlreadySubscribed
  | ErrorCode.TooManySubscriptions
  | ErrorCode.NotFound
  | ErrorCode.ServiceUnavailable;

/** The codes a problem+json answer can carry (the OpenAPI document lists these). */
export const PROBLEM_CODES: readonly ErrorCode[] = Object.values(ErrorCode).filter((c) => !SOCKET_ONLY_CODES.has(c));

export interface ErrorDescriptor {
  /** The HTTP status of the answer; for a code only a WebSocket message carries, the status it would have. */
  readonly status: number;
  readonly title: string;
}

export const ERRORS: Record<ErrorCode, ErrorDescriptor> = {
  [ErrorCode.ValidationFailed]: { status: 400, title: 'The request is not valid' },
  [ErrorCode.MalformedRequest]: { status: 400, title: 'The request could not be read' },
  [ErrorCode.Unauthorized]: { status: 401, title: 'Authentication is required' },
  [ErrorCode.InvalidCredentials]: { status: 401, title: 'Email or password is wrong' },
  [ErrorCode.InvalidRefreshToken]: { status: 401, title: 'The refresh token is not valid' },
  [ErrorCode.Forbidden]: { status: 403, title: 'Not allowed' },
  [ErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ErrorCode.MethodNotAllowed]: { status: 405, title: 'Method not allowed' },
  [ErrorCode.EmailTaken]: { status: 409, title: 'The email is already registered' },
  [ErrorCode.Conflict]: { status: 409, title: 'Conflict' },
  [ErrorCode.PayloadTooLarge]: { status: 413, title: 'The request body is too large' },
  [ErrorCode.UriTooLong]: { status: 414, title: 'A path segment is too long' },
  [ErrorCode.HeadersTooLarge]: { status: 431, title: 'The request headers are too large' },
  [ErrorCode.RequestTimeout]: { status: 408, title: 'The request took too long to arrive' },
  [ErrorCode.ExpectationFailed]: { status: 417, title: 'The expectation cannot be met' },
  [ErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [ErrorCode.RateLimited]: { status: 429, title: 'Too many requests' },
  [ErrorCode.TooManyConnections]: { status: 429, title: 'Too many open live connections' },
  [ErrorCode.InternalError]: { status: 500, title: 'Internal error' },
  [ErrorCode.ServiceUnavailable]: { status: 503, title: 'The service is temporarily unavailable' },
  [ErrorCode.PreconditionFailed]: { status: 412, title: 'The resource has changed since you read it' },
  [ErrorCode.PreconditionRequired]: { status: 428, title: 'Send If-Match with the ETag you read' },
  [ErrorCode.IdempotencyKeyReused]: { status: 422, title: 'The idempotency key was used for another request' },
  [ErrorCode.IdempotencyKeyInFlight]: { status: 409, title: 'A request with this idempotency key is still running' },
  [ErrorCode.LastAdmin]: { status: 409, title: 'The service must keep at least one admin' },
  [ErrorCode.SeatUnavailable]: { status: 409, title: 'The seat is not available' },
  [ErrorCode.HoldRequired]: { status: 409, title: 'You must hold the seat to reserve it' },
  [ErrorCode.HoldLimitReached]: { status: 409, title: 'You hold as many seats as allowed' },
  [ErrorCode.HoldRenewalLimit]: { status: 409, title: 'You renewed this hold as often as allowed' },
  [ErrorCode.EventStarted]: { status: 409, title: 'The event has started' },
  [ErrorCode.EventStartsInPast]: { status: 422, title: 'The event would start in the past' },
  [ErrorCode.LeadTimeTooShort]: { status: 422, title: 'Too late to reserve this slot' },
  [ErrorCode.SlotUnavailable]: { status: 409, title: 'The slot is already reserved' },
  [ErrorCode.SlotReserved]: { status: 409, title: 'The slot has a live reservation' },
  [ErrorCode.ReservationExpired]: { status: 409, title: 'The reservation has expired' },
  [ErrorCode.AppointmentCancelled]: { status: 409, title: 'The appointment was cancelled' },
  [ErrorCode.PendingLimitReached]: { status: 409, title: 'You have as many pending reservations as allowed' },
  [ErrorCode.NotATimeslot]: { status: 422, title: 'Not a bookable time' },
  [ErrorCode.NoTableAvailable]: { status: 409, title: 'No table is free for this party at this time' },
  [ErrorCode.TableUnavailable]: { status: 409, title: 'The table is taken at this time' },
  [ErrorCode.PartyTooLarge]: { status: 422, title: 'The party does not fit' },
  [ErrorCode.TableHasReservations]: { status: 409, title: 'The table has current or future reservations' },
  [ErrorCode.ReservationCancelled]: { status: 409, title: 'The reservation was cancelled' },
  [ErrorCode.ReservationLimitReached]: { status: 409, title: 'You have as many reservations that day as allowed' },
  [ErrorCode.BadMessage]: { status: 400, title: 'The socket message could not be read' },
  [ErrorCode.AlreadySubscribed]: { status: 409, title: 'Already subscribed to this event' },
  [ErrorCode.TooManySubscriptions]: { status: 429, title: 'The socket follows as many events as allowed' },
};

/** The problem `type` URI of a code: a stable identifier, documented in docs/errors.md. */
export function problemType(code: ErrorCode): string {
  return `urn:booking-service:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

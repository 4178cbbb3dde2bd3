export { createBookingClient } from './client.js';
export type { BookingClient, BookingClientOptions, Schemas, Session } from './client.js';
export { ProblemError, ok } from './problem.js';
export type { ProblemCode } from './problem.js';
export { MemoryTokenStore, WebStorageTokenStore } from './tokens.js';
export type { TokenStore, Tokens } from './tokens.js';
export { LiveSocket, followSeatStream } from './live.js';
export type { LiveMessage, LiveSocketOptions, SeatStatus, SeatStreamHandlers, SeatUpdated, UserEvent } from './live.js';
export type { components, operations, paths } from './schema.js';

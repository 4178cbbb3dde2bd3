/** Something that happened to one user's things (bookings, holds, appointments, reservations, reminders). */
export interface UserEvent {
  readonly type: string;
  readonly at: string;
  readonly [field: string]: unknown;
}

export type Unsubscribe = () => void;

/**
 * The one encoding of a user event on the user's channel. toUser publishes it; a Lua script that makes the change
 * publishes it itself (given the encoded text), so the change and its announcement take one round trip.
 */
export function encodeUserEvent(type: string, at: string, data: Record<string, unknown>): string {
  return JSON.stringify({ type, at, ...data });
}

/**
 * The user channel: what happens to one user's things, published by any instance (and by the Lua scripts
 * themselves), reaches that user's listeners in every instance. An event's seat changes are events' (SeatChanges).
 */
export abstract class LiveEvents {
  /** Tells one user something, wherever their sockets are connected; rejects when it could not be published. */
  abstract publish(userId: string, type: string, data: Record<string, unknown>): Promise<void>;

  /** publish, best effort: a failure is logged and never fails the caller (the reminder worker's messages). */
  abstract toUser(userId: string, type: string, data: Record<string, unknown>): Promise<void>;

  abstract onUserEvent(userId: string, listener: (event: UserEvent) => void): Unsubscribe;

  /**
   * Settles once what is published from now on reaches the listeners registered so far (the first listener of an
   * instance opens its subscription, which takes a round trip, longer on Redis Cluster). Never rejects.
   */
  abstract listening(): Promise<void>;
}

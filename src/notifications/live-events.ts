/** A change of one seat, as every seat-map listener receives it. `seq` grows by one per change of the event. */
export interface SeatUpdate {
  readonly eventId: string;
  readonly seatId: string;
  readonly status: 'available' | 'held' | 'reserved';
  readonly at: string;
  readonly seq: number;
}

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
 * Live fan-out across instances: changes published by any instance (and by the Lua scripts themselves) reach the
 * listeners registered in every instance.
 */
export abstract class LiveEvents {
  /** Tells one user something, wherever their sockets are connected. Best effort: never fails the caller. */
  abstract toUser(userId: string, type: string, data: Record<string, unknown>): Promise<void>;

  abstract onSeatUpdate(eventId: string, listener: (update: SeatUpdate) => void): Unsubscribe;

  abstract onUserEvent(userId: string, listener: (event: UserEvent) => void): Unsubscribe;

  /**
   * Settles once what is published from now on reaches the listeners registered so far (the first listener of an
   * instance opens its subscription, which takes a round trip, longer on Redis Cluster). Never rejects.
   */
  abstract listening(): Promise<void>;

  /** The sequence number of the event's latest seat change (0 before any). */
  abstract currentSeq(eventId: string): Promise<number>;

  /**
   * The seat changes after `seq`, or 'resync' when they cannot be given: some are no longer kept, or `seq` is higher
   * than the event's current sequence (a client bug, or Redis restored from an older copy), so the client's view
   * cannot be trusted either way.
   */
  abstract missedSince(eventId: string, seq: number): Promise<SeatUpdate[] | 'resync'>;
}

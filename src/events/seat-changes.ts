/** A change of one seat, as every seat-map listener receives it. `seq` grows by one per change of the event. */
export interface SeatUpdate {
  readonly eventId: string;
  readonly seatId: string;
  readonly status: 'available' | 'held' | 'reserved';
  readonly at: string;
  readonly seq: number;
}

export type StopListening = () => void;

/**
 * An event's seat changes, live and recent: the scripts that change seats number each change, log it and publish it
 * on the event's seat channel; any instance's listeners receive it, and a client that reconnects is given what it
 * missed from the log.
 */
export abstract class SeatChanges {
  abstract onSeatUpdate(eventId: string, listener: (update: SeatUpdate) => void): StopListening;

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

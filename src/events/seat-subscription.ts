import type { SeatChanges, SeatUpdate, StopListening } from './seat-changes.js';

export interface SeatFollower {
  /** A change after `from`, in sequence order, each once. */
  readonly update: (update: SeatUpdate) => void;
  /** The changes after `from` cannot be given (no longer kept, or `from` is beyond the event's sequence). */
  readonly resync: (seq: number) => void;
  /** Caught up: every change up to `seq` was given; only live changes follow. */
  readonly ready?: (seq: number) => void;
}

/**
 * Follows one event's seat changes for one client from sequence number `from` on: every change after `from` is
 * delivered, in order, once. The caller takes `from` before it answers (the client's last seen `seq`, or the
 * event's current sequence when it has none), so nothing that happens after the answer starts can fall into a gap.
 * The live listener is attached first and buffers while the changes since `from` are read from the log, so nothing
 * falls between replay and live either.
 */
export async function followSeats(
  changes: SeatChanges,
  eventId: string,
  from: number,
  follower: SeatFollower,
): Promise<StopListening> {
  let delivered = from;
  let buffer: SeatUpdate[] | null = [];
  const deliver = (update: SeatUpdate) => {
    if (update.seq <= delivered) return;
    delivered = update.seq;
    follower.update(update);
  };
  const stop = changes.onSeatUpdate(eventId, (update) => (buffer ? buffer.push(update) : deliver(update)));
  try {
    // Only once the subscription is live does reading the log leave no gap before the buffered changes.
    await changes.listening();
    const missed = await changes.missedSince(eventId, from);
    if (missed === 'resync') {
      delivered = await changes.currentSeq(eventId);
      follower.resync(delivered);
    } else {
      missed.forEach(deliver);
    }
  } catch (error) {
    stop(); // Redis failed during the replay: no listener may stay behind
    throw error;
  }
  follower.ready?.(delivered);
  const pending = buffer;
  buffer = null;
  pending.forEach(deliver);
  return stop;
}

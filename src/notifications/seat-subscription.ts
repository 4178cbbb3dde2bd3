import type { LiveEvents, SeatUpdate, Unsubscribe } from './live-events.js';

/**
 * Follows one event's seat changes for one client, resuming after the last sequence number it saw: the live
 * listener is attached first and buffers while the missed changes are read from the log, so nothing falls between
 * replay and live, and nothing is delivered twice or out of order.
 */
export async function followSeats(
  live: LiveEvents,
  eventId: string,
  lastSeq: number | undefined,
  send: (update: SeatUpdate) => void,
  resync: () => void,
): Promise<{ seq: number; stop: Unsubscribe }> {
  let delivered = lastSeq ?? -1;
  let buffer: SeatUpdate[] | null = [];
  const deliver = (update: SeatUpdate) => {
    if (update.seq <= delivered) return;
    delivered = update.seq;
    send(update);
  };
  const stop = live.onSeatUpdate(eventId, (update) => (buffer ? buffer.push(update) : deliver(update)));
  let seq: number;
  try {
    // Only once the subscription is live does reading the current sequence leave no gap before the buffered changes.
    await live.listening();
    seq = await live.currentSeq(eventId);
    if (lastSeq !== undefined) {
      const missed = await live.missedSince(eventId, lastSeq);
      if (missed === 'too-old') {
        resync();
        delivered = seq;
      } else {
        missed.forEach(deliver);
      }
    } else {
      delivered = seq;
    }
  } catch (error) {
    stop(); // Redis failed during the replay: no listener may stay behind
    throw error;
  }
  const pending = buffer;
  buffer = null;
  pending.forEach(deliver);
  return { seq, stop };
}

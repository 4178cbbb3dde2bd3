import { SeatChanges } from './seat-changes.js';
import type { SeatUpdate, StopListening } from './seat-changes.js';
import { followSeats } from './seat-subscription.js';

/** A SeatChanges whose log reads fail, counting the seat listeners it has. */
class FailingLog extends SeatChanges {
  listeners = 0;
  onSeatUpdate(_eventId: string, _listener: (update: SeatUpdate) => void): StopListening {
    this.listeners++;
    return () => this.listeners--;
  }
  async listening(): Promise<void> {}
  async currentSeq(): Promise<number> {
    throw new Error('Command timed out');
  }
  async missedSince(): Promise<SeatUpdate[] | 'resync'> {
    throw new Error('Command timed out');
  }
}

describe('followSeats', () => {
  it('removes its listener when reading the log fails, and passes the failure on', async () => {
    const live = new FailingLog();
    await expect(followSeats(live, 'e1', 3, { update: () => undefined, resync: () => undefined })).rejects.toThrow(
      'Command timed out',
    );
    expect(live.listeners).toBe(0);
  });
});

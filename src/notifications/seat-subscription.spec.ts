import { LiveEvents } from './live-events.js';
import type { SeatUpdate, Unsubscribe, UserEvent } from './live-events.js';
import { followSeats } from './seat-subscription.js';

/** A LiveEvents whose log reads fail, counting the seat listeners it has. */
class FailingLog extends LiveEvents {
  listeners = 0;
  async toUser(): Promise<void> {}
  onSeatUpdate(_eventId: string, _listener: (update: SeatUpdate) => void): Unsubscribe {
    this.listeners++;
    return () => this.listeners--;
  }
  onUserEvent(_userId: string, _listener: (event: UserEvent) => void): Unsubscribe {
    return () => undefined;
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

import { nextDelay } from '../../src/outbox/outbox-deliveries.js';

/** Review finding 2: a receiver's Retry-After of 0 or a past date made every retry immediate, all day. */
describe('outbox retry delay', () => {
  it('a Retry-After shorter than the backoff (0, a past date) waits the backoff', () => {
    expect(nextDelay(20_000, 0, 86_400_000)).toBe(20_000);
    expect(nextDelay(20_000, -5_000, 86_400_000)).toBe(20_000);
  });

  it('a longer Retry-After is honoured; no Retry-After is the backoff', () => {
    expect(nextDelay(20_000, 3_600_000, 86_400_000)).toBe(3_600_000);
    expect(nextDelay(20_000, undefined, 86_400_000)).toBe(20_000);
  });

  it('never waits past the retry window (a last attempt at its end), and gives up once it is over', () => {
    expect(nextDelay(20_000, 7_200_000, 60_000)).toBe(60_000);
    expect(nextDelay(20_000, undefined, 5_000)).toBe(5_000);
    expect(nextDelay(20_000, undefined, 0)).toBeNull();
    expect(nextDelay(20_000, undefined, -1)).toBeNull();
  });
});

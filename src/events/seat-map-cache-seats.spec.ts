import { planOf } from './event.js';
import type { SeatStates, SeatingPlan } from './event.js';
import { CACHED_MAP_SEATS, SeatMapCache } from './seat-map.cache.js';
import { SeatMapSerializer } from './seat-map.serializer.js';
import { numberedLayout, venueOf } from './venue-layout.js';

const empty: SeatStates = { get: () => undefined, values: () => [], sameAs: (other) => other === empty };

function plan(id: string, seats: number): SeatingPlan {
  const seatIds = Array.from({ length: seats }, (_, i) => `${id}-s${i + 1}`);
  const venue = venueOf(id, numberedLayout(seats), seatIds);
  const event = { id, name: 'E', totalSeats: seats, holdSeconds: 60, startsAt: null, createdAt: 0, createdBy: 'u' };
  return planOf(event, seatIds, venue.document, venue.etag);
}

/** Issue 19: maps of 20,000-seat events are bounded by their seats, not only by their number. */
describe('SeatMapCache with large events', () => {
  it('keeps events up to CACHED_MAP_SEATS seats together, evicting the least recently read', () => {
    const cache = new SeatMapCache(new SeatMapSerializer());
    const size = CACHED_MAP_SEATS / 2;
    const [a, b, c] = ['a', 'b', 'c'].map((id) => plan(id, size));
    const first = cache.mapOf(a, empty, 0);
    const bFirst = cache.mapOf(b, empty, 0);
    expect(cache.mapOf(b, empty, 0)).toBe(bFirst);
    expect(cache.mapOf(a, empty, 0)).toBe(first);
    // A third big event pushes out the least recently read (b), not the 16-event bound.
    cache.mapOf(c, empty, 0);
    expect(cache.mapOf(a, empty, 0)).toBe(first);
    expect(cache.mapOf(b, empty, 0)).not.toBe(bFirst);
  });

  it('keeps the most recent map even when it alone is over the bound', () => {
    const cache = new SeatMapCache(new SeatMapSerializer());
    const huge = plan('h', CACHED_MAP_SEATS + 1);
    expect(cache.mapOf(huge, empty, 0)).toBe(cache.mapOf(huge, empty, 0));
  });
});

import { numberedLayout, venueOf } from './venue-layout.js';
import { planOf, statusAt } from './event.js';
import type { EventRecord, SeatStates, SeatingPlan, StoredSeatState } from './event.js';
import { SeatMapCache } from './seat-map.cache.js';
import { SeatMapSerializer } from './seat-map.serializer.js';

/** States as a repository would hand them out: equal when built from equal entries. */
class FakeStates implements SeatStates {
  constructor(private readonly entries: Record<string, StoredSeatState>) {}
  get(seatId: string): StoredSeatState | undefined {
    return this.entries[seatId];
  }
  values(): Iterable<StoredSeatState> {
    return Object.values(this.entries);
  }
  sameAs(other: SeatStates): boolean {
    return other instanceof FakeStates && JSON.stringify(other.entries) === JSON.stringify(this.entries);
  }
}

function plan(id: string, seats = 4): SeatingPlan {
  const event: EventRecord = {
    id,
    name: 'E',
    totalSeats: seats,
    holdSeconds: 60,
    startsAt: null,
    createdAt: 0,
    createdBy: 'u',
  };
  const seatIds = Array.from({ length: seats }, (_, i) => `${id}-s${i + 1}`);
  const venue = venueOf(id, numberedLayout(seats), seatIds);
  return planOf(event, seatIds, venue.document, venue.etag);
}

const held = (until: number): StoredSeatState => ({ kind: 'held', userId: 'u1', until });
const reserved: StoredSeatState = { kind: 'reserved', userId: 'u1', at: 1 };

describe('SeatMapCache', () => {
  let cache: SeatMapCache;
  const p = plan('e1');
  const [s1, s2, s3] = p.seatIds;
  beforeEach(() => (cache = new SeatMapCache(new SeatMapSerializer())));

  /** What a fresh computation gives: the cache must never answer anything else. */
  const fresh = (states: SeatStates, now: number) => p.seatIds.map((id) => statusAt(states.get(id), now));

  it('reuses the map and its JSON for the same stored states within the window', () => {
    const first = cache.mapOf(p, new FakeStates({ [s1]: held(2000) }), 1000);
    const again = cache.mapOf(p, new FakeStates({ [s1]: held(2000) }), 1999);
    expect(again).toBe(first);
    expect(cache.json(again, 'all')).toBe(cache.json(first, 'all'));
    expect(again.statuses).toEqual(['held', 'available', 'available', 'available']);
  });

  it('computes again when the stored states differ, even with the same seats taken', () => {
    cache.mapOf(p, new FakeStates({ [s1]: held(5000) }), 1000);
    const states = new FakeStates({ [s1]: reserved });
    expect(cache.mapOf(p, states, 1000).statuses).toEqual(fresh(states, 1000));
    expect(JSON.parse(cache.json(cache.mapOf(p, states, 1000), 'available').toString()).length).toBe(3);
  });

  it('shows a hold as available from the moment it ends, with nothing stored changing', () => {
    const states = new FakeStates({ [s1]: held(2000), [s2]: held(3000), [s3]: reserved });
    expect(cache.mapOf(p, states, 1000).statuses).toEqual(['held', 'held', 'reserved', 'available']);
    expect(cache.mapOf(p, states, 2000).statuses).toEqual(['available', 'held', 'reserved', 'available']);
    expect(cache.mapOf(p, states, 2999).statuses).toEqual(fresh(states, 2999));
    expect(cache.mapOf(p, states, 3000).statuses).toEqual(['available', 'available', 'reserved', 'available']);
  });

  it('does not keep a lapsed hold available for a clock set back before its end', () => {
    const states = new FakeStates({ [s1]: held(2000) });
    expect(cache.mapOf(p, states, 2500).statuses[0]).toBe('available');
    expect(cache.mapOf(p, states, 1500).statuses[0]).toBe('held');
  });

  it('answers every status filter from the map it is asked about', () => {
    const before = cache.mapOf(p, new FakeStates({}), 1000);
    const json = cache.json(before, 'available');
    const after = cache.mapOf(p, new FakeStates({ [s2]: held(9000) }), 1000);
    expect(JSON.parse(json.toString()).length).toBe(4);
    expect(JSON.parse(cache.json(after, 'available').toString()).length).toBe(3);
    // A map that is no longer the kept one is still serialized as itself.
    expect(JSON.parse(cache.json(before, 'available').toString()).length).toBe(4);
  });

  it('keeps a bounded number of events, evicting the least recently read', () => {
    const plans = Array.from({ length: 40 }, (_, i) => plan(`e${i}`));
    const empty = new FakeStates({});
    const maps = plans.map((q) => cache.mapOf(q, empty, 1000));
    expect(cache.mapOf(plans[39], empty, 1000)).toBe(maps[39]);
    expect(cache.mapOf(plans[0], empty, 1000)).not.toBe(maps[0]);
  });
});

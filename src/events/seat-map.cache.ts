import { Injectable } from '@nestjs/common';
import { statusAt, statusWindow } from './event.js';
import type { PlanSection, SeatStates, SeatingPlan } from './event.js';
import { SeatMapSerializer } from './seat-map.serializer.js';
import type { SeatMap } from './seat-map.serializer.js';

/** Events whose latest seat map is kept. */
const CACHED_EVENTS = 16;
/**
 * And the seats they may have together: the 16 events of up to 1,000 seats as before issue 19, or two 20,000-seat
 * events. A kept entry holds its plan, which the plan cache's bound (PLAN_CACHE_SEATS, this plus room for one more
 * 20,000-seat event) counts as well, so the plans kept here are normally among those, and the plan read on a miss
 * there is taken from here first (EventsService.plan): a plan object is never built twice while either keeps it. On
 * top of the plans it holds each map's statuses and derived answers (~0.1 KB per seat and filter: ~4 MB at most for
 * the JSON forms of 40,000 seats). The most recent map is kept whatever its size.
 */
export const CACHED_MAP_SEATS = 40_000;

interface Entry {
  readonly plan: SeatingPlan;
  readonly states: SeatStates;
  /** The version the states were read at (VenueRepository.statusSnapshot), '' unknown. */
  readonly version: string;
  /** The clock times in which `map` is what statusAt gives for `states`: from <= now < until. */
  readonly from: number;
  readonly until: number;
  readonly map: SeatMap;
  /** JSON answers and other encodings of `map` (the seat-status string), built once per kept map. */
  readonly derived: Map<string, Buffer | string>;
}

/**
 * The latest seat map of the most recently read events, with its JSON. It never makes a read older: every read still
 * asks Redis (one round trip, as without it), and the kept map answers only when the stored states are those it was
 * computed from (the same version, VenueRepository.statusSnapshot, or identical values: SeatStates.sameAs) and the
 * clock lies between the last hold that had ended then and the next one to end (statusWindow): exactly when computing
 * it again would give the same statuses. So another instance's change, a release, the sweeper's expiry and a hold
 * lapsing by time all show in the next read, as before. What it saves is the work after the read (statuses for every
 * seat and ~100 KB of JSON for a 1000-seat event) and, through the version, the read of unchanged states itself.
 */
@Injectable()
export class SeatMapCache {
  /** Insertion-ordered: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();
  private seats = 0;

  constructor(private readonly serializer: SeatMapSerializer) {}

  /** The plan, stored states and their version behind the event's kept map (nothing: no map kept). */
  kept(eventId: string): Pick<Entry, 'plan' | 'states' | 'version'> | undefined {
    return this.entries.get(eventId);
  }

  /** The statuses of the plan's seats at `now` given these stored states, read at `version` ('' unknown). */
  mapOf(plan: SeatingPlan, states: SeatStates, now: number, version = ''): SeatMap {
    const eventId = plan.event.id;
    const kept = this.entries.get(eventId);
    if (kept) {
      this.entries.delete(eventId);
      const same = (version !== '' && kept.version === version) || kept.states.sameAs(states);
      if (kept.plan === plan && kept.from <= now && now < kept.until && same) {
        this.entries.set(eventId, kept);
        return kept.map;
      }
      this.seats -= kept.plan.seatIds.length;
    }
    const map: SeatMap = { plan, statuses: plan.seatIds.map((id) => statusAt(states.get(id), now)) };
    const { from, until } = statusWindow(states, now);
    this.entries.set(eventId, { plan, states, version, from, until, map, derived: new Map() });
    this.seats += plan.seatIds.length;
    for (const [oldest, entry] of this.entries) {
      if ((this.entries.size <= CACHED_EVENTS && this.seats <= CACHED_MAP_SEATS) || oldest === eventId) break;
      this.entries.delete(oldest);
      this.seats -= entry.plan.seatIds.length;
    }
    return map;
  }

  /** The map as JSON (SeatMapSerializer), of one section's seats or all, built once per kept map and filter. */
  json(map: SeatMap, status: 'available' | 'all', section?: PlanSection): Buffer {
    const build = () => this.serializer.toJson(map, status, section);
    return this.derived(map, `json:${status}:${section?.start ?? ''}`, build);
  }

  /** Something computed from the map alone, built once per kept map and key (a fresh map: every time). */
  derived<T extends Buffer | string>(map: SeatMap, key: string, build: () => T): T {
    const entry = this.entries.get(map.plan.event.id);
    if (entry?.map !== map) return build();
    let value = entry.derived.get(key) as T | undefined;
    if (value === undefined) entry.derived.set(key, (value = build()));
    return value;
  }
}

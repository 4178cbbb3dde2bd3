import { Injectable } from '@nestjs/common';
import { statusAt, statusWindow } from './event.js';
import type { SeatStates, SeatingPlan } from './event.js';
import { SeatMapSerializer } from './seat-map.serializer.js';
import type { SeatMap } from './seat-map.serializer.js';

/** Events whose latest seat map is kept; at most 1000 seats each, so at most about 16 × 240 KB of JSON. */
const CACHED_EVENTS = 16;

interface Entry {
  readonly plan: SeatingPlan;
  readonly states: SeatStates;
  /** The clock times in which `map` is what statusAt gives for `states`: from <= now < until. */
  readonly from: number;
  readonly until: number;
  readonly map: SeatMap;
  readonly json: Partial<Record<'available' | 'all', Buffer>>;
}

/**
 * The latest seat map of the most recently read events, with its JSON. It never makes a read older: every read still
 * fetches the stored states (one round trip, as without it), and the kept map answers only when those are identical
 * to the ones it was computed from (SeatStates.sameAs) and the clock lies between the last hold that had ended then
 * and the next one to end (statusWindow): exactly when computing it again would give the same statuses. So another
 * instance's change, a release, the sweeper's expiry and a hold lapsing by time all show in the next read, as before.
 * What it saves is the work after the read: statuses for every seat and ~100 KB of JSON for a 1000-seat event.
 */
@Injectable()
export class SeatMapCache {
  /** Insertion-ordered: the first entry is the least recently used. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly serializer: SeatMapSerializer) {}

  /** The statuses of the plan's seats at `now` given these stored states. */
  mapOf(plan: SeatingPlan, states: SeatStates, now: number): SeatMap {
    const eventId = plan.event.id;
    const kept = this.entries.get(eventId);
    if (kept) {
      this.entries.delete(eventId);
      if (kept.plan === plan && kept.from <= now && now < kept.until && kept.states.sameAs(states)) {
        this.entries.set(eventId, kept);
        return kept.map;
      }
    }
    const map: SeatMap = { plan, statuses: plan.seatIds.map((id) => statusAt(states.get(id), now)) };
    const { from, until } = statusWindow(states, now);
    this.entries.set(eventId, { plan, states, from, until, map, json: {} });
    if (this.entries.size > CACHED_EVENTS) this.entries.delete(this.entries.keys().next().value as string);
    return map;
  }

  /** The map as JSON (SeatMapSerializer), built once per kept map and filter. */
  json(map: SeatMap, status: 'available' | 'all'): Buffer {
    const entry = this.entries.get(map.plan.event.id);
    if (entry?.map !== map) return this.serializer.toJson(map, status);
    return (entry.json[status] ??= this.serializer.toJson(map, status));
  }
}

import { Injectable } from '@nestjs/common';
import type { SeatStatus, SeatingPlan } from './event.js';

export interface SeatMap {
  readonly plan: SeatingPlan;
  /** Status of seat n at index n-1. */
  readonly statuses: readonly SeatStatus[];
}

interface Fragments {
  /** `{"id":…,"eventId":…,"number":n,"section":…,"row":…,"label":…,"categoryId":…,"accessible":…}` per seat. */
  readonly plain: readonly Buffer[];
  /** The same with `"status":…` for each status, built on first use of ?status=all. */
  withStatus?: Readonly<Record<SeatStatus, readonly Buffer[]>>;
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');
const STATUSES: readonly SeatStatus[] = ['available', 'held', 'reserved'];

/**
 * Writes seat lists as JSON bytes from fragments made once per seating plan. A 1000-seat map is about 100 KB; built
 * with JSON.stringify and encoded to UTF-8 on every request it cost more than everything else on that route, while
 * the seats themselves never change: only which of them are listed does.
 */
@Injectable()
export class SeatMapSerializer {
  private readonly cache = new WeakMap<SeatingPlan, Fragments>();

  /** The seats of the map (of one section: its range of seats) with their statuses, or the available ones only. */
  toJson(map: SeatMap, status: 'available' | 'all', section?: { start: number; end: number }): Buffer {
    const fragments = this.fragmentsOf(map.plan);
    const parts: Buffer[] = [OPEN];
    const [start, end] = section ? [section.start, section.end] : [0, map.statuses.length];
    if (status === 'all') {
      fragments.withStatus ??= Object.fromEntries(
        STATUSES.map((s) => [s, this.build(map.plan, (seat) => ({ ...seat, status: s }))]),
      ) as Record<SeatStatus, Buffer[]>;
      const withStatus = fragments.withStatus;
      for (let i = start; i < end; i++) parts.push(withStatus[map.statuses[i]][i], COMMA);
    } else {
      for (let i = start; i < end; i++) if (map.statuses[i] === 'available') parts.push(fragments.plain[i], COMMA);
    }
    if (parts.length > 1) parts.pop();
    parts.push(CLOSE);
    return Buffer.concat(parts);
  }

  private fragmentsOf(plan: SeatingPlan): Fragments {
    let fragments = this.cache.get(plan);
    if (!fragments) {
      fragments = { plain: this.build(plan, (seat) => seat) };
      this.cache.set(plan, fragments);
    }
    return fragments;
  }

  private build(plan: SeatingPlan, shape: (seat: object) => object): Buffer[] {
    const eventId = plan.event.id;
    return plan.seatIds.map((id, i) => {
      const { section, row, label, categoryId, accessible } = plan.seats[i];
      const seat = { id, eventId, number: i + 1, section, row, label, categoryId, accessible };
      return Buffer.from(JSON.stringify(shape(seat)));
    });
  }
}

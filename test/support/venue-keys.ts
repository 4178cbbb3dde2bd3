import { encodeSeatMeta } from '../../src/events/venue.codec.js';

/** A seat's stored place (events/venue.codec.ts), without the label the meta does not keep. */
export interface SeatMeta {
  readonly categoryId: string;
  readonly order: number;
  readonly rowIndex: number;
  readonly position: number;
  readonly accessible: boolean;
}
import { keys } from '../../src/redis/keys.js';
import type { TestApp } from './test-app.js';

/** A category of a test venue and the seats (by index in layout order) it has. */
export interface VenueCategory {
  readonly id: string;
  readonly price?: { amount: number; currency: string } | null;
}

/**
 * Rewrites the venue keys of the shared contract (seat-meta, free sets, categories) of a numberOfSeats event created
 * through the API, so a test can shape a venue (a grid with categories by row) without a layout document; without
 * `metaOf`, only when the event has none (the implicit layout: one row, category `general`, order = index).
 */
export async function ensureVenueKeys(
  t: TestApp,
  eventId: string,
  metaOf?: (index: number) => SeatMeta,
  categories: readonly VenueCategory[] = [{ id: 'general' }],
): Promise<void> {
  const redis = t.redis;
  if (!metaOf && (await redis.exists(keys.seatMeta(eventId))) === 1) return;
  const seatIds = await redis.lrange(keys.eventSeats(eventId), 0, -1);
  const meta = metaOf ?? ((index: number) => implicitMeta(index));
  const multi = redis.multi().del(keys.seatMeta(eventId), keys.eventCategories(eventId));
  for (const c of categories) {
    multi.del(keys.freeSeats(eventId, c.id));
    multi.hset(keys.eventCategories(eventId), c.id, JSON.stringify({ name: c.id, price: c.price ?? null }));
  }
  const states = await redis.hgetall(keys.seatState(eventId));
  seatIds.forEach((seatId, index) => {
    const m = meta(index);
    multi.hset(keys.seatMeta(eventId), seatId, encodeSeatMeta({ ...m, sectionIndex: 0, label: String(index + 1) }));
    if (states[seatId] === undefined) multi.zadd(keys.freeSeats(eventId, m.categoryId), m.order, seatId);
  });
  await multi.exec();
}

export function implicitMeta(index: number): SeatMeta {
  return { categoryId: 'general', order: index, rowIndex: 0, position: index, accessible: false };
}

/**
 * A grid of `rows` rows of `perRow` seats in layout order, one section: rows front to back, best-available order row
 * by row from the centre out; `categoryOf(row)` and `accessibleAt(row, position)` as given.
 */
export function gridMeta(
  rows: number,
  perRow: number,
  categoryOf: (row: number) => string = () => 'general',
  accessibleAt: (row: number, position: number) => boolean = () => false,
): (index: number) => SeatMeta {
  const centre = (perRow - 1) / 2;
  const byCentre = Array.from({ length: perRow }, (_, p) => p).sort(
    (a, b) => Math.abs(a - centre) - Math.abs(b - centre) || a - b,
  );
  const rank = new Map(byCentre.map((p, i) => [p, i]));
  return (index) => {
    const row = Math.floor(index / perRow);
    const position = index % perRow;
    return {
      categoryId: categoryOf(row),
      order: row * perRow + rank.get(position)!,
      rowIndex: row,
      position,
      accessible: accessibleAt(row, position),
    };
  };
}

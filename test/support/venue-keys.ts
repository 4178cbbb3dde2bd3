import { encodeSeatMeta } from '../../src/events/seat-meta.codec.js';
import type { SeatMeta } from '../../src/events/seat-meta.codec.js';
import { keys } from '../../src/redis/keys.js';
import type { TestApp } from './test-app.js';

/** A category of a test venue and the seats (by index in layout order) it has. */
export interface VenueCategory {
  readonly id: string;
  readonly price?: { amount: number; currency: string } | null;
}

/**
 * The venue keys of the shared contract (seat-meta, free sets, categories) for an event created through the API,
 * written here when the event has none yet (an event created before layouts' creation writes them; with it, this
 * only checks they are there). `metaOf(index)` gives each seat's place; by default the implicit layout of a
 * numberOfSeats event: one row, category `general`, order = index.
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
    multi.hset(keys.seatMeta(eventId), seatId, encodeSeatMeta(m));
    if (states[seatId] === undefined) multi.zadd(keys.freeSeats(eventId, m.categoryId), m.order, seatId);
  });
  await multi.exec();
}

export function implicitMeta(index: number): SeatMeta {
  return { categoryId: 'general', order: index, rowKey: '0.0', position: index, accessible: false };
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
      rowKey: `0.${row}`,
      position,
      accessible: accessibleAt(row, position),
    };
  };
}

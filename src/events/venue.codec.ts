import type { Category, Price, SeatFacts } from './venue-layout.js';

/**
 * The stored formats of venues (issue 19's contract), in one place for TypeScript:
 * - `{event:<id>}:seat-meta` field seatId -> `<categoryId>|<order>|<rowKey>|<position>|<accessible 0 or 1>`, rowKey
 *   `<sectionIndex>.<rowIndex>`;
 * - `{event:<id>}:categories` field categoryId -> JSON `{"name":…,"price":{"amount":…,"currency":…} or null}`.
 * The reserve script reads both (lua/reserve-seats-9.lua): the category is the part before the first `|`, and the
 * price is decoded with cjson.
 */
export function encodeSeatMeta(fact: SeatFacts): string {
  return `${fact.categoryId}|${fact.order}|${fact.sectionIndex}.${fact.rowIndex}|${fact.position}|${fact.accessible ? 1 : 0}`;
}

export interface StoredSeatMeta {
  readonly categoryId: string;
  readonly order: number;
  readonly sectionIndex: number;
  readonly rowIndex: number;
  readonly position: number;
  readonly accessible: boolean;
}

const SEAT_META = /^([A-Za-z0-9_-]+)\|(\d+)\|(\d+)\.(\d+)\|(\d+)\|([01])$/;

/** The seat's stored facts, or undefined for a value that cannot be read. */
export function parseSeatMeta(value: string): StoredSeatMeta | undefined {
  const match = SEAT_META.exec(value);
  if (!match) return undefined;
  return {
    categoryId: match[1],
    order: Number(match[2]),
    sectionIndex: Number(match[3]),
    rowIndex: Number(match[4]),
    position: Number(match[5]),
    accessible: match[6] === '1',
  };
}

export function encodeCategory(category: Category): string {
  return JSON.stringify({ name: category.name, price: category.price });
}

/** A stored category, or undefined when the value is not one. */
export function parseCategory(id: string, value: string): Category | undefined {
  try {
    const parsed = JSON.parse(value) as { name?: unknown; price?: unknown };
    if (typeof parsed?.name !== 'string') return undefined;
    const price = parsed.price === null ? null : priceOf(parsed.price);
    if (price === undefined) return undefined;
    return { id, name: parsed.name, price };
  } catch {
    return undefined;
  }
}

function priceOf(value: unknown): Price | undefined {
  const price = value as { amount?: unknown; currency?: unknown } | null | undefined;
  if (typeof price?.amount !== 'number' || !Number.isSafeInteger(price.amount) || price.amount < 0) return undefined;
  if (typeof price.currency !== 'string' || !/^[A-Z]{3}$/.test(price.currency)) return undefined;
  return { amount: price.amount, currency: price.currency };
}

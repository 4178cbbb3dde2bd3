import { ValidationFailedError } from '../common/domain-error.js';
import { isDisplayableText } from '../common/validation.js';
import { MAX_SEATS } from './venue-layout.js';
import type { Category, LayoutRow, LayoutSection, LayoutSeat, Price, VenueLayout } from './venue-layout.js';

/**
 * Validates the `layout` of POST /v1/events by hand and answers the first bad path
 * (`layout.sections[2].rows[5].seats[7].label: duplicate in row`). Hand-written rather than class-validator DTOs:
 * a 20,000-seat layout is 20,000 seat objects, and decorators per seat cost far more than this one pass
 * (docs/performance.md, "Venue layouts"); it also resolves each seat's category and expands row shorthands as it goes.
 */
export function parseLayout(raw: unknown, path = 'layout'): VenueLayout {
  return new LayoutParser().layout(raw, path);
}

/** Ids go into key names (`{event}:free:<categoryId>`) and `|`-separated values: letters, digits, `_` and `-`. */
const CATEGORY_ID = /^[A-Za-z0-9_-]{1,40}$/;
const CURRENCY = /^[A-Z]{3}$/;
const CONTROL = /\p{Cc}/u;
const DIGITS = /^\d{1,9}$/;
const MAX_CATEGORIES = 100;
const MAX_RANK = 1_000_000_000;
/** 10^12 minor units (ten billion euros): totals of many seats stay exact in a double and in Lua's %.0f. */
const MAX_AMOUNT = 1_000_000_000_000;

type Obj = Record<string, unknown>;

const fail = (path: string, message: string): never => {
  throw ValidationFailedError.field(path, message);
};

/**
 * An object with only the allowed properties. `null` is refused for every property, naming its path, except a
 * category's `price`, where it means "no price": an optional field is left out, never null (one rule for all).
 */
function object(value: unknown, path: string, allowed: readonly string[]): Obj {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(path, 'must be an object');
  for (const [key, field] of Object.entries(value as Obj)) {
    if (!allowed.includes(key)) fail(`${path}.${key}`, 'unknown property');
    if (field === null && key !== 'price') fail(`${path}.${key}`, 'must not be null (leave it out instead)');
  }
  return value as Obj;
}

function array(value: unknown, path: string, max: number): unknown[] {
  if (!Array.isArray(value)) return fail(path, 'must be an array');
  if (value.length === 0) fail(path, 'must not be empty');
  if (value.length > max) fail(path, `must have at most ${max} entries`);
  return value;
}

function text(value: unknown, path: string, min: number, max: number): string {
  if (typeof value !== 'string') return fail(path, 'must be a string');
  if (value.length < min) fail(path, 'must not be empty');
  if (value.length > max) fail(path, `must be at most ${max} characters`);
  if (CONTROL.test(value) || !isDisplayableText(value)) {
    fail(path, 'must not contain control, zero-width or bidirectional-override characters, or lone surrogates');
  }
  // Refused rather than trimmed: "A" and "A " would be two rows (or a duplicate after trimming), and a name is
  // stored as sent.
  if (value.trim() !== value) fail(path, 'must not start or end with white space');
  return value;
}

function integer(value: unknown, path: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) return fail(path, 'must be an integer');
  if (value < min || value > max) fail(path, `must be between ${min} and ${max}`);
  return value;
}

const optional = <T>(value: unknown, read: () => T): T | undefined => (value === undefined ? undefined : read());

class LayoutParser {
  private readonly categories = new Map<string, Category>();
  private seatCount = 0;

  layout(raw: unknown, path: string): VenueLayout {
    const layout = object(raw, path, ['categories', 'sections']);
    const categories = array(layout.categories, `${path}.categories`, MAX_CATEGORIES).map((c, i) =>
      this.category(c, `${path}.categories[${i}]`),
    );
    const names = new Set<string>();
    const sections = array(layout.sections, `${path}.sections`, MAX_SEATS).map((s, i) => {
      const section = this.section(s, `${path}.sections[${i}]`);
      if (names.has(section.name)) fail(`${path}.sections[${i}].name`, 'duplicate section name');
      names.add(section.name);
      return section;
    });
    return { categories, sections };
  }

  private category(raw: unknown, path: string): Category {
    const category = object(raw, path, ['id', 'name', 'price']);
    const id = text(category.id, `${path}.id`, 1, 40);
    if (!CATEGORY_ID.test(id)) fail(`${path}.id`, 'must be 1 to 40 letters, digits, "_" or "-"');
    if (this.categories.has(id)) fail(`${path}.id`, 'duplicate category id');
    const name = text(category.name, `${path}.name`, 1, 100);
    const price = category.price == null ? null : this.price(category.price, `${path}.price`);
    const parsed = { id, name, price };
    this.categories.set(id, parsed);
    return parsed;
  }

  price(raw: unknown, path: string): Price {
    const price = object(raw, path, ['amount', 'currency']);
    const amount = integer(price.amount, `${path}.amount`, 0, MAX_AMOUNT);
    if (typeof price.currency !== 'string' || !CURRENCY.test(price.currency)) {
      fail(`${path}.currency`, 'must be an ISO 4217 code: three upper-case letters');
    }
    return { amount, currency: price.currency as string };
  }

  private categoryRef(value: unknown, path: string): string | undefined {
    return optional(value, () => {
      if (typeof value !== 'string' || !this.categories.has(value)) return fail(path, 'unknown categoryId');
      return value;
    });
  }

  private section(raw: unknown, path: string): LayoutSection {
    const section = object(raw, path, ['name', 'categoryId', 'rank', 'rows']);
    const name = text(section.name ?? '', `${path}.name`, 0, 100);
    const categoryId = this.categoryRef(section.categoryId, `${path}.categoryId`);
    const rank = optional(section.rank, () => integer(section.rank, `${path}.rank`, 0, MAX_RANK));
    const labels = new Set<string>();
    const rows = array(section.rows, `${path}.rows`, MAX_SEATS).map((r, i) => {
      const row = this.row(r, `${path}.rows[${i}]`, categoryId, rank);
      if (labels.has(row.label)) fail(`${path}.rows[${i}].label`, 'duplicate row label in section');
      labels.add(row.label);
      return row;
    });
    return { name, rows };
  }

  private row(raw: unknown, path: string, sectionCategory: string | undefined, sectionRank?: number): LayoutRow {
    const row = object(raw, path, ['label', 'categoryId', 'rank', 'seats', 'count', 'firstLabel', 'accessible']);
    const label = text(row.label ?? '', `${path}.label`, 0, 20);
    const categoryId = this.categoryRef(row.categoryId, `${path}.categoryId`) ?? sectionCategory;
    const rank = optional(row.rank, () => integer(row.rank, `${path}.rank`, 0, MAX_RANK)) ?? sectionRank;
    if ((row.seats === undefined) === (row.count === undefined)) {
      fail(path, 'give either seats or count (with firstLabel), not both and not neither');
    }
    if (row.count !== undefined) return { label, seats: this.shorthand(row, path, categoryId, rank) };
    if (row.firstLabel !== undefined) fail(`${path}.firstLabel`, 'goes with count only');
    if (row.accessible !== undefined) fail(`${path}.accessible`, 'goes with count only (else set it per seat)');
    const labels = new Set<string>();
    const seats = array(row.seats, `${path}.seats`, MAX_SEATS).map((s, i) => {
      const seatPath = `${path}.seats[${i}]`;
      this.countSeats(1, seatPath);
      const seat = this.seat(s, seatPath, categoryId, rank);
      if (labels.has(seat.label)) fail(`${seatPath}.label`, 'duplicate in row');
      labels.add(seat.label);
      return seat;
    });
    return { label, seats };
  }

  /**
   * `{label, count, firstLabel?}`: seats labelled firstLabel, firstLabel + 1, ... (default 1). A firstLabel given as
   * a string of digits keeps its width with leading zeros ("007": "007", "008", ...; "098": "098", "099", "100").
   */
  private shorthand(row: Obj, path: string, categoryId: string | undefined, rank?: number): LayoutSeat[] {
    const count = integer(row.count, `${path}.count`, 1, MAX_SEATS);
    this.countSeats(count, `${path}.count`);
    let first = 1;
    let width = 0;
    if (row.firstLabel !== undefined) {
      const value = row.firstLabel;
      if (typeof value === 'string' && DIGITS.test(value)) [first, width] = [Number(value), value.length];
      else first = integer(value, `${path}.firstLabel`, 0, 999_999_999);
    }
    const accessible = optional(row.accessible, () => this.flag(row.accessible, `${path}.accessible`)) ?? false;
    const category = this.resolved(categoryId, `${path}.categoryId`);
    return Array.from({ length: count }, (_, i) => ({
      label: String(first + i).padStart(width, '0'),
      categoryId: category,
      accessible,
      rank: rank ?? null,
    }));
  }

  private seat(raw: unknown, path: string, rowCategory: string | undefined, rowRank?: number): LayoutSeat {
    const seat = object(raw, path, ['label', 'categoryId', 'accessible', 'rank']);
    const label = text(seat.label, `${path}.label`, 1, 20);
    const categoryId = this.categoryRef(seat.categoryId, `${path}.categoryId`) ?? rowCategory;
    const accessible = optional(seat.accessible, () => this.flag(seat.accessible, `${path}.accessible`)) ?? false;
    const rank = optional(seat.rank, () => integer(seat.rank, `${path}.rank`, 0, MAX_RANK)) ?? rowRank;
    return { label, categoryId: this.resolved(categoryId, `${path}.categoryId`), accessible, rank: rank ?? null };
  }

  /** A seat's category: the nearest given, else the only one there is. */
  private resolved(categoryId: string | undefined, path: string): string {
    if (categoryId !== undefined) return categoryId;
    if (this.categories.size === 1) return this.categories.keys().next().value as string;
    return fail(path, 'required: neither the seat, its row nor its section names a category');
  }

  private flag(value: unknown, path: string): boolean {
    if (typeof value !== 'boolean') return fail(path, 'must be a boolean');
    return value;
  }

  private countSeats(more: number, path: string): void {
    this.seatCount += more;
    if (this.seatCount > MAX_SEATS) fail(path, `the layout has more than ${MAX_SEATS} seats`);
  }
}

/** A price as PATCH /v1/events/{id}/categories/{categoryId} takes it: `{amount, currency}` or null. */
export function parsePrice(raw: unknown, path = 'price'): Price | null {
  return raw === null ? null : new LayoutParser().price(raw, path);
}

import { createHash } from 'node:crypto';

/** A price in minor units (cents) of an ISO 4217 currency. */
export interface Price {
  readonly amount: number;
  readonly currency: string;
}

export interface Category {
  readonly id: string;
  readonly name: string;
  /** The current price; null: the category has none (free, or not priced yet). */
  readonly price: Price | null;
}

/** A seat of a validated layout, its category resolved (its own, else its row's, else its section's). */
export interface LayoutSeat {
  readonly label: string;
  readonly categoryId: string;
  readonly accessible: boolean;
  /** Lower is better; null: unranked (after every ranked seat). The row's or section's rank when it has none. */
  readonly rank: number | null;
}

export interface LayoutRow {
  readonly label: string;
  readonly seats: readonly LayoutSeat[];
}

export interface LayoutSection {
  readonly name: string;
  readonly rows: readonly LayoutRow[];
}

/** A venue as a client described it, validated (layout.validator.ts), before seat ids are given. */
export interface VenueLayout {
  readonly categories: readonly Category[];
  readonly sections: readonly LayoutSection[];
  /** numberOfSeats events: best-available order is the seat number, not rank/row/centre. */
  readonly numbered?: boolean;
}

/** The most seats one event may have. */
export const MAX_SEATS = 20_000;

/** The category of a numberOfSeats event (the contract's implicit layout). */
export const GENERAL_CATEGORY: Category = { id: 'general', name: 'General', price: null };

/** One unnamed section, one unnamed row, seats "1".."N" of one unpriced category: what numberOfSeats means. */
export function numberedLayout(numberOfSeats: number): VenueLayout {
  const seats = Array.from({ length: numberOfSeats }, (_, i) => ({
    label: String(i + 1),
    categoryId: GENERAL_CATEGORY.id,
    accessible: false,
    rank: null,
  }));
  return { categories: [GENERAL_CATEGORY], sections: [{ name: '', rows: [{ label: '', seats }] }], numbered: true };
}

/** What never changes about one seat, in layout order (the index is the seat's place in `{event}:seats`). */
export interface SeatFacts {
  readonly sectionIndex: number;
  readonly rowIndex: number;
  /** 0-based place in its row as given: adjacent seats have consecutive positions. */
  readonly position: number;
  readonly label: string;
  readonly categoryId: string;
  readonly accessible: boolean;
  /** 0-based place in best-available order over the whole event. */
  readonly order: number;
}

/** Every seat's facts in layout order, with its best-available order (see docs/architecture.md, "Venues"). */
export function seatFactsOf(layout: VenueLayout): SeatFacts[] {
  const facts: (Omit<SeatFacts, 'order'> & { order: number; rank: number; centre: number })[] = [];
  layout.sections.forEach((section, sectionIndex) =>
    section.rows.forEach((row, rowIndex) => {
      const middle = (row.seats.length - 1) / 2;
      row.seats.forEach((seat, position) =>
        facts.push({
          sectionIndex,
          rowIndex,
          position,
          label: seat.label,
          categoryId: seat.categoryId,
          accessible: seat.accessible,
          order: 0,
          rank: seat.rank ?? Infinity,
          centre: Math.abs(position - middle),
        }),
      );
    }),
  );
  if (layout.numbered) {
    facts.forEach((fact, index) => (fact.order = index));
  } else {
    const best = facts.map((_, index) => index);
    best.sort((a, b) => {
      const x = facts[a];
      const y = facts[b];
      return x.rank - y.rank || x.rowIndex - y.rowIndex || x.centre - y.centre || a - b;
    });
    best.forEach((index, order) => (facts[index].order = order));
  }
  return facts.map(({ rank: _rank, centre: _centre, ...fact }) => fact);
}

/** The static chart as GET /v1/events/{id}/layout answers it (and as `{event}:layout` stores it). */
export interface LayoutDocument {
  readonly eventId: string;
  readonly categories: readonly { readonly id: string; readonly name: string }[];
  readonly sections: readonly {
    readonly name: string;
    readonly rows: readonly {
      readonly label: string;
      readonly seats: readonly {
        readonly id: string;
        readonly label: string;
        readonly categoryId: string;
        readonly accessible: boolean;
      }[];
    }[];
  }[];
}

/** The chart's JSON for an event whose seats (in layout order) got these ids. */
export function layoutDocument(eventId: string, layout: VenueLayout, seatIds: readonly string[]): string {
  let next = 0;
  const doc: LayoutDocument = {
    eventId,
    categories: layout.categories.map(({ id, name }) => ({ id, name })),
    sections: layout.sections.map((section) => ({
      name: section.name,
      rows: section.rows.map((row) => ({
        label: row.label,
        seats: row.seats.map((seat) => ({
          id: seatIds[next++],
          label: seat.label,
          categoryId: seat.categoryId,
          accessible: seat.accessible,
        })),
      })),
    })),
  };
  return JSON.stringify(doc);
}

/** The strong ETag of a chart: a digest of its exact bytes. */
export function layoutEtag(json: string): string {
  return `"${createHash('sha256').update(json).digest('base64url').slice(0, 27)}"`;
}

/** Everything creation stores about a venue: the layout, its seats' ids and facts, and the chart with its ETag. */
export interface Venue {
  readonly layout: VenueLayout;
  readonly seatIds: readonly string[];
  readonly facts: readonly SeatFacts[];
  readonly document: string;
  readonly etag: string;
}

export function venueOf(eventId: string, layout: VenueLayout, seatIds: readonly string[]): Venue {
  const document = layoutDocument(eventId, layout, seatIds);
  return { layout, seatIds, facts: seatFactsOf(layout), document, etag: layoutEtag(document) };
}

export function seatCountOf(layout: VenueLayout): number {
  let count = 0;
  for (const section of layout.sections) for (const row of section.rows) count += row.seats.length;
  return count;
}

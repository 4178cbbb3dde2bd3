import type { Schemas, SeatStatus } from '../../../clients/typescript/src/index.js';

/**
 * An event shown whole when it has at most this many seats (every `numberOfSeats` event: they stop at 1,000); a
 * larger one is shown one part at a time, a part being a section, or a run of its whole rows when the section alone
 * is larger, or a run of seats of one row longer than this ("Arena row 1 seats 1–1000"). 1,000 buttons is the
 * largest map the app drew before venues, so no page gets more than it had.
 */
export const SEATS_PER_VIEW = 1000;

/** Seats per visual row of an event without rows (`numberOfSeats`): fits 360 px, as before venues. */
export const IMPLICIT_ROW = 10;

export interface ChartSeat {
  readonly id: string;
  /** Place in the chart's order (the seat-status string's index); `number` is index + 1. */
  readonly index: number;
  readonly number: number;
  readonly section: string;
  readonly row: string;
  readonly label: string;
  readonly categoryId: string;
  readonly accessible: boolean;
  readonly part: number;
  status: SeatStatus;
  button?: HTMLButtonElement;
}

export interface ChartRow {
  readonly label: string;
  readonly seats: ChartSeat[];
}

/** What one view of the map shows: rows grouped by section. */
export interface ChartPart {
  readonly name: string;
  readonly sections: { readonly name: string; readonly rows: ChartRow[] }[];
  readonly seats: ChartSeat[];
}

export interface Category {
  readonly id: string;
  readonly name: string;
  readonly price: Schemas['PriceDto'] | null;
  /** Index in the event's categories: picks the colour (`cat-<n % 6>`). */
  readonly index: number;
  /** The category's letter on its seats and in the legend ("A", "B", ...): a cue besides the colour. */
  readonly mark: string;
}

export interface Chart {
  readonly seats: ChartSeat[];
  readonly byId: Map<string, ChartSeat>;
  readonly parts: ChartPart[];
  /** A `numberOfSeats` event: one unnamed section with one unnamed row, drawn in rows of ten as before. */
  readonly implicit: boolean;
  readonly categories: Map<string, Category>;
}

/** The chart of `GET /v1/events/{id}/layout` with the prices of `GET /v1/events/{id}`. */
export function buildChart(layout: Schemas['LayoutView'], categoryViews: Schemas['CategoryView'][]): Chart {
  const categories = new Map<string, Category>();
  const add = (id: string, name: string, price: Category['price']) => {
    const index = categories.size;
    categories.set(id, { id, name, price, index, mark: categoryMark(index) });
  };
  for (const c of categoryViews) add(c.id, c.name, c.price);
  for (const c of layout.categories) if (!categories.has(c.id)) add(c.id, c.name, null);
  const total = layout.sections.reduce((n, s) => n + s.rows.reduce((m, r) => m + r.seats.length, 0), 0);
  const seats: ChartSeat[] = [];
  const parts: ChartPart[] = [];
  const newPart = (name: string): ChartPart => {
    const part: ChartPart = { name, sections: [], seats: [] };
    parts.push(part);
    return part;
  };
  let part = total <= SEATS_PER_VIEW ? newPart('All seats') : undefined;
  layout.sections.forEach((section, s) => {
    const sectionName = section.name || `Section ${s + 1}`;
    const size = section.rows.reduce((m, r) => m + r.seats.length, 0);
    if (total > SEATS_PER_VIEW) part = undefined;
    for (const row of section.rows) {
      // A row longer than a view is cut into runs of seats, each a part of its own.
      const long = total > SEATS_PER_VIEW && row.seats.length > SEATS_PER_VIEW;
      for (let start = 0; start < row.seats.length || start === 0; start += SEATS_PER_VIEW) {
        const run = long ? row.seats.slice(start, start + SEATS_PER_VIEW) : row.seats;
        if (long) {
          const place = [sectionName, row.label && `row ${row.label}`].filter(Boolean).join(' ');
          part = newPart(`${place} seats ${run[0]!.label}–${run.at(-1)!.label}`);
        } else if (
          !part ||
          (total > SEATS_PER_VIEW && part.seats.length > 0 && part.seats.length + run.length > SEATS_PER_VIEW)
        )
          part = newPart(sectionName);
        let group = part.sections.at(-1);
        if (!group || group.name !== section.name) part.sections.push((group = { name: section.name, rows: [] }));
        const chartRow: ChartRow = { label: row.label, seats: [] };
        group.rows.push(chartRow);
        for (const seat of run) {
          const chartSeat: ChartSeat = {
            id: seat.id,
            index: seats.length,
            number: seats.length + 1,
            section: section.name,
            row: row.label,
            label: seat.label,
            categoryId: seat.categoryId,
            accessible: seat.accessible,
            part: parts.length - 1,
            status: 'available',
          };
          seats.push(chartSeat);
          chartRow.seats.push(chartSeat);
          part.seats.push(chartSeat);
        }
        if (!long) break;
      }
      // The seats after a long row start a part of their own.
      if (long) part = undefined;
    }
    if (total > SEATS_PER_VIEW && size > SEATS_PER_VIEW) nameRowRuns(parts, sectionName);
  });
  const only = layout.sections.length === 1 ? layout.sections[0] : undefined;
  const implicit = !!only && only.name === '' && only.rows.length === 1 && only.rows[0]!.label === '';
  return { seats, byId: new Map(seats.map((seat) => [seat.id, seat])), parts, implicit, categories };
}

/** A section split over several parts: each run of whole rows is named by its rows ("Arena rows 1–40"). */
function nameRowRuns(parts: ChartPart[], sectionName: string): void {
  // A section whose only part of whole rows sits beside runs of a long row keeps its plain name.
  if (parts.filter((part) => part.name === sectionName).length < 2) return;
  for (const [i, part] of parts.entries()) {
    if (part.name !== sectionName) continue;
    const rows = part.sections[0]!.rows;
    const first = rows[0]!;
    const last = rows.at(-1)!;
    // Rows without labels (and a run of one row) are named by their seats instead of "rows –".
    const name =
      first.label && last.label && first !== last
        ? `rows ${first.label}–${last.label}`
        : first.label && first === last
          ? `row ${first.label}`
          : `seats ${first.seats[0]!.label}–${last.seats.at(-1)!.label}`;
    parts[i] = { ...part, name: `${sectionName} ${name}` };
  }
}

/** "A" to "Z", then "27", "28", ...: short enough for a seat button. */
function categoryMark(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : String(index + 1);
}

/** One character of `GET /v1/events/{id}/seat-status`: `a` available, `r` reserved; `h`, `o` and anything else taken. */
export function statusOf(char: string | undefined): SeatStatus {
  if (char === 'a') return 'available';
  if (char === 'r') return 'reserved';
  return 'held';
}

/** "Stalls row F seat 12"; "seat 12" in an event without sections and rows. */
export function placeName(seat: ChartSeat): string {
  return [seat.section, seat.row && `row ${seat.row}`, `seat ${seat.label}`].filter(Boolean).join(' ');
}

export const capitalized = (text: string): string => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** "seat 3", "seats 3, 4", "Stalls row A seats 1, 2 and Circle row B seat 7": seats of one row together. */
export function seatsNamed(list: ChartSeat[]): string {
  const sorted = [...list].sort((a, b) => a.index - b.index);
  const groups: { prefix: string; labels: string[] }[] = [];
  for (const seat of sorted) {
    const prefix = [seat.section, seat.row && `row ${seat.row}`].filter(Boolean).join(' ');
    const last = groups.at(-1);
    if (last && last.prefix === prefix) last.labels.push(seat.label);
    else groups.push({ prefix, labels: [seat.label] });
  }
  const named = groups.map(({ prefix, labels }) =>
    [prefix, `${labels.length === 1 ? 'seat' : 'seats'} ${labels.join(', ')}`].filter(Boolean).join(' '),
  );
  return named.length <= 1 ? (named[0] ?? '') : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
}

/**
 * ISO 4217 minor-unit exponents that are not 2 (the API's `amount` is in the currency's ISO 4217 minor units). Intl's
 * fraction digits are CLDR's display habits (ISK, HUF, ... shown without decimals), not the exponent, so they cannot
 * say what 100 means.
 */
// prettier-ignore
const MINOR_UNITS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

const formats = new Map<string, Intl.NumberFormat>();

/** A price in minor units as people read it: 8000 EUR → "€80.00", 8000 JPY → "¥8,000" (in the browser's locale). */
export function formatPrice(price: { amount: number; currency: string }): string {
  const digits = MINOR_UNITS[price.currency] ?? 2;
  let format = formats.get(price.currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, {
      style: 'currency',
      currency: price.currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formats.set(price.currency, format);
  }
  return format.format(price.amount / 10 ** digits);
}

/** Sums prices per currency: "€160.00" or "€80.00 + £20.00". */
export function formatTotals(prices: ({ amount: number; currency: string } | null)[]): string {
  const totals = new Map<string, number>();
  for (const price of prices) if (price) totals.set(price.currency, (totals.get(price.currency) ?? 0) + price.amount);
  return [...totals].map(([currency, amount]) => formatPrice({ currency, amount })).join(' + ');
}

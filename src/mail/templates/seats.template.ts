import { dateTime, money } from './format.js';
import type { Money, Reader } from './format.js';
import { facts, list, paragraph } from './message.js';
import type { Block } from './message.js';

export interface SeatLine {
  /** What the seat is called on the venue's plan ("Stalls, row C, seat 12"), or its id when the data has no label. */
  readonly label: string;
  readonly category: string | null;
  /** Price at the reservation; null when the category has none, or the data says nothing of prices. */
  readonly price: Money | null;
}

export interface SeatsFacts {
  readonly eventName: string;
  readonly startsAt: number | null;
  readonly seats: readonly SeatLine[];
  /** One total per currency, when the event data gives prices. */
  readonly totals: readonly Money[];
}

function seatItems(reader: Reader, seats: readonly SeatLine[]): string[] {
  return seats.map((seat) => {
    const parts = [seat.label, seat.category, seat.price && money(reader, seat.price)].filter(Boolean);
    return parts.join(', ');
  });
}

/** The event, its start and the seats with their prices and totals when known. */
export function seatBlocks(reader: Reader, seats: SeatsFacts): Block[] {
  const rows: [string, string][] = [['Event', seats.eventName]];
  if (seats.startsAt !== null) rows.push(['Starts', dateTime(reader, seats.startsAt)]);
  if (seats.totals.length > 0) rows.push(['Total', seats.totals.map((t) => money(reader, t)).join(' + ')]);
  return [
    facts(rows),
    paragraph(seats.seats.length === 1 ? 'Your seat:' : 'Your seats:'),
    list(seatItems(reader, seats.seats)),
  ];
}

export function seatReservation(reader: Reader, seats: SeatsFacts) {
  const count = seats.seats.length;
  return {
    subject: `Reserved: ${count === 1 ? '1 seat' : `${count} seats`} for ${seats.eventName}`,
    blocks: [paragraph('Your reservation is confirmed.'), ...seatBlocks(reader, seats)],
  };
}

export interface WaitlistOffer extends SeatsFacts {
  /** Until when the seats are held for the reader. */
  readonly expiresAt: number | null;
}

export function waitlistOffer(reader: Reader, offer: WaitlistOffer) {
  const count = offer.seats.length;
  const until =
    offer.expiresAt === null
      ? 'They are held for you for a limited time: reserve them before someone else gets the chance.'
      : `They are held for you until ${dateTime(reader, offer.expiresAt)}: reserve them before then, or they go to the ` +
        'next person waiting.';
  return {
    subject: `Seats for you: ${count === 1 ? '1 seat' : `${count} seats`} for ${offer.eventName}`,
    blocks: [paragraph('Seats you were waiting for became free.'), paragraph(until), ...seatBlocks(reader, offer)],
  };
}

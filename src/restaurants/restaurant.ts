import { DateTime, IANAZone } from 'luxon';
import type { AuthUser } from '../auth/auth-user.js';
import { PartyTooLargeError } from './restaurants.errors.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];

export interface OpeningHours {
  readonly day: Day;
  /** "HH:MM" local time. */
  readonly opens: string;
  /** "HH:MM" local time; earlier than `opens` means after midnight. */
  readonly closes: string;
}

export interface Restaurant {
  readonly id: string;
  readonly name: string;
  readonly timezone: string;
  readonly slotMinutes: number;
  readonly sittingMinutes: number;
  readonly openingHours: readonly OpeningHours[];
  readonly managerId: string;
  readonly createdAt: number;
}

export interface Table {
  readonly id: string;
  readonly name: string;
  readonly seats: number;
}

export interface Timeslot {
  readonly start: number;
  readonly end: number;
}

export function isTimezone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * The bookable start times of one local date: every slotMinutes from opening, as long as the whole sitting ends by
 * closing, that fall on that date in the restaurant's zone. Hours past midnight count for the date they fall on,
 * so the previous day's late opening contributes too. Stepping is in real time from the opening instant, so a
 * daylight-saving change makes the evening one slot shorter or longer, never produces a slot twice or at a
 * wall-clock time that does not exist.
 */
export function timeslotsOn(restaurant: Restaurant, date: string): Timeslot[] {
  const zone = restaurant.timezone;
  const day = DateTime.fromISO(date, { zone }).startOf('day');
  const slotMs = restaurant.slotMinutes * 60_000;
  const sittingMs = restaurant.sittingMinutes * 60_000;
  const starts = new Set<number>();
  for (const offset of [-1, 0]) {
    const opening = day.plus({ days: offset });
    const weekday = DAYS[opening.weekday - 1];
    for (const hours of restaurant.openingHours) {
      if (hours.day !== weekday) continue;
      const opensAt = minutesOf(hours.opens);
      const closesAt = minutesOf(hours.closes);
      const opens = opening.set({ hour: Math.floor(opensAt / 60), minute: opensAt % 60 });
      const closingDay = closesAt > opensAt ? opening : opening.plus({ days: 1 });
      const closes = closingDay.set({ hour: Math.floor(closesAt / 60), minute: closesAt % 60 });
      for (let t = opens.toMillis(); t + sittingMs <= closes.toMillis(); t += slotMs) {
        if (DateTime.fromMillis(t, { zone }).toISODate() === date) starts.add(t);
      }
    }
  }
  return [...starts].sort((a, b) => a - b).map((start) => ({ start, end: start + sittingMs }));
}

/** The local date (YYYY-MM-DD) of an instant in the restaurant's zone. */
export function localDate(restaurant: Restaurant, epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: restaurant.timezone }).toISODate()!;
}

/** [start, end) in epoch ms of a local date in the restaurant's zone (23 or 25 hours on DST days). */
export function dayBounds(restaurant: Restaurant, date: string): { from: number; to: number } {
  const day = DateTime.fromISO(date, { zone: restaurant.timezone }).startOf('day');
  return { from: day.toMillis(), to: day.plus({ days: 1 }).toMillis() };
}

/** ISO 8601 with the restaurant's offset, e.g. 2026-03-29T20:00:00+01:00. */
export function localIso(restaurant: Restaurant, epochMs: number): string {
  return DateTime.fromMillis(epochMs, { zone: restaurant.timezone }).toISO({ suppressMilliseconds: true })!;
}

/** Tables that seat the party, smallest first (then by name): the order in which a free table is chosen. */
export function tablesFor(tables: readonly Table[], partySize: number): Table[] {
  return tables
    .filter((t) => t.seats >= partySize)
    .sort((a, b) => a.seats - b.seats || a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/** The tables that seat the party, smallest first; a party no table seats is refused. */
export function fittingTables(tables: readonly Table[], partySize: number): Table[] {
  const fitting = tablesFor(tables, partySize);
  if (fitting.length === 0) throw new PartyTooLargeError(`No table of this restaurant seats ${partySize}`);
  return fitting;
}

/** Its manager and every admin manage a restaurant: its tables, hours and all its reservations. */
export function isManager(restaurant: Restaurant, user: AuthUser): boolean {
  return user.role === 'admin' || (user.role === 'manager' && restaurant.managerId === user.id);
}

import { dateTime } from './format.js';
import type { Reader } from './format.js';
import { facts, paragraph } from './message.js';

export type RestaurantChange = 'booked' | 'moved' | 'cancelled';

export interface RestaurantFacts {
  readonly change: RestaurantChange;
  readonly restaurantName: string;
  readonly start: number;
  readonly partySize: number | null;
}

const HEADLINES: Record<RestaurantChange, (name: string) => string> = {
  booked: (name) => `Table booked at ${name}`,
  moved: (name) => `Table moved at ${name}`,
  cancelled: (name) => `Table cancelled at ${name}`,
};

const INTRO: Record<RestaurantChange, string> = {
  booked: 'Your table is booked.',
  moved: 'Your table reservation has a new time.',
  cancelled: 'Your table reservation was cancelled.',
};

/** Times in the restaurant's own zone (the reader's Reader carries it), the zone named. */
export function restaurantMessage(reader: Reader, r: RestaurantFacts) {
  const rows: [string, string][] = [
    ['Restaurant', r.restaurantName],
    [r.change === 'moved' ? 'New time' : 'When', dateTime(reader, r.start)],
  ];
  if (r.partySize !== null) rows.push(['Party', `${r.partySize} ${r.partySize === 1 ? 'person' : 'people'}`]);
  return { subject: HEADLINES[r.change](r.restaurantName), blocks: [paragraph(INTRO[r.change]), facts(rows)] };
}

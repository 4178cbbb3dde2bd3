import { LuaScript } from '../redis/lua-scripts.js';
import type { ScriptCall } from '../redis/lua-scripts.js';
import { keys } from '../redis/keys.js';
import { encodeCategory, encodeSeatMeta } from './venue.codec.js';
import type { Venue } from './venue-layout.js';

/** The venue scripts (issue 19): names, KEYS and ARGV in their headers' order, and what their answers mean. */
const lua = new URL('./lua/', import.meta.url);

type AddVenueKeys = readonly [
  event: string,
  seatMeta: string,
  categories: string,
  layout: string,
  seatState: string,
  freeSeats: string,
  seats: string,
];
type AddVenueArgs = readonly [etag: string, chart: string, categoryId: string, category: string, ...seats: string[]];
export type AddVenueOutcome = 'added' | 'had-one' | 'no-event';

type ReadStatesKeys = readonly [seatState: string, seatSeq: string, seatLog: string, offers: string];
type ReadStatesReply = [seq: string, version: string, states?: string[], offers?: string[]];

type PriceKeys = readonly [categories: string];
type PriceArgs = readonly [categoryId: string, stored: string];

export const venueScripts = {
  /** The seat states with seq and version, or seq and version only when the caller has that version's states. */
  readStates: new LuaScript<ReadStatesKeys, readonly [knownVersion: string], ReadStatesReply>(
    'events:readSeatStates',
    lua,
    'read-seat-states-4.lua',
  ),
  /** The venue keys for an event stored before venues (the migration events-venue-1). */
  addVenue: new LuaScript<AddVenueKeys, AddVenueArgs, number, AddVenueOutcome>(
    'events:addVenue',
    lua,
    'add-venue-7.lua',
    {
      1: () => 'added',
      0: () => 'had-one',
      [-1]: () => 'no-event',
    },
  ),
  /** Whether the category existed and got its new price. */
  setPrice: new LuaScript<PriceKeys, PriceArgs, number, boolean>(
    'events:setCategoryPrice',
    lua,
    'set-category-price-1.lua',
    {
      1: () => true,
      0: () => false,
    },
  ),
};

export function readStatesArgs(
  eventId: string,
  knownVersion: string,
): ScriptCall<ReadStatesKeys, readonly [knownVersion: string]> {
  return [
    keys.seatState(eventId),
    keys.seatSeq(eventId),
    keys.seatLog(eventId),
    keys.seatOffers(eventId),
    knownVersion,
  ];
}

export function setPriceArgs(eventId: string, categoryId: string, stored: string): ScriptCall<PriceKeys, PriceArgs> {
  return [keys.eventCategories(eventId), categoryId, stored];
}

/** The migration's call for one numberOfSeats event: its implicit venue (one category). */
export function addVenueArgs(eventId: string, venue: Venue): ScriptCall<AddVenueKeys, AddVenueArgs> {
  const [category] = venue.layout.categories;
  return [
    keys.event(eventId),
    keys.seatMeta(eventId),
    keys.eventCategories(eventId),
    keys.eventLayout(eventId),
    keys.seatState(eventId),
    keys.freeSeats(eventId, category.id),
    keys.eventSeats(eventId),
    venue.etag,
    venue.document,
    category.id,
    encodeCategory(category),
    ...venue.seatIds.flatMap((seatId, i) => [seatId, encodeSeatMeta(venue.facts[i]), String(venue.facts[i].order)]),
  ];
}

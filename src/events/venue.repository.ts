import type { SeatStates } from './event.js';
import type { Category, Venue } from './venue-layout.js';
import type { AddVenueOutcome } from './venue.scripts.js';

/** Every seat's stored state and the event's change counter, read in one atomic step. */
export interface StatusSnapshot {
  /** null: the stored states are still those of the version the caller named (it has them). */
  readonly states: SeatStates | null;
  /** The sequence number of the latest seat change the states include (0: none yet). */
  readonly seq: number;
  /**
   * Names the stored states: the same version, the same states (every seat-state write is an announced change).
   * Opaque; never ''.
   */
  readonly version: string;
}

/** What changes about a venue besides its seats' states: the categories' current prices. */
export abstract class VenueRepository {
  /**
   * The seat states and the change counter together (one read-only script in the event's slot), so no change falls
   * between; when the stored states are still those of `knownVersion`, without them (one round trip either way).
   */
  abstract statusSnapshot(eventId: string, knownVersion?: string): Promise<StatusSnapshot>;

  /** The event's categories with their current prices, by id (empty: the venue is not migrated yet). */
  abstract categories(eventId: string): Promise<Map<string, Category>>;

  /** Sets a category's current price in one step; false when the event has no such category stored. */
  abstract setPrice(eventId: string, category: Category): Promise<boolean>;

  /** The event's seat ids in layout order (empty: no such event). */
  abstract seatIdsOf(eventId: string): Promise<string[]>;

  /**
   * Writes the venue keys of an event stored before venues, in one step with its free index (the seats that have no
   * seat-state entry); nothing when the event has them already. Safe to repeat and to run from several instances.
   */
  abstract addVenue(eventId: string, venue: Venue): Promise<AddVenueOutcome>;

  abstract isMigrated(name: string): Promise<boolean>;
  abstract markMigrated(name: string, at: number): Promise<void>;
}

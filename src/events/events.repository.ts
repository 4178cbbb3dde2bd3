import type { EventRecord, SeatingPlan } from './event.js';
import type { Venue } from './venue-layout.js';

export interface EventPage {
  readonly events: EventRecord[];
  /** Opaque position after the last event, or null at the end. */
  readonly next: string | null;
}

/** Events and their seats. */
export abstract class EventsRepository {
  /**
   * Stores the event with its seats, their facts, its categories, its chart and its free index (every seat free) in
   * one atomic step, then lists it.
   */
  abstract create(event: EventRecord, venue: Venue): Promise<void>;

  /** The event and its seats, or null. May answer from a process cache: an event never changes once created. */
  abstract findPlan(eventId: string): Promise<SeatingPlan | null>;

  /** Newest first, after the given position. */
  abstract list(after: string | null, limit: number): Promise<EventPage>;
}

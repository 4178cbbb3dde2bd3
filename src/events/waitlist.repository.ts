import type { WaitlistEntry } from './waitlist.codec.js';

export type JoinOutcome =
  | { readonly outcome: 'joined'; readonly position: number }
  | { readonly outcome: 'seats-free'; readonly free: number }
  | { readonly outcome: 'already'; readonly position: number }
  | { readonly outcome: 'unknown-category' }
  | { readonly outcome: 'started' }
  | { readonly outcome: 'limit'; readonly liveHolds: number };

export interface JoinRequest {
  readonly entryId: string;
  readonly userId: string;
  readonly quantity: number;
  /** null: any seat of the event. */
  readonly categoryId: string | null;
  /** MAX_HOLDS_PER_USER: joining is refused when the user's live holds plus `quantity` would exceed it. */
  readonly maxHolds: number;
}

/** A user's place in an event's line. */
export interface WaitlistPlace extends WaitlistEntry {
  readonly eventId: string;
  readonly entryId: string;
  /** 1 for the first in line. */
  readonly position: number;
}

/**
 * The waiting lines of events, in each event's slot. Joining and leaving are one step each; offers are made by the
 * seat scripts that free seats (SeatsRepository), which take the entry out of the line in the same step.
 */
export abstract class WaitlistRepository {
  /**
   * Puts the user in the event's line, only while the category (or the event, with no category) has fewer than
   * `quantity` free seats and the user is not in it already; before startsAt. Joining again with the same entry id
   * (a re-sent command) answers the same place.
   */
  abstract join(eventId: string, request: JoinRequest, now: number, startsAt: number | null): Promise<JoinOutcome>;

  /** The seats of the event offered to the user whose offer has not lapsed (they may have been reserved since). */
  abstract offeredTo(eventId: string, userId: string, now: number): Promise<string[]>;

  /** Takes the user out of the event's line; false when they were not in it. */
  abstract leave(eventId: string, userId: string): Promise<boolean>;

  /** The user's places in lines across events, in the order they joined. */
  abstract placesOf(userId: string): Promise<WaitlistPlace[]>;

  /** How many wait in the event's line per category ('' : for any seat of the event). */
  abstract lengths(eventId: string): Promise<Map<string, number>>;
}

/**
 * What an email needs that an event's data may not carry, read from the owning modules when the email is written:
 * names (an event's, a restaurant's, a provider's), an event's start and a restaurant's time zone. The current
 * values: an event's data says what changed, these say what it is called.
 */
export abstract class MailFacts {
  abstract event(eventId: string): Promise<{ readonly name: string; readonly startsAt: number | null } | null>;
  /** Where each seat is on the event's plan and its category's name; an id the plan lacks is left out. */
  abstract seats(eventId: string, seatIds: readonly string[]): Promise<ReadonlyMap<string, SeatPlace>>;
  abstract restaurant(restaurantId: string): Promise<{ readonly name: string; readonly timeZone: string } | null>;
  abstract userName(userId: string): Promise<string | null>;
}

/** A seat as the event's plan names it: "Stalls, row F, seat 12", or "Seat 12" for a numberOfSeats event. */
export interface SeatPlace {
  readonly label: string;
  readonly categoryName: string | null;
}

/**
 * What an email needs that an event's data may not carry, read from the owning modules when the email is written:
 * names (an event's, a restaurant's, a provider's), an event's start and a restaurant's time zone. The current
 * values: an event's data says what changed, these say what it is called.
 */
export abstract class MailFacts {
  abstract event(eventId: string): Promise<{ readonly name: string; readonly startsAt: number | null } | null>;
  abstract restaurant(restaurantId: string): Promise<{ readonly name: string; readonly timeZone: string } | null>;
  abstract userName(userId: string): Promise<string | null>;
}

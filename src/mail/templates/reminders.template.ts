import { dateTime } from './format.js';
import type { Reader } from './format.js';
import { facts, paragraph } from './message.js';

export interface ReminderFacts {
  readonly kind: 'booking' | 'appointment' | 'restaurant';
  /** What is coming up: the booking's title, "Your appointment with …", "Your table at …". */
  readonly subject: string;
  readonly start: number;
  /** Where, when known (the restaurant's name, the provider's). */
  readonly place: string | null;
}

export function reminderMessage(reader: Reader, r: ReminderFacts) {
  const rows: [string, string][] = [['When', dateTime(reader, r.start)]];
  if (r.place !== null) rows.unshift([r.kind === 'appointment' ? 'With' : 'Where', r.place]);
  return {
    subject: `Reminder: ${r.subject}, ${dateTime(reader, r.start)}`,
    blocks: [paragraph(`A reminder: ${r.subject} is coming up.`), facts(rows)],
  };
}

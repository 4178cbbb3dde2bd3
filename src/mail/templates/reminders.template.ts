import { dateTime } from './format.js';
import type { Reader } from './format.js';
import { facts, paragraph } from './message.js';

export interface ReminderFacts {
  readonly kind: 'booking' | 'appointment' | 'restaurant';
  /** What is coming up, never how long until it ("Dentist", "Your appointment", "Your table at …"): `start` says when. */
  readonly subject: string;
  readonly start: number;
  /** Where or with whom, when known (the restaurant's name, the provider's). */
  readonly place: string | null;
}

export function reminderMessage(reader: Reader, r: ReminderFacts) {
  const rows: [string, string][] = [
    ['What', r.subject],
    ['When', dateTime(reader, r.start)],
  ];
  if (r.place !== null) rows.push([r.kind === 'appointment' ? 'With' : 'Where', r.place]);
  return {
    subject: `Reminder: ${r.subject}, ${dateTime(reader, r.start)}`,
    blocks: [paragraph('A reminder of what you booked:'), facts(rows)],
  };
}

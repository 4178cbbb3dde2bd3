import { dateTime, time } from './format.js';
import type { Reader } from './format.js';
import { facts, paragraph } from './message.js';

export type AppointmentChange = 'reserved' | 'confirmed' | 'expired' | 'cancelled';

export interface AppointmentFacts {
  readonly change: AppointmentChange;
  readonly providerName: string;
  readonly start: number;
  readonly end: number | null;
  /** Until when a reserved appointment is held for the client to confirm it (it lapses then). */
  readonly expiresAt: number | null;
}

const HEADLINES: Record<AppointmentChange, (reader: Reader, a: AppointmentFacts) => string> = {
  reserved: (reader, a) =>
    `Appointment held with ${a.providerName}: ` +
    (a.expiresAt === null ? 'confirm it to keep it' : `confirm by ${dateTime(reader, a.expiresAt)}`),
  confirmed: (_, a) => `Appointment confirmed with ${a.providerName}`,
  expired: (_, a) => `Appointment lapsed unconfirmed: ${a.providerName}`,
  cancelled: (_, a) => `Appointment cancelled: ${a.providerName}`,
};

function explanation(reader: Reader, a: AppointmentFacts): string {
  switch (a.change) {
    case 'reserved':
      // The client confirms (confirm-appointment-*.lua refuses anyone else); an unconfirmed hold lapses.
      return a.expiresAt === null
        ? 'This time is held for you. Confirm the appointment to keep it; unconfirmed, it lapses.'
        : `This time is held for you until ${dateTime(reader, a.expiresAt)}. Confirm the appointment before then, ` +
            'or it lapses and the time is free again.';
    case 'confirmed':
      return 'Your appointment is confirmed.';
    case 'expired':
      return 'You did not confirm the appointment in time, so it has lapsed and the time is free again. You may reserve another.';
    case 'cancelled':
      return 'Your appointment was cancelled.';
  }
}

export function appointmentMessage(reader: Reader, a: AppointmentFacts) {
  const when = dateTime(reader, a.start) + (a.end === null ? '' : `, until ${time(reader, a.end)}`);
  return {
    subject: HEADLINES[a.change](reader, a),
    blocks: [
      paragraph(explanation(reader, a)),
      facts([
        ['With', a.providerName],
        ['When', when],
      ]),
    ],
  };
}

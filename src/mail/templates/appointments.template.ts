import { dateTime, time } from './format.js';
import type { Reader } from './format.js';
import { facts, paragraph } from './message.js';

export type AppointmentChange = 'reserved' | 'confirmed' | 'expired' | 'cancelled';

export interface AppointmentFacts {
  readonly change: AppointmentChange;
  readonly providerName: string;
  readonly start: number;
  readonly end: number | null;
  /** Until when a reserved appointment waits for the provider's confirmation. */
  readonly expiresAt: number | null;
}

const HEADLINES: Record<AppointmentChange, (a: AppointmentFacts) => string> = {
  reserved: (a) => `Appointment requested with ${a.providerName}`,
  confirmed: (a) => `Appointment confirmed with ${a.providerName}`,
  expired: (a) => `Appointment request expired: ${a.providerName}`,
  cancelled: (a) => `Appointment cancelled: ${a.providerName}`,
};

function explanation(reader: Reader, a: AppointmentFacts): string {
  switch (a.change) {
    case 'reserved':
      return a.expiresAt === null
        ? 'Your appointment is reserved and waits for the provider to confirm it.'
        : `Your appointment is reserved and waits for the provider to confirm it until ${dateTime(reader, a.expiresAt)}.`;
    case 'confirmed':
      return 'Your appointment is confirmed.';
    case 'expired':
      return 'Your reservation was not confirmed in time and has lapsed; the time is free again. You may reserve another.';
    case 'cancelled':
      return 'Your appointment was cancelled.';
  }
}

export function appointmentMessage(reader: Reader, a: AppointmentFacts) {
  const when = dateTime(reader, a.start) + (a.end === null ? '' : `, until ${time(reader, a.end)}`);
  return {
    subject: HEADLINES[a.change](a),
    blocks: [
      paragraph(explanation(reader, a)),
      facts([
        ['With', a.providerName],
        ['When', when],
      ]),
    ],
  };
}

import { iso } from '../ops/integrity.js';
import type { Finding } from '../ops/integrity.js';
import { keys } from '../redis/keys.js';
import {
  clientAppointmentMember,
  encodeAppointmentRef,
  encodeSlotState,
  parseAppointmentRef,
  parseClientAppointmentMember,
  parseProviderAppointmentMember,
  parseSlotState,
  providerAppointmentMember,
} from './appointments.codec.js';
import type { AppointmentsInvariant, AppointmentsReader as Reader } from './appointments.integrity.js';

type Findings = Finding<AppointmentsInvariant>[];

/** One appointment: its slot state, its provider's index, and the lookups in other slots that name it. */
export async function appointment(r: Reader, providerId: string, appointmentId: string): Promise<Findings> {
  const key = keys.appointment(providerId, appointmentId);
  const a = await r.redis.hgetall(key);
  // Gone since the scan saw it (appointments are never deleted, but a key may be removed by hand).
  if (!a.id) return [];
  const start = Number(a.start);
  const member = providerAppointmentMember(start, appointmentId);
  const [stateValue, listed] = (await r.atomically((m) =>
    m.hget(keys.providerSlotState(providerId), a.slotId).zscore(keys.providerAppointments(providerId), member),
  )) as [string | null, string | null];
  const out: Findings = [];
  if (listed === null) {
    out.push(
      r.finding(
        'provider-appointments-missing',
        [key, keys.providerAppointments(providerId)],
        `appointment ${appointmentId} (${iso(start)}) is not in the provider's index`,
      ),
    );
  }
  const expiresAt = Number(a.expiresAt);
  const holding = a.status === 'confirmed' || (a.status === 'pending' && r.live(expiresAt));
  if (holding) {
    const state = stateValue === null ? null : parseSlotState(stateValue);
    const own =
      stateValue ===
      encodeSlotState(
        a.status === 'confirmed'
          ? { kind: 'confirmed', clientId: a.clientId, appointmentId }
          : { kind: 'pending', clientId: a.clientId, expiresAt, appointmentId },
      );
    if (!own) {
      const other =
        state && state.appointmentId !== appointmentId && (state.kind === 'confirmed' || r.live(state.expiresAt));
      const what = a.status === 'confirmed' ? 'confirmed' : `pending until ${iso(expiresAt)}`;
      out.push(
        r.finding(
          other ? 'appointment-slot-conflict' : 'appointment-slot-state-mismatch',
          [key, keys.providerSlotState(providerId)],
          `appointment ${appointmentId} of ${a.clientId} is ${what} on slot ${a.slotId}, whose state is ${stateValue === null ? 'open' : `"${stateValue}"`}`,
        ),
      );
    }
  }
  // Lookups in other slots, written after the provider's script.
  const ref = { providerId, appointmentId };
  const [owner, inClientIndex, due] = await Promise.all([
    r.redis.get(keys.appointmentOwner(appointmentId)),
    r.redis.zscore(keys.clientAppointments(a.clientId), clientAppointmentMember(start, ref)),
    a.status === 'pending' && r.live(expiresAt)
      ? r.redis.zscore(keys.pendingAppointments(), encodeAppointmentRef(ref))
      : 'not needed',
  ]);
  if (due === null) {
    out.push(
      r.finding(
        'pending-appointments-missing',
        [key, keys.pendingAppointments()],
        `appointment ${appointmentId} is pending until ${iso(expiresAt)}, but its lapse would never be announced`,
      ),
    );
  }
  if (owner !== providerId) {
    out.push(
      r.finding(
        'appointment-owner-missing',
        [key, keys.appointmentOwner(appointmentId)],
        `appointment ${appointmentId} of provider ${providerId} has ${owner === null ? 'no owner lookup' : `owner lookup ${owner}`}`,
      ),
    );
  }
  if (inClientIndex === null) {
    out.push(
      r.finding(
        'client-appointments-missing',
        [key, keys.clientAppointments(a.clientId)],
        `appointment ${appointmentId} (${iso(start)}) is not in the index of its client ${a.clientId}`,
      ),
    );
  }
  return out;
}

export async function providerAppointments(r: Reader, providerId: string): Promise<Findings> {
  const indexKey = keys.providerAppointments(providerId);
  const out: Findings = [];
  for await (const page of r.zpages(indexKey)) {
    const entries = page.map(([member]) => ({ member, ...parseProviderAppointmentMember(member) }));
    const rows = (await r.atomically((m) => {
      for (const e of entries) m.hget(keys.appointment(providerId, e.appointmentId), 'start');
    })) as (string | null)[];
    entries.forEach((e, i) => {
      if (rows[i] === null || Number(rows[i]) !== e.start) {
        out.push(
          r.finding(
            'provider-appointments-orphan',
            [indexKey, keys.appointment(providerId, e.appointmentId)],
            `entry ${e.member}: ${rows[i] === null ? 'the appointment does not exist' : `the appointment starts at ${iso(Number(rows[i]))}`}`,
          ),
        );
      }
    });
  }
  return out;
}

export async function pendingOf(r: Reader, providerId: string, clientId: string): Promise<Findings> {
  const indexKey = keys.clientPendingWith(providerId, clientId);
  const out: Findings = [];
  for await (const page of r.zpages(indexKey)) {
    const rows = (await r.atomically((m) => {
      for (const [id] of page) m.hmget(keys.appointment(providerId, id), 'clientId', 'status', 'expiresAt');
    })) as (string | null)[][];
    page.forEach(([id, until], i) => {
      const [owner, status, expiresAt] = rows[i];
      const problem =
        status === null
          ? 'the appointment does not exist'
          : owner !== clientId
            ? `the appointment is ${owner}'s`
            : status !== 'pending'
              ? `the appointment is ${status}`
              : Number(expiresAt) !== until
                ? `the appointment expires at ${iso(Number(expiresAt))}`
                : null;
      if (problem) {
        out.push(
          r.finding(
            'pending-of-orphan',
            [indexKey, keys.appointment(providerId, id)],
            `entry ${id} until ${iso(until)}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

/** The registry the expiry announcer claims from: every entry's appointment exists, and is due when it lapses. */
export async function pendingAppointments(r: Reader): Promise<Findings> {
  const registry = keys.pendingAppointments();
  const out: Findings = [];
  for await (const page of r.zpages(registry)) {
    const refs = page.map(([member]) => parseAppointmentRef(member));
    // Each appointment lives in its provider's slot: one command per entry.
    const rows = await Promise.all(
      refs.map((ref) => r.redis.hmget(keys.appointment(ref.providerId, ref.appointmentId), 'status', 'expiresAt')),
    );
    page.forEach(([member, due], i) => {
      const [status, expiresAt] = rows[i];
      if (status === null) {
        out.push(r.finding('pending-appointments-orphan', [registry], `entry ${member}: no such appointment`));
      } else if (status === 'pending' && Number(expiresAt) !== due) {
        // Confirmed and cancelled ones are dropped when claimed; a pending one must be claimed when it lapses.
        out.push(
          r.finding(
            'pending-appointments-mismatch',
            [registry, keys.appointment(refs[i].providerId, refs[i].appointmentId)],
            `entry ${member} is due at ${iso(due)}, but the appointment lapses at ${iso(Number(expiresAt))}`,
          ),
        );
      }
    });
  }
  return out;
}

export async function clientAppointments(r: Reader, clientId: string): Promise<Findings> {
  const indexKey = keys.clientAppointments(clientId);
  const out: Findings = [];
  for await (const page of r.zpages(indexKey)) {
    const refs = page.map(([member]) => ({ member, ...parseClientAppointmentMember(member) }));
    const rows = await Promise.all(
      refs.map((ref) => r.redis.hmget(keys.appointment(ref.providerId, ref.appointmentId), 'clientId', 'start')),
    );
    refs.forEach((ref, i) => {
      const [owner, start] = rows[i];
      const problem =
        owner === null
          ? 'the appointment does not exist'
          : owner !== clientId
            ? `the appointment is ${owner}'s`
            : Number(start) !== ref.start
              ? `the appointment starts at ${iso(Number(start))}`
              : null;
      if (problem) {
        out.push(
          r.finding(
            'client-appointments-orphan',
            [indexKey, keys.appointment(ref.providerId, ref.appointmentId)],
            `entry ${ref.member}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

export async function appointmentOwner(r: Reader, appointmentId: string): Promise<Findings> {
  const key = keys.appointmentOwner(appointmentId);
  const providerId = await r.redis.get(key);
  if (providerId === null) return [];
  if (await r.exists(keys.appointment(providerId, appointmentId))) return [];
  return [
    r.finding(
      'appointment-owner-orphan',
      [key, keys.appointment(providerId, appointmentId)],
      `appointment ${appointmentId} is said to be provider ${providerId}'s, who has no such appointment`,
    ),
  ];
}

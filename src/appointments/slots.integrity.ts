import { iso } from '../ops/integrity.js';
import type { Finding } from '../ops/integrity.js';
import { keys } from '../redis/keys.js';
import { parseSlotState, parseSlotTimes } from './appointments.codec.js';
import type { AppointmentsInvariant, AppointmentsReader as Reader } from './appointments.integrity.js';
import { unlistedOpenSlots } from './open-slots.integrity.js';

type Findings = Finding<AppointmentsInvariant>[];

/** Each slot state names an existing appointment of that client on that slot, in the state it says. */
export async function slotStates(r: Reader, providerId: string): Promise<Findings> {
  const stateKey = keys.providerSlotState(providerId);
  const out: Findings = [];
  for await (const page of r.hpages(stateKey)) {
    const states = page.map(([slotId, value]) => ({ slotId, value, state: parseSlotState(value) }));
    const rows = (await r.atomically((m) => {
      for (const { slotId, state } of states) {
        m.hexists(keys.providerSlotTimes(providerId), slotId);
        m.hmget(keys.appointment(providerId, state?.appointmentId ?? ''), 'slotId', 'clientId', 'status', 'expiresAt');
      }
    })) as (number | (string | null)[])[];
    states.forEach(({ slotId, value, state }, i) => {
      const slotExists = rows[2 * i] === 1;
      const [apptSlot, clientId, status, expiresAt] = rows[2 * i + 1] as (string | null)[];
      const problem = !state
        ? 'the state cannot be read'
        : !slotExists
          ? 'the slot does not exist'
          : status === null
            ? `appointment ${state.appointmentId} does not exist`
            : apptSlot !== slotId || clientId !== state.clientId
              ? `appointment ${state.appointmentId} is ${clientId}'s on slot ${apptSlot}`
              : state.kind === 'confirmed' && status !== 'confirmed'
                ? `appointment ${state.appointmentId} is ${status}`
                : state.kind === 'pending' && (status !== 'pending' || Number(expiresAt) !== state.expiresAt)
                  ? `appointment ${state.appointmentId} is ${status}${status === 'pending' ? ` until ${iso(Number(expiresAt))}` : ''}`
                  : null;
      if (problem) {
        out.push(
          r.finding(
            'slot-state-orphan',
            [stateKey, keys.appointment(providerId, state?.appointmentId ?? '')],
            `slot ${slotId} is "${value}", but ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

/** `{provider}:slots` (id -> start) against slot-times, and its open slots against `{slots}:open`. */
export async function providerSlots(r: Reader, providerId: string): Promise<Findings> {
  const slotsKey = keys.providerSlots(providerId);
  const timesKey = keys.providerSlotTimes(providerId);
  const out: Findings = [];
  for await (const page of r.zpages(slotsKey)) {
    const times = await r.redis.hmget(timesKey, ...page.map(([id]) => id));
    page.forEach(([id, start], i) => {
      const stored = times[i];
      if (stored === null || parseSlotTimes(stored).start !== start) {
        out.push(
          r.finding(
            'provider-slot-index-mismatch',
            [slotsKey, timesKey],
            `slot ${id} at ${iso(start)} has ${stored === null ? 'no times' : `times "${stored}"`}`,
          ),
        );
      }
    });
    out.push(...(await unlistedOpenSlots(r, providerId, page)));
  }
  return out;
}

/** slot-times (id -> start and end) against slots and slot-starts, and every slot has its owner lookup. */
export async function providerSlotTimes(r: Reader, providerId: string): Promise<Findings> {
  const timesKey = keys.providerSlotTimes(providerId);
  const out: Findings = [];
  for await (const page of r.hpages(timesKey)) {
    const starts = page.map(([, times]) => String(parseSlotTimes(times).start));
    const rows = (await r.atomically((m) => {
      page.forEach(([id], i) =>
        m.zscore(keys.providerSlots(providerId), id).hget(keys.providerSlotStarts(providerId), starts[i]),
      );
    })) as (string | null)[];
    const owners = await Promise.all(page.map(([id]) => r.redis.get(keys.slotOwner(id))));
    page.forEach(([id, times], i) => {
      const start = starts[i];
      const [listedAt, atStart] = [rows[2 * i], rows[2 * i + 1]];
      if (listedAt !== start || atStart !== id) {
        out.push(
          r.finding(
            'provider-slot-index-mismatch',
            [timesKey, keys.providerSlots(providerId), keys.providerSlotStarts(providerId)],
            `slot ${id} "${times}": slots has ${listedAt === null ? 'no entry' : `it at ${listedAt}`}, slot-starts names ${atStart ?? 'nothing'} at ${start}`,
          ),
        );
      }
      if (owners[i] !== providerId) {
        out.push(
          r.finding(
            'slot-owner-missing',
            [timesKey, keys.slotOwner(id)],
            `slot ${id} of provider ${providerId} has ${owners[i] === null ? 'no owner lookup' : `owner lookup ${owners[i]}`}`,
          ),
        );
      }
    });
  }
  return out;
}

export async function providerSlotStarts(r: Reader, providerId: string): Promise<Findings> {
  const startsKey = keys.providerSlotStarts(providerId);
  const timesKey = keys.providerSlotTimes(providerId);
  const out: Findings = [];
  for await (const page of r.hpages(startsKey)) {
    const times = await r.redis.hmget(timesKey, ...page.map(([, id]) => id));
    page.forEach(([start, id], i) => {
      const stored = times[i];
      if (stored === null || String(parseSlotTimes(stored).start) !== start) {
        out.push(
          r.finding(
            'provider-slot-index-mismatch',
            [startsKey, timesKey],
            `start ${start} names slot ${id}, which has ${stored === null ? 'no times' : `times "${stored}"`}`,
          ),
        );
      }
    });
  }
  return out;
}

export async function slotOwner(r: Reader, slotId: string): Promise<Findings> {
  const key = keys.slotOwner(slotId);
  const providerId = await r.redis.get(key);
  if (providerId === null) return [];
  if (await r.redis.hexists(keys.providerSlotTimes(providerId), slotId)) return [];
  return [
    r.finding(
      'slot-owner-orphan',
      [key, keys.providerSlotTimes(providerId)],
      `slot ${slotId} is said to be provider ${providerId}'s, who has no such slot`,
    ),
  ];
}

import type { Finding } from '../ops/integrity.js';
import { iso } from '../ops/integrity.js';
import { keys } from '../redis/keys.js';
import { openSlotMember, parseOpenSlotMember, parseSlotState, parseSlotTimes } from './appointments.codec.js';
import type { AppointmentsInvariant, AppointmentsReader as Reader } from './appointments.integrity.js';

type Findings = Finding<AppointmentsInvariant>[];

/**
 * `{slots}:open` lists no slot that is surely not open: every entry of a slot still to start names an existing slot
 * of that provider at that start, neither confirmed nor held by a live pending reservation. (Entries of started slots
 * are left to the sweeper's pruning; an entry of a lapsed reservation's slot is right: the slot is open.)
 */
export async function openSlotsIndex(r: Reader): Promise<Findings> {
  const indexKey = keys.openSlots();
  const out: Findings = [];
  for await (const page of r.zpages(indexKey)) {
    const entries = page.map(([member]) => ({ member, ...parseOpenSlotMember(member) })).filter((e) => r.live(e.start));
    // One read per entry and key, issued together: each provider is in its own slot.
    const rows = await Promise.all(
      entries.map((e) =>
        Promise.all([
          r.redis.hget(keys.providerSlotTimes(e.providerId), e.slotId),
          r.redis.hget(keys.providerSlotState(e.providerId), e.slotId),
        ]),
      ),
    );
    entries.forEach((e, i) => {
      const [times, stateValue] = rows[i];
      const state = stateValue === null ? undefined : parseSlotState(stateValue);
      const problem =
        times === null
          ? 'the slot does not exist'
          : parseSlotTimes(times).start !== e.start
            ? `the slot is at "${times}"`
            : state?.kind === 'confirmed'
              ? `it is confirmed (appointment ${state.appointmentId})`
              : state?.kind === 'pending' && r.live(state.expiresAt)
                ? `it is held until ${iso(state.expiresAt)} (appointment ${state.appointmentId})`
                : null;
      if (problem) {
        out.push(
          r.finding(
            'open-slots-orphan',
            [indexKey, keys.providerSlotTimes(e.providerId), keys.providerSlotState(e.providerId)],
            `entry ${e.member}: ${problem}`,
          ),
        );
      }
    });
  }
  return out;
}

/**
 * How long after its lapse a reservation's slot may be missing from the index: the appointments' sweeper lists it
 * again within APPOINTMENT_SWEEP_INTERVAL_MS, at most a minute.
 */
const RELIST_GRACE_MS = 60_000;

/**
 * A page of a provider's slots (id, start): those still to start and free are in `{slots}:open`. Free: no state (never
 * reserved, or cancelled), or a pending reservation that lapsed more than RELIST_GRACE_MS ago. Two commands per page
 * of slots, so the check's cost stays bounded by the slots it reads anyway.
 */
export async function unlistedOpenSlots(r: Reader, providerId: string, page: [string, number][]): Promise<Findings> {
  const future = page.filter(([, start]) => r.live(start));
  if (future.length === 0) return [];
  const states = await r.redis.hmget(keys.providerSlotState(providerId), ...future.map(([id]) => id));
  const free = future.filter((_, i) => {
    const value = states[i];
    if (value === null) return true;
    const state = parseSlotState(value);
    return state?.kind === 'pending' && !r.live(state.expiresAt + RELIST_GRACE_MS);
  });
  if (free.length === 0) return [];
  const scores = await r.redis.zmscore(
    keys.openSlots(),
    ...free.map(([id, start]) => openSlotMember(start, providerId, id)),
  );
  return free
    .filter((_, i) => scores[i] === null)
    .map(([id, start]) =>
      r.finding(
        'open-slots-missing',
        [keys.providerSlots(providerId), keys.openSlots()],
        `slot ${id} at ${iso(start)} is open and not listed`,
      ),
    );
}

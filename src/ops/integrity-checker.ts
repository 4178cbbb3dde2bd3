import { fingerprintOf } from '../bookings/booking.js';
import type { Booking } from '../bookings/booking.js';
import type { RedisClient } from '../redis/redis-client.js';
import { keys, sortableTime } from '../redis/keys.js';
import { scanKeys } from '../redis/scan-keys.js';
import { INVARIANT_NAMES } from './invariants.js';
import type { Finding, Invariant } from './invariants.js';

export interface IntegrityCheckOptions {
  /** The time holds and pending appointments are judged at (ms); the service's clock. Default: Date.now. */
  readonly now?: () => number;
  /**
   * A hold or pending appointment counts as live only when it ends more than this after `now`: the instances that
   * wrote the data run on their own clocks (kept in sync by NTP, see docs/architecture.md).
   */
  readonly clockToleranceMs?: number;
  /**
   * How long a suspicious key is left alone before it is read again. Writes that span several keys (a script, then
   * the lookups in other slots) are briefly half done on a live system; only what is still wrong after this is
   * reported.
   */
  readonly settleMs?: number;
  /** How many keys are checked at once. */
  readonly concurrency?: number;
}

export interface IntegrityReport {
  readonly findings: Finding[];
  /** Findings per invariant, every invariant present (0 when clean). */
  readonly counts: Record<Invariant, number>;
  readonly keysScanned: number;
  readonly durationMs: number;
}

/** Entries read per command (ZRANGE, HSCAN): no single read holds Redis up, whatever the size of a key. */
const PAGE = 500;
/**
 * Entries checked together (their lookups sent at once): small enough that building the commands and parsing the
 * answers never holds this process's event loop for long, which matters when the check runs inside the API.
 */
const BATCH = 100;

function* slices<T>(items: T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

type Multi = ReturnType<RedisClient['multi']>;
type Check = (ids: string[]) => Promise<Finding[]>;

interface Suspect {
  readonly key: string;
  readonly check: () => Promise<Finding[]>;
  readonly findings: Finding[];
  readonly at: number;
}

const SEAT_STATE = /^([HR])\|([^|]+)\|(\d+)$/;
type SeatState = { kind: 'H' | 'R'; userId: string; time: number };
function seatState(value: string | null | undefined): SeatState | null | undefined {
  if (value === null || value === undefined) return null;
  const m = SEAT_STATE.exec(value);
  return m ? { kind: m[1] as 'H' | 'R', userId: m[2], time: Number(m[3]) } : undefined;
}
function describeSeat(state: SeatState | null | undefined): string {
  if (state === null) return 'available';
  if (state === undefined) return 'unreadable';
  return `${state.kind === 'H' ? 'held' : 'reserved'} by ${state.userId} ${state.kind === 'H' ? 'until' : 'at'} ${iso(state.time)}`;
}

type SlotState = { kind: 'P' | 'C'; clientId: string; expiresAt: number | null; appointmentId: string };
function slotState(value: string | null | undefined): SlotState | null | undefined {
  if (value === null || value === undefined) return null;
  const pending = /^P\|([^|]+)\|(\d+)\|(.+)$/.exec(value);
  if (pending) return { kind: 'P', clientId: pending[1], expiresAt: Number(pending[2]), appointmentId: pending[3] };
  const confirmed = /^C\|([^|]+)\|(.+)$/.exec(value);
  if (confirmed) return { kind: 'C', clientId: confirmed[1], expiresAt: null, appointmentId: confirmed[2] };
  return undefined;
}

const iso = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : String(ms));
const refOf = (member: string) => member.slice(member.indexOf(':') + 1);
const timeOf = (member: string) => Number(member.slice(0, member.indexOf(':')));

function parseBooking(json: string | null): Booking | null | undefined {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Booking;
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Scans a live Redis for broken invariants of the data layout (docs/architecture.md, docs/operations.md). Every key
 * of the prefix is visited once through SCAN; each kind of key has a check that reads it in pages and looks up what
 * its entries point to (in its own hash slot with MULTI, elsewhere with single commands, so it works on Redis Cluster).
 * A key whose check finds something is checked again after `settleMs`, and only findings seen both times are
 * reported: a write in progress is not a broken invariant. Read only: it never changes anything.
 */
export class IntegrityChecker {
  private readonly prefix: string;
  private readonly now: () => number;
  private readonly toleranceMs: number;
  private readonly settleMs: number;
  private readonly concurrency: number;
  /** Key kinds by the shape of their name (without the prefix); the first match wins. */
  private readonly routes: [RegExp, Check][];
  /** Keys the running (or last) check has seen so far: progress for long scans. One run at a time per instance. */
  keysScanned = 0;

  constructor(
    private readonly redis: RedisClient,
    options: IntegrityCheckOptions = {},
  ) {
    this.prefix = redis.options.keyPrefix ?? '';
    this.now = options.now ?? Date.now;
    this.toleranceMs = options.clockToleranceMs ?? 1000;
    this.settleMs = options.settleMs ?? 1000;
    this.concurrency = options.concurrency ?? 8;
    const id = '([^{}]+)';
    this.routes = [
      [new RegExp(`^\\{event:${id}\\}:seat-state$`), ([e]) => this.seatStates(e)],
      [new RegExp(`^\\{event:${id}\\}:holds-of:(.+)$`), ([e, u]) => this.holdsOf(e, u)],
      [new RegExp(`^\\{event:${id}\\}:hold-expiries$`), ([e]) => this.holdExpiries(e)],
      [/^\{holds\}:expiring-events$/, () => this.expiringEvents()],
      [new RegExp(`^\\{user:${id}\\}:hold-events$`), ([u]) => this.userHoldEvents(u)],
      [new RegExp(`^\\{user:${id}\\}:seat-reservations$`), ([u]) => this.userSeatReservations(u)],
      [new RegExp(`^\\{restaurant:${id}\\}:reservations$`), ([r]) => this.restaurantReservations(r)],
      [new RegExp(`^\\{restaurant:${id}\\}:sittings$`), ([r]) => this.sittings(r)],
      [new RegExp(`^\\{restaurant:${id}\\}:reservation:(.+)$`), ([r, id]) => this.restaurantReservation(r, id)],
      [new RegExp(`^\\{provider:${id}\\}:slot-state$`), ([p]) => this.slotStates(p)],
      [new RegExp(`^\\{provider:${id}\\}:slots$`), ([p]) => this.providerSlots(p)],
      [new RegExp(`^\\{provider:${id}\\}:slot-times$`), ([p]) => this.providerSlotTimes(p)],
      [new RegExp(`^\\{provider:${id}\\}:slot-starts$`), ([p]) => this.providerSlotStarts(p)],
      [new RegExp(`^\\{provider:${id}\\}:appointments$`), ([p]) => this.providerAppointments(p)],
      [new RegExp(`^\\{provider:${id}\\}:appointment:(.+)$`), ([p, a]) => this.appointment(p, a)],
      [new RegExp(`^\\{provider:${id}\\}:pending-of:(.+)$`), ([p, c]) => this.pendingOf(p, c)],
      [/^\{appointments\}:pending$/, () => this.pendingAppointments()],
      [new RegExp(`^\\{user:${id}\\}:appointments$`), ([c]) => this.clientAppointments(c)],
      [new RegExp(`^slot-owner:\\{${id}\\}$`), ([s]) => this.slotOwner(s)],
      [new RegExp(`^appointment-owner:\\{${id}\\}$`), ([a]) => this.appointmentOwner(a)],
      [new RegExp(`^\\{user:${id}\\}:booking:(.+)$`), ([u, b]) => this.booking(u, b)],
      [new RegExp(`^\\{user:${id}\\}:bookings(?::(.+))?$`), ([u, type]) => this.userBookings(u, type)],
      [new RegExp(`^\\{user:${id}\\}:booking-fingerprints$`), ([u]) => this.fingerprints(u)],
      [new RegExp(`^booking-owner:\\{${id}\\}$`), ([b]) => this.bookingOwner(b)],
      [/^\{bookings\}:by-start$/, () => this.adminBookings()],
    ];
  }

  /** Runs the whole check and collects the result; `onFinding` sees each finding as soon as it is confirmed. */
  async run(onFinding?: (finding: Finding) => void): Promise<IntegrityReport> {
    const started = performance.now();
    const findings: Finding[] = [];
    for await (const finding of this.findings()) {
      findings.push(finding);
      onFinding?.(finding);
    }
    const counts = Object.fromEntries(INVARIANT_NAMES.map((name) => [name, 0])) as Record<Invariant, number>;
    for (const f of findings) counts[f.invariant]++;
    return { findings, counts, keysScanned: this.keysScanned, durationMs: performance.now() - started };
  }

  /** Every confirmed finding, as soon as it is confirmed (the CLI prints them as they come). */
  async *findings(): AsyncGenerator<Finding> {
    this.keysScanned = 0;
    const suspects: Suspect[] = [];
    const reported = new Set<string>();
    for await (const page of scanKeys(this.redis, '*')) {
      this.keysScanned += page.length;
      const checks = page.flatMap((key) => {
        const check = this.checkOf(key);
        return check ? [{ key, check }] : [];
      });
      await this.pool(checks, async ({ key, check }) => {
        const findings = await check();
        if (findings.length > 0) suspects.push({ key, check, findings, at: performance.now() });
      });
      while (suspects.length > 0 && performance.now() - suspects[0].at >= this.settleMs) {
        yield* this.confirm(suspects.shift()!, reported);
      }
    }
    for (const suspect of suspects) {
      await this.settle(suspect.at + this.settleMs - performance.now());
      yield* this.confirm(suspect, reported);
    }
  }

  /** Waits before suspicious keys are read again (a seam for tests). */
  protected async settle(ms: number): Promise<void> {
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }

  private async *confirm(suspect: Suspect, reported: Set<string>): AsyncGenerator<Finding> {
    const identity = (f: Finding) => JSON.stringify([f.invariant, f.keys, f.detail]);
    const first = new Set(suspect.findings.map(identity));
    for (const finding of await suspect.check()) {
      const id = identity(finding);
      if (!first.has(id) || reported.has(id)) continue;
      reported.add(id);
      yield finding;
    }
  }

  private checkOf(key: string): (() => Promise<Finding[]>) | null {
    for (const [pattern, check] of this.routes) {
      const m = pattern.exec(key);
      if (!m) continue;
      return async () => {
        try {
          return await check(m.slice(1));
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('WRONGTYPE')) {
            return [this.finding('key-wrong-type', [key], 'the key is not the Redis type the layout has for it')];
          }
          throw error;
        }
      };
    }
    return null;
  }

  private async pool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, items.length) }, worker));
  }

  // ---- reading helpers -------------------------------------------------------------------------------------------

  private finding(invariant: Invariant, keyNames: string[], detail: string): Finding {
    return { invariant, keys: keyNames.map((k) => this.prefix + k), detail };
  }

  /** A hold or pending reservation ending at `at` counts as live for sure (clock tolerance included). */
  private live(at: number): boolean {
    return at > this.now() + this.toleranceMs;
  }

  /** A sorted set in batches of [member, score], by rank (read PAGE at a time). */
  private async *zpages(key: string): AsyncGenerator<[string, number][]> {
    for (let start = 0; ; start += PAGE) {
      const flat = await this.redis.zrange(key, String(start), String(start + PAGE - 1), 'WITHSCORES');
      const page: [string, number][] = [];
      for (let i = 0; i < flat.length; i += 2) page.push([flat[i], Number(flat[i + 1])]);
      yield* slices(page);
      if (page.length < PAGE) return;
    }
  }

  /** A hash in batches of [field, value] (HSCAN, PAGE at a time). */
  private async *hpages(key: string): AsyncGenerator<[string, string][]> {
    let cursor = '0';
    do {
      const [next, flat] = await this.redis.hscan(key, cursor, 'COUNT', PAGE);
      cursor = next;
      const page: [string, string][] = [];
      for (let i = 0; i < flat.length; i += 2) page.push([flat[i], flat[i + 1]]);
      yield* slices(page);
    } while (cursor !== '0');
  }

  /** Reads keys of one hash slot in one atomic step (MULTI works on Redis Cluster within one hash tag). */
  private async atomically(build: (multi: Multi) => void): Promise<unknown[]> {
    const multi = this.redis.multi();
    build(multi);
    const results = await multi.exec();
    if (!results) throw new Error('MULTI was aborted');
    return results.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
  }

  private async exists(key: string): Promise<boolean> {
    return (await this.redis.exists(key)) === 1;
  }

  // ---- events and seats ------------------------------------------------------------------------------------------

  private async seatStates(eventId: string): Promise<Finding[]> {
    const stateKey = keys.seatState(eventId);
    const [exists, seatIds] = (await this.atomically((m) =>
      m.exists(keys.event(eventId)).lrange(keys.eventSeats(eventId), 0, -1),
    )) as [number, string[]];
    if (exists === 0) {
      return [this.finding('seat-state-invalid', [stateKey], `seat state of event ${eventId}, which does not exist`)];
    }
    const seats = new Set(seatIds);
    const out: Finding[] = [];
    for await (const page of this.hpages(stateKey)) {
      const held: [string, SeatState][] = [];
      const reserved: [string, SeatState][] = [];
      for (const [seatId, value] of page) {
        const state = seatState(value);
        if (!state || !seats.has(seatId)) {
          const why = state ? 'is not a seat of the event' : `has an unreadable state "${value}"`;
          out.push(this.finding('seat-state-invalid', [stateKey], `seat ${seatId} ${why}`));
        } else if (state.kind === 'H') held.push([seatId, state]);
        else reserved.push([seatId, state]);
      }
      const live = held.filter(([, s]) => this.live(s.time));
      if (live.length > 0) {
        const scores = (await this.atomically((m) => {
          for (const [seatId, s] of live) {
            m.zscore(keys.userHoldsInEvent(eventId, s.userId), seatId).zscore(keys.holdExpiries(eventId), seatId);
          }
        })) as (string | null)[];
        live.forEach(([seatId, s], i) => {
          const [inHolds, inExpiries] = [scores[2 * i], scores[2 * i + 1]];
          if (Number(inHolds) !== s.time || inHolds === null) {
            out.push(
              this.finding(
                'seat-hold-mismatch',
                [stateKey, keys.userHoldsInEvent(eventId, s.userId)],
                `seat ${seatId} is ${describeSeat(s)}, but the holder's hold set has ${inHolds === null ? 'no entry for it' : `it until ${iso(Number(inHolds))}`}`,
              ),
            );
          }
          if (Number(inExpiries) !== s.time || inExpiries === null) {
            out.push(
              this.finding(
                'hold-expiry-missing',
                [stateKey, keys.holdExpiries(eventId)],
                `seat ${seatId} is ${describeSeat(s)}, but the hold expiries have ${inExpiries === null ? 'no entry for it' : `it at ${iso(Number(inExpiries))}`}`,
              ),
            );
          }
        });
      }
      // The owner's index lives in the owner's slot: one command per seat.
      const listed = await Promise.all(
        reserved.map(([seatId, s]) =>
          this.redis.zscore(keys.userSeatReservations(s.userId), `${sortableTime(s.time)}:${eventId}/${seatId}`),
        ),
      );
      reserved.forEach(([seatId, s], i) => {
        if (listed[i] === null) {
          out.push(
            this.finding(
              'user-seat-reservation-missing',
              [stateKey, keys.userSeatReservations(s.userId)],
              `seat ${seatId} is ${describeSeat(s)}, but is not among that user's seat reservations`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async holdsOf(eventId: string, userId: string): Promise<Finding[]> {
    const holdsKey = keys.userHoldsInEvent(eventId, userId);
    const stateKey = keys.seatState(eventId);
    const out: Finding[] = [];
    let latest = 0;
    for await (const page of this.zpages(holdsKey)) {
      const live = page.filter(([, until]) => this.live(until));
      if (live.length === 0) continue;
      const states = await this.redis.hmget(stateKey, ...live.map(([seatId]) => seatId));
      live.forEach(([seatId, until], i) => {
        latest = Math.max(latest, until);
        const state = seatState(states[i]);
        const mine = `seat ${seatId} is in ${userId}'s holds until ${iso(until)}, but the seat is ${describeSeat(state)}`;
        let invariant: Invariant | null = null;
        if (!state) invariant = 'seat-hold-mismatch';
        else if (state.kind === 'R') invariant = 'seat-reserved-and-held';
        else if (state.userId !== userId) invariant = this.live(state.time) ? 'seat-double-hold' : 'seat-hold-mismatch';
        else if (state.time !== until) invariant = 'seat-hold-mismatch';
        if (invariant) out.push(this.finding(invariant, [holdsKey, stateKey], mine));
      });
    }
    if (latest > 0) {
      // GET /users/me/holds finds the event through the user's own index (another slot).
      const listed = await this.redis.zscore(keys.userHoldEvents(userId), eventId);
      if (listed === null || Number(listed) < latest) {
        out.push(
          this.finding(
            'user-hold-events-missing',
            [holdsKey, keys.userHoldEvents(userId)],
            `${userId} holds seats of event ${eventId} until ${iso(latest)}, but their hold-events index has ${listed === null ? 'no entry for the event' : `it until ${iso(Number(listed))}`}`,
          ),
        );
      }
    }
    return out;
  }

  private async holdExpiries(eventId: string): Promise<Finding[]> {
    const expiriesKey = keys.holdExpiries(eventId);
    const stateKey = keys.seatState(eventId);
    const out: Finding[] = [];
    let earliest: number | null = null;
    for await (const page of this.zpages(expiriesKey)) {
      earliest ??= page[0][1];
      const states = await this.redis.hmget(stateKey, ...page.map(([seatId]) => seatId));
      page.forEach(([seatId, at], i) => {
        const state = seatState(states[i]);
        if (state?.kind !== 'H' || state.time !== at) {
          out.push(
            this.finding(
              'hold-expiry-orphan',
              [expiriesKey, stateKey],
              `seat ${seatId} is due to expire at ${iso(at)}, but the seat is ${describeSeat(state)}`,
            ),
          );
        }
      });
    }
    if (earliest !== null) {
      const registered = await this.redis.zscore(keys.expiringEvents(), eventId);
      if (registered === null || Number(registered) > earliest) {
        out.push(
          this.finding(
            'expiring-events-missing',
            [expiriesKey, keys.expiringEvents()],
            `event ${eventId} has a hold expiring at ${iso(earliest)}, but the sweeper's registry has ${registered === null ? 'no entry for it' : `it at ${iso(Number(registered))}`}`,
          ),
        );
      }
    }
    return out;
  }

  /** Entries of `key` naming events (as members) that must exist. */
  private async eventRegistry(key: string, invariant: Invariant): Promise<Finding[]> {
    const out: Finding[] = [];
    for await (const page of this.zpages(key)) {
      const found = await Promise.all(page.map(([eventId]) => this.exists(keys.event(eventId))));
      page.forEach(([eventId], i) => {
        if (!found[i]) out.push(this.finding(invariant, [key], `event ${eventId} does not exist`));
      });
    }
    return out;
  }

  private expiringEvents(): Promise<Finding[]> {
    return this.eventRegistry(keys.expiringEvents(), 'expiring-events-orphan');
  }

  private userHoldEvents(userId: string): Promise<Finding[]> {
    return this.eventRegistry(keys.userHoldEvents(userId), 'user-hold-events-orphan');
  }

  private async userSeatReservations(userId: string): Promise<Finding[]> {
    const indexKey = keys.userSeatReservations(userId);
    const out: Finding[] = [];
    for await (const page of this.zpages(indexKey)) {
      const refs = page.map(([member]) => {
        const [eventId, seatId] = refOf(member).split('/');
        return { member, eventId, seatId, at: timeOf(member) };
      });
      const states = await Promise.all(
        refs.map((r) => (r.seatId ? this.redis.hget(keys.seatState(r.eventId), r.seatId) : null)),
      );
      refs.forEach((r, i) => {
        const state = seatState(states[i]);
        if (state?.kind !== 'R' || state.userId !== userId || state.time !== r.at) {
          out.push(
            this.finding(
              'user-seat-reservation-orphan',
              [indexKey, keys.seatState(r.eventId)],
              `entry ${r.member}: the seat is ${describeSeat(state)}`,
            ),
          );
        }
      });
    }
    return out;
  }

  // ---- restaurants -----------------------------------------------------------------------------------------------

  private async reservationFields(restaurantId: string, ids: string[]): Promise<(string | null)[][]> {
    return (await this.atomically((m) => {
      for (const id of ids) {
        m.hmget(keys.restaurantReservation(restaurantId, id), 'status', 'tableId', 'start', 'end');
      }
    })) as (string | null)[][];
  }

  /** The reservations index, and the overlap check over it: entries come by start, so one pass per table does. */
  private async restaurantReservations(restaurantId: string): Promise<Finding[]> {
    const indexKey = keys.restaurantReservations(restaurantId);
    const out: Finding[] = [];
    /** Per table, the live reservation seen so far that ends last. */
    const lastOnTable = new Map<string, { id: string; start: number; end: number }>();
    for await (const page of this.zpages(indexKey)) {
      const rows = await this.reservationFields(
        restaurantId,
        page.map(([id]) => id),
      );
      page.forEach(([id, score], i) => {
        const [status, tableId, startText, endText] = rows[i];
        const reservationKey = keys.restaurantReservation(restaurantId, id);
        if (status === null) {
          out.push(this.finding('restaurant-reservations-orphan', [indexKey], `reservation ${id} does not exist`));
          return;
        }
        const [start, end] = [Number(startText), Number(endText)];
        if (start !== score) {
          out.push(
            this.finding(
              'restaurant-reservations-orphan',
              [indexKey, reservationKey],
              `reservation ${id} is listed at ${iso(score)} but starts at ${iso(start)}`,
            ),
          );
        }
        if (status !== 'booked' || !tableId) return;
        const before = lastOnTable.get(tableId);
        if (before && start < before.end && before.start < end) {
          out.push(
            this.finding(
              'restaurant-table-overlap',
              [keys.restaurantReservation(restaurantId, before.id), reservationKey],
              `table ${tableId}: reservation ${before.id} [${iso(before.start)}, ${iso(before.end)}) and ${id} [${iso(start)}, ${iso(end)}) overlap`,
            ),
          );
        }
        if (!before || end > before.end) lastOnTable.set(tableId, { id, start, end });
      });
    }
    return out;
  }

  private async sittings(restaurantId: string): Promise<Finding[]> {
    const sittingsKey = keys.restaurantSittings(restaurantId);
    const out: Finding[] = [];
    for await (const page of this.zpages(sittingsKey)) {
      const refs = page.map(([member, start]) => {
        const [tableId, id] = member.split('|');
        return { member, start, tableId, id: id ?? '' };
      });
      const rows = await this.reservationFields(
        restaurantId,
        refs.map((r) => r.id),
      );
      refs.forEach((r, i) => {
        const [status, tableId, start] = rows[i];
        const problem =
          status === null
            ? 'the reservation does not exist'
            : status !== 'booked'
              ? `the reservation is ${status}`
              : tableId !== r.tableId
                ? `the reservation is on table ${tableId}`
                : Number(start) !== r.start
                  ? `the reservation starts at ${iso(Number(start))}`
                  : null;
        if (problem) {
          out.push(
            this.finding(
              'restaurant-sitting-orphan',
              [sittingsKey, keys.restaurantReservation(restaurantId, r.id)],
              `sitting ${r.member} at ${iso(r.start)}: ${problem}`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async restaurantReservation(restaurantId: string, id: string): Promise<Finding[]> {
    const reservationKey = keys.restaurantReservation(restaurantId, id);
    const [fields, listedAt] = (await this.atomically((m) =>
      m.hmget(reservationKey, 'status', 'tableId', 'start').zscore(keys.restaurantReservations(restaurantId), id),
    )) as [(string | null)[], string | null];
    const [status, tableId, startText] = fields;
    if (status === null) return [];
    const start = Number(startText);
    const out: Finding[] = [];
    if (listedAt === null || Number(listedAt) !== start) {
      out.push(
        this.finding(
          'restaurant-reservations-missing',
          [reservationKey, keys.restaurantReservations(restaurantId)],
          `reservation ${id} (start ${iso(start)}) is ${listedAt === null ? 'not in the index' : `listed at ${iso(Number(listedAt))}`}`,
        ),
      );
    }
    if (status === 'booked') {
      const sitting = await this.redis.zscore(keys.restaurantSittings(restaurantId), `${tableId}|${id}`);
      if (sitting === null || Number(sitting) !== start) {
        out.push(
          this.finding(
            'restaurant-sitting-missing',
            [reservationKey, keys.restaurantSittings(restaurantId)],
            `live reservation ${id} on table ${tableId} at ${iso(start)} has ${sitting === null ? 'no sitting' : `its sitting at ${iso(Number(sitting))}`}`,
          ),
        );
      }
    }
    return out;
  }

  // ---- appointments ----------------------------------------------------------------------------------------------

  private async slotStates(providerId: string): Promise<Finding[]> {
    const stateKey = keys.providerSlotState(providerId);
    const out: Finding[] = [];
    for await (const page of this.hpages(stateKey)) {
      const states = page.map(([slotId, value]) => ({ slotId, value, state: slotState(value) }));
      const rows = (await this.atomically((m) => {
        for (const { slotId, state } of states) {
          m.hexists(keys.providerSlotTimes(providerId), slotId);
          m.hmget(
            keys.appointment(providerId, state?.appointmentId ?? ''),
            'slotId',
            'clientId',
            'status',
            'expiresAt',
          );
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
                : state.kind === 'C' && status !== 'confirmed'
                  ? `appointment ${state.appointmentId} is ${status}`
                  : state.kind === 'P' && (status !== 'pending' || Number(expiresAt) !== state.expiresAt)
                    ? `appointment ${state.appointmentId} is ${status}${status === 'pending' ? ` until ${iso(Number(expiresAt))}` : ''}`
                    : null;
        if (problem) {
          out.push(
            this.finding(
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

  private async appointment(providerId: string, appointmentId: string): Promise<Finding[]> {
    const key = keys.appointment(providerId, appointmentId);
    const a = await this.redis.hgetall(key);
    // Gone since the scan saw it (appointments are never deleted, but a key may be removed by hand).
    if (!a.id) return [];
    const start = Number(a.start);
    const member = `${sortableTime(start)}:${appointmentId}`;
    const [stateValue, listed] = (await this.atomically((m) =>
      m.hget(keys.providerSlotState(providerId), a.slotId).zscore(keys.providerAppointments(providerId), member),
    )) as [string | null, string | null];
    const out: Finding[] = [];
    if (listed === null) {
      out.push(
        this.finding(
          'provider-appointments-missing',
          [key, keys.providerAppointments(providerId)],
          `appointment ${appointmentId} (${iso(start)}) is not in the provider's index`,
        ),
      );
    }
    const expiresAt = Number(a.expiresAt);
    const holding = a.status === 'confirmed' || (a.status === 'pending' && this.live(expiresAt));
    if (holding) {
      const state = slotState(stateValue);
      const own =
        a.status === 'confirmed'
          ? stateValue === `C|${a.clientId}|${appointmentId}`
          : stateValue === `P|${a.clientId}|${a.expiresAt}|${appointmentId}`;
      if (!own) {
        const other =
          state &&
          state.appointmentId !== appointmentId &&
          (state.kind === 'C' || (state.expiresAt !== null && this.live(state.expiresAt)));
        const what = a.status === 'confirmed' ? 'confirmed' : `pending until ${iso(expiresAt)}`;
        out.push(
          this.finding(
            other ? 'appointment-slot-conflict' : 'appointment-slot-state-mismatch',
            [key, keys.providerSlotState(providerId)],
            `appointment ${appointmentId} of ${a.clientId} is ${what} on slot ${a.slotId}, whose state is ${stateValue === null ? 'open' : `"${stateValue}"`}`,
          ),
        );
      }
    }
    // Lookups in other slots, written after the provider's script.
    const [owner, inClientIndex, due] = await Promise.all([
      this.redis.get(keys.appointmentOwner(appointmentId)),
      this.redis.zscore(keys.clientAppointments(a.clientId), `${sortableTime(start)}:${providerId}/${appointmentId}`),
      a.status === 'pending' && this.live(expiresAt)
        ? this.redis.zscore(keys.pendingAppointments(), `${providerId}/${appointmentId}`)
        : 'not needed',
    ]);
    if (due === null) {
      out.push(
        this.finding(
          'pending-appointments-missing',
          [key, keys.pendingAppointments()],
          `appointment ${appointmentId} is pending until ${iso(expiresAt)}, but its lapse would never be announced`,
        ),
      );
    }
    if (owner !== providerId) {
      out.push(
        this.finding(
          'appointment-owner-missing',
          [key, keys.appointmentOwner(appointmentId)],
          `appointment ${appointmentId} of provider ${providerId} has ${owner === null ? 'no owner lookup' : `owner lookup ${owner}`}`,
        ),
      );
    }
    if (inClientIndex === null) {
      out.push(
        this.finding(
          'client-appointments-missing',
          [key, keys.clientAppointments(a.clientId)],
          `appointment ${appointmentId} (${iso(start)}) is not in the index of its client ${a.clientId}`,
        ),
      );
    }
    return out;
  }

  private async providerAppointments(providerId: string): Promise<Finding[]> {
    const indexKey = keys.providerAppointments(providerId);
    const out: Finding[] = [];
    for await (const page of this.zpages(indexKey)) {
      const rows = (await this.atomically((m) => {
        for (const [member] of page) m.hget(keys.appointment(providerId, refOf(member)), 'start');
      })) as (string | null)[];
      page.forEach(([member], i) => {
        if (rows[i] === null || Number(rows[i]) !== timeOf(member)) {
          out.push(
            this.finding(
              'provider-appointments-orphan',
              [indexKey, keys.appointment(providerId, refOf(member))],
              `entry ${member}: ${rows[i] === null ? 'the appointment does not exist' : `the appointment starts at ${iso(Number(rows[i]))}`}`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async pendingOf(providerId: string, clientId: string): Promise<Finding[]> {
    const indexKey = keys.clientPendingWith(providerId, clientId);
    const out: Finding[] = [];
    for await (const page of this.zpages(indexKey)) {
      const rows = (await this.atomically((m) => {
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
            this.finding(
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
  private async pendingAppointments(): Promise<Finding[]> {
    const registry = keys.pendingAppointments();
    const out: Finding[] = [];
    for await (const page of this.zpages(registry)) {
      // Each appointment lives in its provider's slot: one command per entry.
      const rows = await Promise.all(
        page.map(([member]) => {
          const [providerId, id] = member.split('/');
          return this.redis.hmget(keys.appointment(providerId, id ?? ''), 'status', 'expiresAt');
        }),
      );
      page.forEach(([member, due], i) => {
        const [providerId, id] = member.split('/');
        const [status, expiresAt] = rows[i];
        if (status === null) {
          out.push(this.finding('pending-appointments-orphan', [registry], `entry ${member}: no such appointment`));
        } else if (status === 'pending' && Number(expiresAt) !== due) {
          // Confirmed and cancelled ones are dropped when claimed; a pending one must be claimed when it lapses.
          out.push(
            this.finding(
              'pending-appointments-mismatch',
              [registry, keys.appointment(providerId, id)],
              `entry ${member} is due at ${iso(due)}, but the appointment lapses at ${iso(Number(expiresAt))}`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async clientAppointments(clientId: string): Promise<Finding[]> {
    const indexKey = keys.clientAppointments(clientId);
    const out: Finding[] = [];
    for await (const page of this.zpages(indexKey)) {
      const refs = page.map(([member]) => {
        const [providerId, id] = refOf(member).split('/');
        return { member, providerId, id: id ?? '' };
      });
      const rows = await Promise.all(
        refs.map((r) => this.redis.hmget(keys.appointment(r.providerId, r.id), 'clientId', 'start')),
      );
      refs.forEach((r, i) => {
        const [owner, start] = rows[i];
        const problem =
          owner === null
            ? 'the appointment does not exist'
            : owner !== clientId
              ? `the appointment is ${owner}'s`
              : Number(start) !== timeOf(r.member)
                ? `the appointment starts at ${iso(Number(start))}`
                : null;
        if (problem) {
          out.push(
            this.finding(
              'client-appointments-orphan',
              [indexKey, keys.appointment(r.providerId, r.id)],
              `entry ${r.member}: ${problem}`,
            ),
          );
        }
      });
    }
    return out;
  }

  /** `{provider}:slots` (id -> start) against slot-times. */
  private async providerSlots(providerId: string): Promise<Finding[]> {
    const slotsKey = keys.providerSlots(providerId);
    const timesKey = keys.providerSlotTimes(providerId);
    const out: Finding[] = [];
    for await (const page of this.zpages(slotsKey)) {
      const times = await this.redis.hmget(timesKey, ...page.map(([id]) => id));
      page.forEach(([id, start], i) => {
        if (times[i] === null || Number(times[i]!.split('|')[0]) !== start) {
          out.push(
            this.finding(
              'provider-slot-index-mismatch',
              [slotsKey, timesKey],
              `slot ${id} at ${iso(start)} has ${times[i] === null ? 'no times' : `times "${times[i]}"`}`,
            ),
          );
        }
      });
    }
    return out;
  }

  /** slot-times (id -> "start|end") against slots and slot-starts, and every slot has its owner lookup. */
  private async providerSlotTimes(providerId: string): Promise<Finding[]> {
    const timesKey = keys.providerSlotTimes(providerId);
    const out: Finding[] = [];
    for await (const page of this.hpages(timesKey)) {
      const rows = (await this.atomically((m) => {
        for (const [id, times] of page) {
          m.zscore(keys.providerSlots(providerId), id).hget(keys.providerSlotStarts(providerId), times.split('|')[0]);
        }
      })) as (string | null)[];
      const owners = await Promise.all(page.map(([id]) => this.redis.get(keys.slotOwner(id))));
      page.forEach(([id, times], i) => {
        const start = times.split('|')[0];
        const [listedAt, atStart] = [rows[2 * i], rows[2 * i + 1]];
        if (listedAt !== start || atStart !== id) {
          out.push(
            this.finding(
              'provider-slot-index-mismatch',
              [timesKey, keys.providerSlots(providerId), keys.providerSlotStarts(providerId)],
              `slot ${id} "${times}": slots has ${listedAt === null ? 'no entry' : `it at ${listedAt}`}, slot-starts names ${atStart ?? 'nothing'} at ${start}`,
            ),
          );
        }
        if (owners[i] !== providerId) {
          out.push(
            this.finding(
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

  private async providerSlotStarts(providerId: string): Promise<Finding[]> {
    const startsKey = keys.providerSlotStarts(providerId);
    const timesKey = keys.providerSlotTimes(providerId);
    const out: Finding[] = [];
    for await (const page of this.hpages(startsKey)) {
      const times = await this.redis.hmget(timesKey, ...page.map(([, id]) => id));
      page.forEach(([start, id], i) => {
        if (times[i] === null || times[i]!.split('|')[0] !== start) {
          out.push(
            this.finding(
              'provider-slot-index-mismatch',
              [startsKey, timesKey],
              `start ${start} names slot ${id}, which has ${times[i] === null ? 'no times' : `times "${times[i]}"`}`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async slotOwner(slotId: string): Promise<Finding[]> {
    const key = keys.slotOwner(slotId);
    const providerId = await this.redis.get(key);
    if (providerId === null) return [];
    if (await this.redis.hexists(keys.providerSlotTimes(providerId), slotId)) return [];
    return [
      this.finding(
        'slot-owner-orphan',
        [key, keys.providerSlotTimes(providerId)],
        `slot ${slotId} is said to be provider ${providerId}'s, who has no such slot`,
      ),
    ];
  }

  private async appointmentOwner(appointmentId: string): Promise<Finding[]> {
    const key = keys.appointmentOwner(appointmentId);
    const providerId = await this.redis.get(key);
    if (providerId === null) return [];
    if (await this.exists(keys.appointment(providerId, appointmentId))) return [];
    return [
      this.finding(
        'appointment-owner-orphan',
        [key, keys.appointment(providerId, appointmentId)],
        `appointment ${appointmentId} is said to be provider ${providerId}'s, who has no such appointment`,
      ),
    ];
  }

  // ---- holiday bookings ------------------------------------------------------------------------------------------

  /** Why a booking id of a user does not resolve: missing, or deleted (its tombstone is still there). */
  private missingBooking(tombstone: string | null): string {
    return tombstone === null ? 'the booking does not exist' : `the booking was deleted (at version ${tombstone})`;
  }

  private async booking(userId: string, bookingId: string): Promise<Finding[]> {
    const key = keys.booking(userId, bookingId);
    const booking = parseBooking(await this.redis.get(key));
    if (booking === null) return [];
    if (!booking || booking.id !== bookingId || booking.userId !== userId) {
      return [this.finding('booking-invalid', [key], `the stored booking cannot be read or names another id or user`)];
    }
    const member = `${sortableTime(booking.startTime)}:${bookingId}`;
    const [inAll, inType] = (await this.atomically((m) =>
      m.zscore(keys.userBookings(userId), member).zscore(keys.userBookingsOfType(userId, booking.type), member),
    )) as (string | null)[];
    const out: Finding[] = [];
    if (inAll === null || inType === null) {
      const index = inAll === null ? keys.userBookings(userId) : keys.userBookingsOfType(userId, booking.type);
      out.push(this.finding('booking-index-missing', [key, index], `booking ${bookingId} is not listed as ${member}`));
    }
    // The admin lookups live in other slots and are written after the owner's script.
    const globalMember = `${sortableTime(booking.startTime)}:${userId}:${bookingId}`;
    const [owner, inAdminIndex] = await Promise.all([
      this.redis.get(keys.bookingOwner(bookingId)),
      this.redis.zscore(keys.allBookings(), globalMember),
    ]);
    if (owner !== userId) {
      out.push(
        this.finding(
          'booking-owner-missing',
          [key, keys.bookingOwner(bookingId)],
          `booking ${bookingId} of ${userId} has ${owner === null ? 'no owner lookup' : `owner lookup ${owner}`}`,
        ),
      );
    }
    if (inAdminIndex === null) {
      out.push(
        this.finding(
          'admin-bookings-missing',
          [key, keys.allBookings()],
          `booking ${bookingId} is not listed as ${globalMember}`,
        ),
      );
    }
    return out;
  }

  private async userBookings(userId: string, type: string | undefined): Promise<Finding[]> {
    const indexKey = type ? keys.userBookingsOfType(userId, type) : keys.userBookings(userId);
    const out: Finding[] = [];
    for await (const page of this.zpages(indexKey)) {
      const rows = (await this.atomically((m) => {
        for (const [member] of page) {
          m.get(keys.booking(userId, refOf(member))).get(keys.bookingTombstone(userId, refOf(member)));
        }
      })) as (string | null)[];
      page.forEach(([member], i) => {
        const booking = parseBooking(rows[2 * i]);
        const problem = !booking
          ? this.missingBooking(rows[2 * i + 1])
          : booking.startTime !== timeOf(member)
            ? `the booking starts at ${iso(booking.startTime)}`
            : type && booking.type !== type
              ? `the booking is of type ${booking.type}`
              : null;
        if (problem) {
          out.push(
            this.finding(
              'booking-index-orphan',
              [indexKey, keys.booking(userId, refOf(member))],
              `entry ${member}: ${problem}`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async fingerprints(userId: string): Promise<Finding[]> {
    const fingerprintsKey = keys.userBookingFingerprints(userId);
    const out: Finding[] = [];
    for await (const page of this.hpages(fingerprintsKey)) {
      const rows = (await this.atomically((m) => {
        for (const [, id] of page) m.get(keys.booking(userId, id)).get(keys.bookingTombstone(userId, id));
      })) as (string | null)[];
      page.forEach(([fingerprint, id], i) => {
        const booking = parseBooking(rows[2 * i]);
        const problem = !booking
          ? this.missingBooking(rows[2 * i + 1])
          : fingerprintOf(booking) !== fingerprint
            ? 'the booking has other content (type, title, start or end) now'
            : null;
        if (problem) {
          out.push(
            this.finding(
              'booking-fingerprint-orphan',
              [fingerprintsKey, keys.booking(userId, id)],
              `fingerprint ${fingerprint} names booking ${id}: ${problem}`,
            ),
          );
        }
      });
    }
    return out;
  }

  private async bookingOwner(bookingId: string): Promise<Finding[]> {
    const key = keys.bookingOwner(bookingId);
    const userId = await this.redis.get(key);
    if (userId === null) return [];
    const [exists, tombstone] = (await this.atomically((m) =>
      m.exists(keys.booking(userId, bookingId)).get(keys.bookingTombstone(userId, bookingId)),
    )) as [number, string | null];
    if (exists === 1) return [];
    return [
      this.finding(
        'booking-owner-orphan',
        [key, keys.booking(userId, bookingId)],
        `booking ${bookingId} is said to be ${userId}'s: ${this.missingBooking(tombstone)}`,
      ),
    ];
  }

  private async adminBookings(): Promise<Finding[]> {
    const indexKey = keys.allBookings();
    const out: Finding[] = [];
    for await (const page of this.zpages(indexKey)) {
      const refs = page.map(([member]) => {
        const [, userId, id] = member.split(':');
        return { member, userId, id: id ?? '' };
      });
      // Each booking lives in its owner's slot: one command per entry.
      const rows = await Promise.all(
        refs.map(async (r) => {
          const json = await this.redis.get(keys.booking(r.userId, r.id));
          return {
            booking: parseBooking(json),
            tombstone: json ? null : await this.redis.get(keys.bookingTombstone(r.userId, r.id)),
          };
        }),
      );
      refs.forEach((r, i) => {
        const { booking, tombstone } = rows[i];
        const problem = !booking
          ? this.missingBooking(tombstone)
          : booking.startTime !== timeOf(r.member)
            ? `the booking starts at ${iso(booking.startTime)}`
            : null;
        if (problem) {
          out.push(
            this.finding(
              'admin-bookings-orphan',
              [indexKey, keys.booking(r.userId, r.id)],
              `entry ${r.member}: ${problem}`,
            ),
          );
        }
      });
    }
    return out;
  }
}

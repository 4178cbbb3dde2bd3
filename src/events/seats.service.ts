import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { DomainEvents } from '../domain-events/domain-events.js';
import { encodeUserEvent } from '../notifications/live-events.js';
import type { AuthUser } from '../auth/auth-user.js';
import type { SeatingPlan } from './event.js';
import type {
  HoldSeatsDto,
  HoldView,
  HoldsView,
  MyHoldsView,
  MyReservationsPage,
  ReservationView,
  ReservationsView,
} from './events.dto.js';
import {
  EventStartedError,
  HoldLimitReachedError,
  HoldRenewalLimitError,
  HoldRequiredError,
  SeatUnavailableError,
} from './events.errors.js';
import { EventsService } from './events.service.js';
import { SeatsRepository } from './seats.repository.js';
import { reservedPriceOf, totalsOf } from './reservation-prices.js';

/** How often a quantity hold re-picks seats after losing a race for the ones it picked. */
const PICK_ATTEMPTS = 3;
/** How often a quantity hold re-picks after the caller's renewal limit refused some of the picked seats. */
const RENEWAL_LIMIT_REPICKS = 5;

export interface ReserveResult<T> {
  readonly body: T;
  /** True when this call reserved something; false when it only repeated an earlier reservation. */
  readonly created: boolean;
}

@Injectable()
export class SeatsService {
  constructor(
    private readonly events: EventsService,
    private readonly seats: SeatsRepository,
    private readonly cursors: CursorCodec,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly domainEvents: DomainEvents,
    private readonly metrics: Metrics,
  ) {}

  /** Holds one seat for the event's hold time; holding it again renews the hold. */
  async hold(eventId: string, seatId: string, user: AuthUser): Promise<HoldView> {
    const plan = await this.events.plan(eventId);
    const number = EventsService.numberOf(plan, seatId);
    const { now, expiresAt } = await this.holdAll(plan, [seatId], user);
    return { eventId, seatId, number, userId: user.id, expiresAt: toIso(expiresAt), serverTime: toIso(now) };
  }

  /** Holds several seats, all or nothing: the given ones, or the best `quantity` available. */
  async holdMany(eventId: string, dto: HoldSeatsDto, user: AuthUser): Promise<HoldsView> {
    // `== null`: a JSON null is as absent as a missing field (class-validator's IsOptional lets both through).
    if ((dto.seatIds == null) === (dto.quantity == null)) {
      throw ValidationFailedError.field('seatIds', 'give either seatIds or quantity, not both and not neither');
    }
    if (dto.adjacent != null && dto.quantity == null) {
      throw ValidationFailedError.field('adjacent', 'goes with quantity only');
    }
    const plan = await this.events.plan(eventId);
    if (dto.seatIds != null) {
      for (const seatId of dto.seatIds) EventsService.numberOf(plan, seatId);
      return this.holdsView(plan, dto.seatIds, await this.holdAll(plan, dto.seatIds, user), user);
    }
    return this.holdQuantity(plan, dto.quantity!, dto.adjacent === true, user);
  }

  /** Ends the caller's hold; 404 when the caller holds no live hold on the seat. */
  async release(eventId: string, seatId: string, user: AuthUser): Promise<void> {
    const plan = await this.events.plan(eventId);
    EventsService.numberOf(plan, seatId);
    const now = this.clock.now();
    // The script publishes the notice with the release itself (one round trip), and only when it released.
    const notice = encodeUserEvent('seat.released', toIso(now), { eventId, seatIds: [seatId] });
    if (!(await this.seats.release(eventId, user.id, seatId, now, notice))) {
      throw new NotFoundError('A live hold of yours on this seat');
    }
  }

  async reserve(eventId: string, seatId: string, user: AuthUser): Promise<ReserveResult<ReservationView>> {
    const { body, created } = await this.reserveMany(eventId, [seatId], user);
    return { body: body.seats[0], created };
  }

  /** Reserves seats the caller holds, all or nothing. Repeating a reservation answers as the first time. */
  async reserveMany(
    eventId: string,
    seatIds: readonly string[],
    user: AuthUser,
  ): Promise<ReserveResult<ReservationsView>> {
    const plan = await this.events.plan(eventId);
    const numbers = seatIds.map((seatId) => EventsService.numberOf(plan, seatId));
    const result = await this.seats.reserve(eventId, user.id, seatIds, this.clock.now(), plan.event.startsAt);
    if (result.outcome === 'not-held') throw new HoldRequiredError(result.seatIds);
    if (result.outcome === 'started') throw new EventStartedError();
    if (result.newlyReserved > 0) {
      this.metrics.count('reserves', result.newlyReserved);
      await this.domainEvents.emit({ type: 'seat.reserved', userId: user.id, eventId, seatIds });
    }
    const seats = seatIds.map((seatId, i) => ({
      eventId,
      seatId,
      number: numbers[i],
      userId: user.id,
      reservedAt: toIso(result.reservedAt[i]),
      ...reservedPriceOf(plan, seatId, result.prices[i]),
    }));
    const totals = totalsOf(seats.map((seat) => seat.price));
    return { body: { eventId, userId: user.id, seats, totals }, created: result.newlyReserved > 0 };
  }

  async myHolds(user: AuthUser): Promise<MyHoldsView> {
    const now = this.clock.now();
    const holds = await this.seats.holdsOf(user.id, now);
    const items = await Promise.all(
      holds.map(async (h) => ({
        eventId: h.eventId,
        seatId: h.seatId,
        number: (await this.events.plan(h.eventId)).numberOf.get(h.seatId) ?? 0,
        expiresAt: toIso(h.at),
      })),
    );
    return { items, serverTime: toIso(now) };
  }

  /** The caller's reserved seats with the price each had when reserved, and the page's totals per currency. */
  async myReservations(user: AuthUser, limit = 20, cursor?: string): Promise<MyReservationsPage> {
    const after = cursor ? this.cursors.decodePosition(cursor) : null;
    const page = await this.seats.reservationsOf(user.id, after, limit);
    const eventIds = [...new Set(page.seats.map((r) => r.eventId))];
    // One read per event (on Redis Cluster the events live on different nodes): the plans and the stored states.
    const perEvent = new Map(
      await Promise.all(
        eventIds.map(async (eventId) => {
          const seatIds = page.seats.filter((r) => r.eventId === eventId).map((r) => r.seatId);
          const [plan, states] = await Promise.all([
            this.events.findPlan(eventId),
            this.seats.statesOf(eventId, seatIds),
          ]);
          return [eventId, { plan, states: new Map(seatIds.map((id, i) => [id, states[i]])) }] as const;
        }),
      ),
    );
    const items = page.seats.map((r) => {
      const { plan, states } = perEvent.get(r.eventId)!;
      const state = states.get(r.seatId);
      // The index entry is only a hint (written after the event's script): its price is the stored reservation's only
      // when that reservation is still this one (same buyer, same time). Otherwise (released, re-reserved by someone
      // else) the price is unknown here: null, and it adds nothing to the totals.
      const current = state?.kind === 'reserved' && state.userId === user.id && state.at === r.at;
      const snapshot = current ? state.price : undefined;
      return {
        eventId: r.eventId,
        seatId: r.seatId,
        number: plan?.numberOf.get(r.seatId) ?? 0,
        reservedAt: toIso(r.at),
        ...reservedPriceOf(plan, r.seatId, snapshot),
      };
    });
    return {
      items,
      nextCursor: page.next ? this.cursors.encodePosition(page.next) : null,
      totals: totalsOf(items.map((item) => item.price)),
    };
  }

  /**
   * Seats picked from a snapshot may be taken before the hold lands: pick again from a fresh one. Seats the caller
   * may not renew any more are left out of the next pick; the renewal limit is the answer only when the seats left
   * cannot satisfy the request.
   */
  private async holdQuantity(plan: SeatingPlan, quantity: number, adjacent: boolean, user: AuthUser) {
    const tired = new Set<string>();
    for (let races = 0, repicks = 0; ;) {
      const seatIds = await this.pick(plan, quantity, adjacent, tired);
      try {
        return this.holdsView(plan, seatIds, await this.holdAll(plan, seatIds, user), user);
      } catch (error) {
        if (error instanceof SeatUnavailableError && ++races < PICK_ATTEMPTS) continue;
        if (!(error instanceof HoldRenewalLimitError) || ++repicks > RENEWAL_LIMIT_REPICKS) throw error;
        for (const seatId of error.seatIds) tired.add(seatId);
      }
    }
  }

  private async holdAll(plan: SeatingPlan, seatIds: readonly string[], user: AuthUser) {
    const now = this.clock.now();
    const expiresAt = now + plan.event.holdSeconds * 1000;
    const { maxHoldsPerUser: maxHolds, holdMaxRenewals: maxRenewals } = this.config;
    const startsAt = plan.event.startsAt;
    // Published by the hold script itself when the hold succeeds: one round trip less than publishing afterwards.
    const notice = encodeUserEvent('seat.held', toIso(now), {
      eventId: plan.event.id,
      seatIds,
      expiresAt: toIso(expiresAt),
    });
    const result = await this.seats.hold(plan.event.id, user.id, seatIds, {
      now,
      expiresAt,
      maxHolds,
      maxRenewals,
      startsAt,
      notice,
    });
    if (result.outcome !== 'held') this.metrics.count('hold_conflicts');
    if (result.outcome === 'taken') throw new SeatUnavailableError(result.seatIds);
    if (result.outcome === 'limit') throw new HoldLimitReachedError(maxHolds);
    if (result.outcome === 'renewal-limit') throw new HoldRenewalLimitError(result.seatIds, maxRenewals);
    if (result.outcome === 'started') throw new EventStartedError();
    this.metrics.count('holds', seatIds.length);
    return { now, expiresAt };
  }

  private holdsView(
    plan: SeatingPlan,
    seatIds: readonly string[],
    times: { now: number; expiresAt: number },
    user: AuthUser,
  ): HoldsView {
    return {
      eventId: plan.event.id,
      userId: user.id,
      seats: seatIds.map((seatId) => ({ seatId, number: plan.numberOf.get(seatId)! })),
      expiresAt: toIso(times.expiresAt),
      serverTime: toIso(times.now),
    };
  }

  /**
   * The lowest-numbered available seats (or the first run of consecutive ones) in a fresh snapshot, leaving out
   * `skip`. When too few are left: the renewal limit if the skipped seats would have made up the difference.
   */
  private async pick(
    plan: SeatingPlan,
    quantity: number,
    adjacent: boolean,
    skip: ReadonlySet<string>,
  ): Promise<string[]> {
    const { statuses } = await this.events.seatMap(plan.event.id);
    const picked = choose(plan, statuses, quantity, adjacent, skip);
    if (picked) return picked;
    if (skip.size > 0 && choose(plan, statuses, quantity, adjacent, new Set())) {
      throw new HoldRenewalLimitError([...skip], this.config.holdMaxRenewals);
    }
    throw new SeatUnavailableError(
      [],
      adjacent ? `No ${quantity} adjacent seats are available` : `Fewer than ${quantity} seats are available`,
    );
  }
}

function choose(
  plan: SeatingPlan,
  statuses: readonly string[],
  quantity: number,
  adjacent: boolean,
  skip: ReadonlySet<string>,
): string[] | null {
  const picked: string[] = [];
  for (const [index, status] of statuses.entries()) {
    if (status !== 'available' || skip.has(plan.seatIds[index])) {
      if (adjacent) picked.length = 0;
      continue;
    }
    picked.push(plan.seatIds[index]);
    if (picked.length === quantity) return picked;
  }
  return null;
}

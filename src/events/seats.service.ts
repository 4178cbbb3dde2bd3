import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { CursorCodec } from '../common/cursor.js';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain-error.js';
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
  NotEnoughSeatsError,
  SeatUnavailableError,
} from './events.errors.js';
import { EventsService } from './events.service.js';
import { SeatsRepository } from './seats.repository.js';
import type { HoldOutcome, HoldTerms, OfferMade } from './seats.repository.js';
import { SEAT_IDS_MARK } from './waitlist.codec.js';
import { WaitlistOffers } from './waitlist-offers.js';
import { reservedPriceOf, totalsOf } from './reservation-prices.js';

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
    private readonly offers: WaitlistOffers,
  ) {}

  /** Holds one seat for the event's hold time; holding it again renews the hold. */
  async hold(eventId: string, seatId: string, user: AuthUser): Promise<HoldView> {
    const plan = await this.events.plan(eventId);
    const number = EventsService.numberOf(plan, seatId);
    const { now, expiresAt } = await this.holdAll(plan, [seatId], user);
    return { eventId, seatId, number, userId: user.id, expiresAt: toIso(expiresAt), serverTime: toIso(now) };
  }

  /** Holds several seats, all or nothing: the given ones, or the best `quantity` free (of a category, adjacent...). */
  async holdMany(eventId: string, dto: HoldSeatsDto, user: AuthUser): Promise<HoldsView> {
    // `== null`: a JSON null is as absent as a missing field (class-validator's IsOptional lets both through).
    if ((dto.seatIds == null) === (dto.quantity == null)) {
      throw ValidationFailedError.field('seatIds', 'give either seatIds or quantity, not both and not neither');
    }
    for (const field of ['adjacent', 'categoryId', 'accessible'] as const) {
      if (dto[field] != null && dto.quantity == null)
        throw ValidationFailedError.field(field, 'goes with quantity only');
    }
    const plan = await this.events.plan(eventId);
    if (dto.seatIds != null) {
      for (const seatId of dto.seatIds) EventsService.numberOf(plan, seatId);
      return this.holdsView(plan, dto.seatIds, await this.holdAll(plan, dto.seatIds, user), user);
    }
    return this.holdBest(plan, dto, user);
  }

  /** Ends the caller's hold; 404 when the caller holds no live hold on the seat. The seat goes to the line first. */
  async release(eventId: string, seatId: string, user: AuthUser): Promise<void> {
    const plan = await this.events.plan(eventId);
    EventsService.numberOf(plan, seatId);
    const terms = this.offers.terms();
    // The script publishes the notice with the release itself (one round trip), and only when it released.
    const notice = encodeUserEvent('seat.released', toIso(terms.now), { eventId, seatIds: [seatId] });
    const outcome = await this.seats.release(eventId, user.id, seatId, terms, notice);
    // Guarded here: announce is async, so awaiting it with no offers still costs a promise and a tick per release.
    if (outcome.offers.length > 0) await this.offers.announce(plan, outcome.offers, terms);
    if (!outcome.released) throw new NotFoundError('A live hold of yours on this seat');
  }

  /**
   * Cancels the reservation of a seat before the event starts: the user who reserved it, or the manager who created
   * the event, or an admin. The seat goes to the waiting line first, else becomes available.
   */
  async cancelReservation(eventId: string, seatId: string, user: AuthUser): Promise<void> {
    const plan = await this.events.plan(eventId);
    EventsService.numberOf(plan, seatId);
    const terms = this.offers.terms();
    const anyOwner = user.role === 'admin' || (user.role === 'manager' && plan.event.createdBy === user.id);
    const outcome = await this.seats.cancelReservation(eventId, seatId, user.id, anyOwner, terms, plan.event.startsAt);
    if (outcome.outcome === 'not-reserved') throw new NotFoundError('A reservation of this seat');
    if (outcome.outcome === 'not-yours') {
      throw new ForbiddenError('Only the user who reserved the seat, a manager of the event or an admin may cancel it');
    }
    if (outcome.outcome === 'started') throw new EventStartedError();
    this.metrics.count('reservation_cancellations');
    await this.offers.announce(plan, outcome.offers, terms);
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
    // The index entry is only a hint (written after the event's script): it lists a seat only while the stored
    // reservation is still this one (same buyer, same time). An entry left behind (a cancel whose index removal was
    // lost, a re-sent cancel) is dropped from the answer and from the index (review 4).
    const isCurrent = (r: (typeof page.seats)[number]) => {
      const state = perEvent.get(r.eventId)!.states.get(r.seatId);
      return state?.kind === 'reserved' && state.userId === user.id && state.at === r.at;
    };
    const stale = page.seats.filter((r) => !isCurrent(r));
    if (stale.length > 0) await this.seats.forgetReservations(user.id, stale);
    const items = page.seats.filter(isCurrent).map((r) => {
      const { plan, states } = perEvent.get(r.eventId)!;
      const state = states.get(r.seatId);
      const snapshot = state?.kind === 'reserved' ? state.price : undefined;
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

  /** The best free seats, picked and held by one script (lua/hold-best-17.lua). */
  private async holdBest(plan: SeatingPlan, dto: HoldSeatsDto, user: AuthUser): Promise<HoldsView> {
    const quantity = dto.quantity!;
    const terms = this.holdTerms(plan, SEAT_IDS_MARK);
    const request = {
      quantity,
      categoryId: dto.categoryId ?? null,
      adjacent: dto.adjacent === true,
      accessible: dto.accessible === true,
    };
    const result = await this.seats.holdBest(plan.event.id, user.id, request, terms);
    if (hasOffers(result)) await this.offers.announce(plan, result.offers, terms);
    this.settle(result, terms, result.outcome === 'held' ? result.seatIds.length : 0);
    if (result.outcome === 'unknown-category') {
      throw ValidationFailedError.field('categoryId', 'the event has no such category');
    }
    if (result.outcome === 'not-enough') {
      const kind = `${request.adjacent ? 'adjacent ' : ''}${request.accessible ? 'accessible ' : ''}`;
      throw new NotEnoughSeatsError(quantity, result.free, kind);
    }
    if (result.outcome !== 'held') throw new Error(`unexpected outcome ${result.outcome}`);
    return this.holdsView(plan, result.seatIds, terms, user);
  }

  private async holdAll(plan: SeatingPlan, seatIds: readonly string[], user: AuthUser) {
    const terms = this.holdTerms(plan, seatIds);
    const result = await this.seats.hold(plan.event.id, user.id, seatIds, terms);
    if (hasOffers(result)) await this.offers.announce(plan, result.offers, terms);
    this.settle(result, terms, seatIds.length);
    return terms;
  }

  /**
   * The terms of a hold made now. The seat.held notice is published by the hold script itself when the hold succeeds:
   * one round trip less than publishing afterwards (with SEAT_IDS_MARK where the best-available script puts its seats).
   */
  private holdTerms(plan: SeatingPlan, seatIds: readonly string[] | typeof SEAT_IDS_MARK): HoldTerms {
    const { now, offerUntil } = this.offers.terms();
    const expiresAt = now + plan.event.holdSeconds * 1000;
    const notice = encodeUserEvent('seat.held', toIso(now), {
      eventId: plan.event.id,
      seatIds,
      expiresAt: toIso(expiresAt),
    });
    const { maxHoldsPerUser: maxHolds, holdMaxRenewals: maxRenewals } = this.config;
    return { now, offerUntil, expiresAt, maxHolds, maxRenewals, startsAt: plan.event.startsAt, notice };
  }

  /** A refusal is thrown, a hold counted (offers made on the way are announced before, whatever the outcome). */
  private settle(result: HoldOutcome, terms: HoldTerms, seats: number): void {
    if (result.outcome !== 'held') this.metrics.count('hold_conflicts');
    if (result.outcome === 'taken') throw new SeatUnavailableError(result.seatIds);
    if (result.outcome === 'limit') throw new HoldLimitReachedError(terms.maxHolds);
    if (result.outcome === 'renewal-limit') throw new HoldRenewalLimitError(result.seatIds, terms.maxRenewals);
    if (result.outcome === 'started') throw new EventStartedError();
    if (result.outcome === 'held') this.metrics.count('holds', seats);
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
}

/**
 * Whether a hold freed lapsed holds to the waiting line on the way (offers to announce). Usually not: the caller then
 * awaits nothing, since on the single hold, the service's hottest path, every extra await costs a promise and a tick.
 */
function hasOffers(result: HoldOutcome): result is HoldOutcome & { readonly offers: readonly OfferMade[] } {
  return 'offers' in result && result.offers.length > 0;
}

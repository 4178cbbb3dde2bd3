import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { ForbiddenError, NotFoundError, ValidationFailedError } from '../common/domain-error.js';
import { toIso } from '../common/iso-date-time.js';
import { AppConfig } from '../config/app-config.js';
import { Metrics } from '../metrics/metrics.js';
import { DomainEvents } from '../domain-events/domain-events.js';
import type { RestaurantReservationEvent } from '../domain-events/domain-events.js';
import type { AuthUser } from '../auth/auth-user.js';
import { dayBounds, fittingTables, isManager, localDate, localIso, timeslotsOn } from './restaurant.js';
import type { Restaurant, Table } from './restaurant.js';
import type { BookTableDto, MoveReservationDto, RestaurantReservationView } from './restaurants.dto.js';
import {
  NoTableAvailableError,
  NotATimeslotError,
  PartyTooLargeError,
  ReservationCancelledError,
  ReservationKeptChangingError,
  ReservationLimitReachedError,
  TableUnavailableError,
} from './restaurants.errors.js';
import { RestaurantsRepository } from './restaurants.repository.js';
import type { DayCap, RestaurantReservation } from './restaurants.repository.js';

/** How often a move is reapplied when another move of the same reservation landed first. */
const MOVE_ATTEMPTS = 5;

const reservationView = (r: RestaurantReservation): RestaurantReservationView => ({
  id: r.id,
  restaurantId: r.restaurantId,
  tableId: r.tableId,
  userId: r.userId,
  start: toIso(r.start),
  end: toIso(r.end),
  partySize: r.partySize,
  guestName: r.guestName,
  guestPhone: r.guestPhone,
  notes: r.notes,
  status: r.status,
  createdAt: toIso(r.createdAt),
});

/** Booking, moving, cancelling and listing a restaurant's table reservations. */
@Injectable()
export class RestaurantReservationsService {
  constructor(
    private readonly restaurants: RestaurantsRepository,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly events: DomainEvents,
    private readonly metrics: Metrics,
  ) {}

  /** Tells the notifier (the customer hears of it; the reminder is moved with the booking, dropped when cancelled). */
  private announce(
    type: RestaurantReservationEvent['type'],
    reservation: RestaurantReservation,
    restaurant: Restaurant,
  ): Promise<void> {
    return this.events.emit({
      type,
      reservationId: reservation.id,
      restaurantId: restaurant.id,
      restaurantName: restaurant.name,
      userId: reservation.userId,
      guest: reservation.guestPhone !== null,
      start: reservation.start,
      localStart: localIso(restaurant, reservation.start),
      view: reservationView(reservation),
    });
  }

  /**
   * Books the named table, or the smallest free one that seats the party; never two bookings on one table at once.
   * With `guestPhone` it is staff booking for a guest without an account (a walk-in, a phone call): only the
   * restaurant's manager or an admin may, the guest's name is required, and the reservation belongs to the staff
   * account (listed with the restaurant's others, no per-day cap as for any booking of theirs, no reminder).
   */
  async book(restaurantId: string, dto: BookTableDto, user: AuthUser): Promise<RestaurantReservationView> {
    const { restaurant, tables } = await this.load(restaurantId);
    const guestPhone = dto.guestPhone ?? null;
    if (guestPhone !== null) {
      if (!isManager(restaurant, user)) {
        throw new ForbiddenError('Only the restaurant’s manager or an admin can book for a guest (guestPhone)');
      }
      if (!dto.guestName?.trim()) {
        throw ValidationFailedError.field('guestName', 'is required for a guest’s booking (with guestPhone)');
      }
    }
    const start = Date.parse(dto.start);
    this.checkStart(restaurant, start, 'start');
    const candidates =
      dto.tableId != null
        ? [this.table(tables, dto.tableId, dto.partySize).id]
        : fittingTables(tables, dto.partySize).map((t) => t.id);
    const now = this.clock.now();
    const reservation = {
      id: randomUUID(),
      restaurantId,
      userId: user.id,
      start,
      end: start + restaurant.sittingMinutes * 60_000,
      partySize: dto.partySize,
      guestName: dto.guestName ?? null,
      notes: dto.notes ?? null,
      guestPhone,
      createdAt: now,
    };
    const result = await this.restaurants.book({
      reservation,
      sittingMs: restaurant.sittingMinutes * 60_000,
      candidates,
      cap: isManager(restaurant, user) ? null : this.dayCap(restaurant, start),
    });
    if (result === 'limit') throw this.limitReached();
    if (result === 'no-table') throw this.noTable(dto.tableId != null);
    const { tableId } = result;
    const booked: RestaurantReservation = { ...reservation, tableId, status: 'booked', version: 1, updatedAt: now };
    this.metrics.count('restaurant_bookings');
    await this.announce('restaurant-reservation.booked', booked, restaurant);
    return reservationView(booked);
  }

  /**
   * Moves a booking in one step: the new table/time is taken and the old released together, or nothing changes.
   * The change is applied to the stored reservation; if another move lands between our read and our write, the
   * script refuses and the change is applied again to the fresh read (no partial change is silently lost).
   */
  async move(
    restaurantId: string,
    reservationId: string,
    dto: MoveReservationDto,
    user: AuthUser,
  ): Promise<RestaurantReservationView> {
    const { restaurant, tables } = await this.load(restaurantId);
    for (let attempt = 1; ; attempt++) {
      const current = await this.visible(restaurant, reservationId, user);
      if (current.status === 'cancelled') throw new ReservationCancelledError();
      const start = dto.start != null ? Date.parse(dto.start) : current.start;
      if (start !== current.start) this.checkStart(restaurant, start, 'start');
      const partySize = dto.partySize ?? current.partySize;
      let candidates: string[];
      if (dto.tableId != null) {
        candidates = [this.table(tables, dto.tableId, partySize).id];
      } else {
        // Staying at the current table is preferred when it still fits; otherwise the smallest free one.
        const fitting = fittingTables(tables, partySize).map((t) => t.id);
        candidates = fitting.includes(current.tableId)
          ? [current.tableId, ...fitting.filter((id) => id !== current.tableId)]
          : fitting;
      }
      const sittingMs = restaurant.sittingMinutes * 60_000;
      const now = this.clock.now();
      // The cap binds a customer moving to another day; a move within the day does not add one to it.
      const otherDay = localDate(restaurant, start) !== localDate(restaurant, current.start);
      const cap = otherDay && !isManager(restaurant, user) ? this.dayCap(restaurant, start) : null;
      const change = { start, end: start + sittingMs, partySize, now, sittingMs, candidates, cap };
      const result = await this.restaurants.move(current, change);
      if (result === 'changed' && attempt < MOVE_ATTEMPTS) continue;
      if (result === 'missing') throw new NotFoundError('The reservation');
      if (result === 'cancelled') throw new ReservationCancelledError();
      if (result === 'changed') throw new ReservationKeptChangingError();
      if (result === 'no-table') throw this.noTable(dto.tableId != null);
      if (result === 'limit') throw this.limitReached();
      if (result === 'unchanged') return reservationView(current);
      const moved = {
        ...current,
        start,
        end: change.end,
        partySize,
        tableId: result.tableId,
        updatedAt: now,
        version: current.version + 1,
      };
      this.metrics.count('restaurant_moves');
      await this.announce('restaurant-reservation.moved', moved, restaurant);
      return reservationView(moved);
    }
  }

  async cancel(restaurantId: string, reservationId: string, user: AuthUser): Promise<RestaurantReservationView> {
    const { restaurant } = await this.load(restaurantId);
    const current = await this.visible(restaurant, reservationId, user);
    await this.restaurants.cancel(restaurantId, reservationId, current.userId, this.clock.now());
    const after = await this.restaurants.findReservation(restaurantId, reservationId);
    if (current.status !== 'cancelled' && after)
      await this.announce('restaurant-reservation.cancelled', after, restaurant);
    return reservationView(after ?? current);
  }

  /** A local date's reservations: all of them for the manager, the caller's own for anyone else. */
  async reservations(
    restaurantId: string,
    date: string | undefined,
    user: AuthUser,
  ): Promise<RestaurantReservationView[]> {
    const { restaurant } = await this.load(restaurantId);
    const { from, to } = dayBounds(restaurant, date ?? localDate(restaurant, this.clock.now()));
    const all = await this.restaurants.reservations(restaurantId, from, to);
    const mine = isManager(restaurant, user) ? all : all.filter((r) => r.userId === user.id);
    return mine.map(reservationView);
  }

  private checkStart(restaurant: Restaurant, start: number, field: string): void {
    if (start < this.clock.now()) throw ValidationFailedError.field(field, 'must not be in the past');
    if (!timeslotsOn(restaurant, localDate(restaurant, start)).some((slot) => slot.start === start)) {
      throw new NotATimeslotError(field);
    }
  }

  /** A customer's cap for the restaurant's local day of `start`. */
  private dayCap(restaurant: Restaurant, start: number): DayCap {
    const { from, to } = dayBounds(restaurant, localDate(restaurant, start));
    return { from, to, max: this.config.restaurantMaxReservationsPerDay };
  }

  private limitReached(): ReservationLimitReachedError {
    return new ReservationLimitReachedError(this.config.restaurantMaxReservationsPerDay);
  }

  private table(tables: readonly Table[], tableId: string, partySize: number): Table {
    const table = tables.find((t) => t.id === tableId);
    if (!table) throw new NotFoundError('The table');
    if (table.seats < partySize) throw new PartyTooLargeError(`Table ${table.name} seats ${table.seats}`);
    return table;
  }

  private noTable(named: boolean): TableUnavailableError | NoTableAvailableError {
    return named ? new TableUnavailableError() : new NoTableAvailableError();
  }

  private async load(restaurantId: string) {
    const found = await this.restaurants.find(restaurantId);
    if (!found) throw new NotFoundError('The restaurant');
    return found;
  }

  /** The reservation if the caller made it or manages the restaurant; anyone else gets the 404 of a missing one. */
  private async visible(restaurant: Restaurant, reservationId: string, user: AuthUser): Promise<RestaurantReservation> {
    const reservation = await this.restaurants.findReservation(restaurant.id, reservationId);
    if (!reservation || (reservation.userId !== user.id && !isManager(restaurant, user))) {
      throw new NotFoundError('The reservation');
    }
    return reservation;
  }
}
